"""The payment-link rule (pos.domain.urls) guards every use of the link: the payment screen's
QR, copy and WhatsApp buttons, the history's WhatsApp button and the receipt's QR. Only https,
or the demo sandbox's own loopback origin in demo mode, is ever offered to a customer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from pos.api.models import Order
from pos.domain.customer import InvalidInput
from pos.receipts.model import Receipt, ReceiptLine
from pos.share import payment_whatsapp_link
from ui.payment.share_buttons import CopyLinkButton, WhatsAppButton
from ui.payment.view import PaymentView

SANDBOX = "http://127.0.0.1:41234"
BAD_LINKS = [
    "http://pay.evil.example/o/1",
    "javascript:alert(1)",
    "https://pay.example/o/1\nhttps://evil.example",
    "http://127.0.0.1:9999/o/1",  # loopback, but not the demo sandbox
    "",
]


def order(url: str) -> Order:
    return Order.model_validate(
        {
            "id": "a1b2",
            "order_id": "2611260042XQ",
            "status": "pending",
            "payment_status": "unpaid",
            "payment_url": url,
            "gross_revenue": "49000",
            "customer": {"name": "Siti", "phone": "6281234567890"},
        }
    )


def payment_view(qtbot: Any, origin: str | None = None) -> PaymentView:
    view = PaymentView(origin)
    qtbot.addWidget(view)
    return view


@pytest.mark.parametrize("url", BAD_LINKS)
def test_payment_screen_offers_no_unsafe_link(qtbot: Any, url: str) -> None:
    view = payment_view(qtbot, SANDBOX)
    view.show_order(order(url), "Siti", "0812-3456-7890")
    assert view.qr.pixmap().isNull()  # no QR
    assert view.qr.property("warning") is True
    assert not view.copy_button.isEnabled() and view.copy_button.link() == ""
    assert not view.whatsapp.isEnabled() and view.whatsapp.link() is None


@pytest.mark.parametrize(
    ("url", "origin"),
    [("https://pay.scalev.id/o/abc/success", None), (SANDBOX + "/o/abc/success", SANDBOX)],
)
def test_payment_screen_offers_a_safe_link(qtbot: Any, url: str, origin: str | None) -> None:
    view = payment_view(qtbot, origin)
    view.show_order(order(url), "Siti", "0812-3456-7890")
    assert not view.qr.pixmap().isNull()
    assert view.copy_button.isEnabled() and view.copy_button.link() == url
    link = view.whatsapp.link()
    assert view.whatsapp.isEnabled() and link is not None and link.startswith("https://wa.me/62")


def test_demo_loopback_link_outside_demo_mode_is_refused(qtbot: Any) -> None:
    view = payment_view(qtbot, None)
    view.show_order(order(SANDBOX + "/o/abc/success"), "Siti", "0812-3456-7890")
    assert view.qr.pixmap().isNull() and not view.copy_button.isEnabled()
    assert not view.whatsapp.isEnabled()


@pytest.mark.parametrize("url", BAD_LINKS)
def test_share_buttons_refuse_unsafe_links(qtbot: Any, url: str) -> None:
    copy = CopyLinkButton(sandbox_origin=SANDBOX)
    whatsapp = WhatsAppButton(sandbox_origin=SANDBOX)
    qtbot.addWidget(copy)
    qtbot.addWidget(whatsapp)
    copy.set_link(url)
    whatsapp.set_payment("0812-3456-7890", "Siti", "Toko", "A1", 5000, url)
    assert not copy.isEnabled() and not whatsapp.isEnabled()
    whatsapp.send()  # a click on a disabled button's slot does nothing harmful
    if url:
        assert whatsapp.toolTip()  # says why


@pytest.mark.parametrize("url", BAD_LINKS)
def test_whatsapp_message_never_carries_an_unsafe_link(url: str) -> None:
    with pytest.raises(InvalidInput) as e:
        payment_whatsapp_link("0812-3456-7890", "Siti", "Toko", "A1", 5000, url)
    assert e.value.message_id == "payment_link_unsafe"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://kedai.myscalev.com/o/2611260042XQ", True),
        ("http://kedai.example/o/1", False),
        (SANDBOX + "/o/1", False),  # a customer's phone cannot open the till's loopback
        ("javascript:alert(1)", False),
    ],
)
def test_receipt_qr_only_for_https(url: str, kept: bool) -> None:
    receipt = Receipt(
        store_name="<b>Toko</b>\u202e",
        terminal="KASIR-01",
        order_number="A1\u200b",
        created_at=datetime(2026, 11, 26, 21, 15),
        lines=(ReceiptLine("Kopi\u202e\nSusu", 1, 49000),),
        payment_method="QRIS",
        paid=True,
        order_url=url,
        customer_name="Siti\u200b",
    )
    assert (receipt.order_url == url) is kept
    assert receipt.store_name == "<b>Toko</b>"  # printed as text, marks gone
    assert receipt.order_number == "A1" and receipt.customer_name == "Siti"
    assert receipt.lines[0].name == "Kopi Susu"
    assert receipt.total == Decimal(49000)
