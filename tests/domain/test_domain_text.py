"""Server names shown on screen: bidi controls and zero-width marks neutralised; a customer
name with no visible character is refused like an empty one."""

from __future__ import annotations

import pytest

from pos.domain.customer import InvalidInput, make_customer, validate_customer
from pos.domain.text import display_text, has_visible_char, is_clean


def test_bidi_override_cannot_reverse_a_name() -> None:
    assert display_text("Kopi \u202egnp.exe") == "Kopi gnp.exe"
    assert display_text("\u2066A\u2069 \u200fB\u200e \u061cC") == "A B C"


def test_zero_width_marks_are_removed() -> None:
    assert display_text("Ko\u200bpi\u200d \ufeffSusu\u2060") == "Kopi Susu"
    assert display_text("a\u00adb") == "ab"  # soft hyphen


def test_one_line_of_text() -> None:
    assert display_text("Kopi\nSusu\r\n\tGula\u2028Aren\u0000!") == "Kopi Susu Gula Aren !"
    assert display_text(None) == "" and display_text(42) == "42"


def test_long_names_are_cut() -> None:
    text = display_text("x" * 2000)
    assert len(text) == 500 and text.endswith("…")
    assert display_text("x" * 2000, None) == "x" * 2000


def test_ordinary_text_is_left_alone() -> None:
    for name in ("Kopi Susu Gula Aren 250 ml", "Café ☕", "東京 コーヒー", "قهوة", "<b>X</b>"):
        assert is_clean(name) and display_text(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "   ", "\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u202e\u202c", "\u3164",
     "\u2800 \u115f", "\u0301\u0308"],
)  # fmt: skip
def test_invisible_customer_names_are_refused(name: str) -> None:
    assert not has_visible_char(name)
    assert validate_customer(name, "081234567890", None) == {"name": "name_required"}
    with pytest.raises(InvalidInput) as e:
        make_customer(name, "081234567890")
    assert e.value.message_id == "name_required"


def test_a_customer_name_is_sent_without_hidden_marks() -> None:
    customer = make_customer("  Bu\u200bdi \u202eSantoso ", "081234567890")
    assert customer.name == "Budi Santoso"
