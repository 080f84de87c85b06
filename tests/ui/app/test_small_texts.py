"""Small texts a cashier or customer reads: "1 item", the amount caption after payment, the
WhatsApp message of a paid order, and the history's dates as the receipt prints them."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

import pytest

import ui.common.i18n
from pos.receipts.model import format_receipt_date
from pos.share import payment_message
from tests.ui.ui_support import FakeApp, make_order
from ui.history.labels import display_datetime


def test_item_count_is_singular_for_one(fake_app: FakeApp) -> None:
    fake_app.start()
    w = fake_app.window
    view = w.catalog.view
    view.activated.emit(w.catalog.model.index(0, 0))
    assert w.cart.count_label.text() == "1 barang / 1 item"
    view.activated.emit(w.catalog.model.index(1, 0))
    assert w.cart.count_label.text() == "2 barang / 2 items"


def test_amount_caption_and_whatsapp_follow_the_payment(fake_app: FakeApp) -> None:
    fake_app.start()
    page = fake_app.window.payment
    page.show_order(make_order(), "Siti", "081234567890")
    assert page.amount_caption.text() == "Total tagihan / Amount due"
    unpaid = unquote(page.whatsapp.link() or "")
    assert "Silakan lakukan pembayaran" in unpaid or "Please pay" in unpaid

    page.update_order(make_order(payment_status="paid"))
    assert page.amount_caption.text() == "Total dibayar / Amount paid"
    paid = unquote(page.whatsapp.link() or "")
    assert "Silakan lakukan pembayaran" not in paid and "Please pay" not in paid
    assert "261126KSRDEMO" in paid and "Rp545.000" in paid

    page.update_order(make_order(status="canceled"))
    assert page.amount_caption.text() == "Total pesanan / Order total"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_paid_message_thanks_instead_of_asking(lang: str) -> None:
    args = ("Siti", "Kedai Kopi", "261126KSRDEMO", 545000, "https://pay.example/o/x")
    asking = payment_message(*args, lang)
    thanking = payment_message(*args, lang, paid=True)
    assert ("Please pay" in asking) if lang == "en" else ("Silakan lakukan pembayaran" in asking)
    assert "pay through" not in thanking and "Silakan lakukan pembayaran" not in thanking
    assert (
        ("received your payment" in thanking) if lang == "en" else ("sudah kami terima" in thanking)
    )
    for text in ("261126KSRDEMO", "Rp545.000", "https://pay.example/o/x", "Siti"):
        assert text in thanking


@pytest.mark.parametrize(("mode", "lang"), [("en", "en"), ("id", "id"), ("both", "id")])
def test_history_dates_read_like_the_receipt(
    mode: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    when = datetime(2026, 11, 26, 21, 5)
    monkeypatch.setattr(ui.common.i18n, "_MODE", mode)
    assert display_datetime(when) == format_receipt_date(when, lang)
    assert display_datetime(when) == ("26 Nov 2026 21:05" if lang == "en" else "26 Nov 2026 21.05")
