from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.customer import (
    Customer,
    InvalidInput,
    make_customer,
    normalize_phone,
    validate_customer,
    validate_email,
)
from pos.domain.messages import MESSAGES, text


@pytest.mark.parametrize(
    "raw",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "+6281234567890",
        "+62 812-3456-7890",
        "6281234567890",
        "81234567890",
        "(0812) 3456.7890",
        "0062 812 3456 7890",
        "+62 0812 3456 7890",
        " 0812-3456-7890 ",
    ],
)
def test_normalize_phone_forms(raw: str) -> None:
    assert normalize_phone(raw) == "6281234567890"


@pytest.mark.parametrize(
    ("raw", "message_id"),
    [
        ("", "phone_required"),
        ("   ", "phone_required"),
        ("- ()", "phone_required"),
        ("0812", "phone_invalid"),
        ("08123456789012345", "phone_invalid"),
        ("0812-ABCD-7890", "phone_invalid"),
        ("+1 202 555 0100", "phone_invalid"),
        ("0", "phone_invalid"),
        ("00", "phone_invalid"),
        ("0812+3456", "phone_invalid"),
        ("٠٨١٢٣٤٥٦٧٨٩٠", "phone_invalid"),  # non-ASCII digits
    ],
)
def test_normalize_phone_rejects(raw: str, message_id: str) -> None:
    with pytest.raises(InvalidInput) as ei:
        normalize_phone(raw)
    assert ei.value.field == "phone"
    assert ei.value.message_id == message_id
    assert message_id in MESSAGES


@given(st.text(max_size=30))
def test_normalize_phone_total(raw: str) -> None:
    try:
        phone = normalize_phone(raw)
    except InvalidInput as e:
        assert e.field == "phone"
        return
    assert phone.startswith("62") and phone.isdigit()
    assert 10 <= len(phone) <= 15
    assert phone[2] != "0"
    assert normalize_phone(phone) == phone  # idempotent


@given(st.from_regex(r"8[1-9][0-9]{7,10}", fullmatch=True), st.sampled_from(["0", "+62", "62", ""]))
def test_normalize_phone_prefixes_agree(rest: str, prefix: str) -> None:
    assert normalize_phone(prefix + rest) == "62" + rest


@pytest.mark.parametrize(
    "raw", ["a@b.co", "siti.rahmawati@example.co.id", "x+tag@sub.domain.id", " a@b.id "]
)
def test_validate_email_ok(raw: str) -> None:
    assert validate_email(raw) == raw.strip()


@pytest.mark.parametrize(
    "raw", ["a", "a@", "@b.id", "a@b", "a b@c.id", "a@@b.id", "a@b..id", "a@-b.id", "a.@b.id"]
)
def test_validate_email_bad(raw: str) -> None:
    with pytest.raises(InvalidInput) as ei:
        validate_email(raw)
    assert (ei.value.field, ei.value.message_id) == ("email", "email_invalid")


def test_validate_email_empty_is_none() -> None:
    assert validate_email("") is None
    assert validate_email("   ") is None
    assert validate_email(None) is None


def test_validate_customer_reports_everything() -> None:
    assert validate_customer("", "12", "nope") == {
        "name": "name_required",
        "phone": "phone_invalid",
        "email": "email_invalid",
    }
    assert validate_customer("x" * 101, "", None) == {
        "name": "name_too_long",
        "phone": "phone_required",
    }
    assert validate_customer("Budi", "0812-3456-7890", "") == {}


def test_make_customer_normalises() -> None:
    c = make_customer("  Siti   Rahmawati ", "0812 3456 7890", " siti@example.co.id ")
    assert c == Customer("Siti Rahmawati", "6281234567890", "siti@example.co.id")


def test_make_customer_raises_first_problem() -> None:
    with pytest.raises(InvalidInput) as ei:
        make_customer("", "bad", "bad")
    assert ei.value.field == "name"


def test_messages_are_bilingual() -> None:
    assert text("phone_invalid") == "Nomor HP tidak valid. Contoh: 0812-3456-7890"
    assert text("phone_invalid", "en") == "Invalid phone number. Example: 0812-3456-7890"
    assert text("no-such-id")
    for ind, eng in MESSAGES.values():
        assert ind and eng and ind != "" and eng != ""
