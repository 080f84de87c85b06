from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from pos.domain.customer import InvalidInput
from pos.share import payment_message, payment_whatsapp_link, whatsapp_link


@pytest.mark.parametrize(
    "raw", ["0812-3456-7890", "+62 812 3456 7890", "62812.3456.7890", "(0812) 3456 7890"]
)
def test_phone_is_normalised(raw: str) -> None:
    assert whatsapp_link(raw, "") == "https://wa.me/6281234567890"


def test_invalid_phone_raises() -> None:
    with pytest.raises(InvalidInput):
        whatsapp_link("12", "hi")


def test_message_is_percent_encoded_exactly() -> None:
    message = "Halo Budi,\nTotal: Rp150.000 & 5% off?\nhttps://pay.example/o/1?x=1#a"
    link = whatsapp_link("081234567890", message)
    assert link == (
        "https://wa.me/6281234567890?text="
        "Halo%20Budi%2C%0ATotal%3A%20Rp150.000%20%26%205%25%20off%3F%0A"
        "https%3A%2F%2Fpay.example%2Fo%2F1%3Fx%3D1%23a"
    )
    assert "+" not in link  # quote, not quote_plus
    assert unquote(urlsplit(link).query.removeprefix("text=")) == message
    assert parse_qs(urlsplit(link).query)["text"] == [message]


def test_non_ascii_is_utf8() -> None:
    assert whatsapp_link("081234567890", "Kopi ☕ é").endswith("?text=Kopi%20%E2%98%95%20%C3%A9")


def test_indonesian_payment_message() -> None:
    text = payment_message(
        " Budi  Santoso ", "Kedai Kopi", "2611260042XQ", 150_000, "https://pay.scalev.id/p/abc"
    )
    assert text == (
        "Halo Budi Santoso,\n\n"
        "Terima kasih sudah berbelanja di Kedai Kopi.\n"
        "Pesanan 2611260042XQ, total Rp150.000.\n"
        "Silakan lakukan pembayaran melalui tautan berikut:\n"
        "https://pay.scalev.id/p/abc\n\n"
        "Terima kasih!"
    )


def test_english_message_and_no_name() -> None:
    text = payment_message("", "Kedai Kopi", "A1", 1_250_000, "https://x.test/p", lang="en")
    assert text.startswith("Hi,\n\nThank you for shopping at Kedai Kopi.\n")
    assert "Order A1, total Rp1.250.000." in text
    assert payment_message("", "S", "1", 1000, "u").startswith("Halo,\n")


def test_payment_whatsapp_link() -> None:
    link = payment_whatsapp_link("0812 3456 7890", "Budi", "Toko", "A1", 5_000, "https://p.test/1")
    assert link.startswith("https://wa.me/6281234567890?text=Halo%20Budi%2C%0A%0ATerima%20kasih")
    assert "Rp5.000" in link
    assert link.endswith("https%3A%2F%2Fp.test%2F1%0A%0ATerima%20kasih%21")
