"""``receipt_from_order``: the receipt of a created order, shared by the payment screen and the
history (no Qt needed)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pos.api.models import Order
from pos.config import ReceiptSettings
from pos.receipts.text import render_text
from ui.receipts.actions import pdf_path, receipt_from_order


def order(**kw: object) -> Order:
    data: dict[str, object] = {
        "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "order_id": "261126KSRDEMO",
        "public_order_url": "https://app.scalev.id/o/abc123",
        "payment_url": "https://app.scalev.id/o/abc123/success",
        "status": "pending",
        "payment_status": "paid",
        "payment_method": "qris",
        "gross_revenue": Decimal(348000),
        "shipping_cost": Decimal(20000),
        "created_at": "2026-11-26T14:15:00+00:00",
        "store": {"id": 7, "name": "Toko Kopi Nusantara"},
        "customer": {"name": "Siti Rahmawati", "phone": "6281234567890"},
        "orderlines": [
            {"product_name": "Kopi Gayo 250 g", "quantity": 2, "variant_price": Decimal(99000)},
            {"product_name": "E-book Seduh", "quantity": 1, "variant_price": Decimal(135000)},
        ],
    }
    data.update(kw)
    return Order.model_validate(data)


def test_items_totals_shipping_and_qr_from_the_order() -> None:
    r = receipt_from_order(order(), terminal="KASIR-DEPAN", language="id")
    assert r.store_name == "Toko Kopi Nusantara"
    assert r.order_number == "261126KSRDEMO"
    assert [(ln.name, ln.quantity, ln.unit_price) for ln in r.lines] == [
        ("Kopi Gayo 250 g", 2, 99000),
        ("E-book Seduh", 1, 135000),
    ]
    assert r.shipping is not None and r.shipping.cost == 20000
    # 2×99.000 + 135.000 + 20.000 = 353.000; the order says 348.000 → a discount line
    assert r.adjustments == (("Diskon", -5000),)
    assert r.total == 348000
    assert r.paid and r.payment_method == "QRIS"
    assert r.customer_name == "Siti Rahmawati" and r.terminal == "KASIR-DEPAN"
    assert r.order_url == "https://app.scalev.id/o/abc123"
    assert r.date_text.endswith("2026 " + r.created_at.strftime("%H.%M"))
    text = render_text(r, 32)
    assert "Rp348.000" in text and "LUNAS" in text


def test_cart_lines_when_the_order_has_none_english_and_no_qr() -> None:
    r = receipt_from_order(
        order(
            orderlines=None,
            shipping_cost=None,
            gross_revenue=Decimal(49000),
            payment_status="unpaid",
        ),
        cart_lines=[("Kelas Barista", 1, 49000)],
        options=ReceiptSettings(show_qr=False, footer="Thanks!"),
        language="en",
        store_name="Other name",
    )
    assert r.store_name == "Other name" and r.lang == "en"
    assert [(ln.name, ln.quantity, ln.unit_price) for ln in r.lines] == [
        ("Kelas Barista", 1, 49000)
    ]
    assert r.adjustments == () and r.shipping is None and not r.paid
    assert r.order_url is None and r.footer == "Thanks!"
    assert r.total == 49000


def test_pdf_path_is_a_safe_file_name(tmp_path: object) -> None:
    from pathlib import Path

    r = receipt_from_order(
        order(order_id="../26 11/x"), language="id", created_at=datetime(2026, 1, 1)
    )
    path = pdf_path(Path("/tmp/r"), r)
    assert path.parent == Path("/tmp/r") and "/" not in path.name and path.suffix == ".pdf"
