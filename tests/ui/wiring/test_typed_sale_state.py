"""The sale on screen travels as typed values (issue #15): the customer typed at checkout is a
``SaleContact`` the controller keeps; the payment screen, the queued page and the receipts take
it from there (never from a line edit or a label's text), and a history receipt comes from the
journal record."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from pos.config import AppSettings
from tests.ui.ui_support import STORE, FakeApp, make_order
from ui.checkout.form import CheckoutForm
from ui.controllers import SaleContact
from ui.main_window import PAGE_PAYMENT, PAGE_SALE
from ui.receipts.sale_receipts import payment_receipt, record_receipt


def _sell(app: FakeApp, qtbot: Any, name: str, phone: str = "081234567890") -> None:
    w = app.window
    w.catalog.view.activated.emit(w.catalog.model.index(0, 0))
    w.go_checkout()
    w.checkout.name.setText(name)
    w.checkout.phone.setText(phone)
    w.checkout.submit_button.click()


def test_a_customer_literally_named_dash_is_printed_as_named(fake_app: FakeApp, qtbot: Any) -> None:
    """The old code read the payment label back and took "—" for "no name"."""
    fake_app.start()
    _sell(fake_app, qtbot, "—")
    w = fake_app.window
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT)
    assert fake_app.controller.contact == SaleContact("—", "081234567890")
    receipt = w.current_receipt()
    assert receipt is not None and receipt.customer_name == "—"


def test_the_payment_screen_shows_the_customer_sent_not_the_field_typed_since(
    fake_app: FakeApp, qtbot: Any, qloop: asyncio.AbstractEventLoop
) -> None:
    fake_app.start()
    gate = fake_app.checkout.gate = asyncio.Event()
    _sell(fake_app, qtbot, "  Siti Rahmawati ", "0812-3456-7890")
    w = fake_app.window
    qtbot.waitUntil(lambda: fake_app.controller.submitting)
    w.checkout.name.setText("Someone Else")  # typed while the order is in flight
    gate.set()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT)
    assert w.payment.customer.text() == "Siti Rahmawati"
    receipt = w.current_receipt()
    assert receipt is not None and receipt.customer_name == "Siti Rahmawati"
    draft = fake_app.controller.draft
    assert draft is not None and draft.customer.name == "Siti Rahmawati"
    w.new_sale()
    assert w.page() == PAGE_SALE
    assert fake_app.controller.contact is None and fake_app.controller.draft is None


def test_without_a_typed_name_the_receipt_names_the_orders_customer() -> None:
    order = make_order(customer={"name": "Budi", "phone": "6281234567890"})
    settings = AppSettings()
    for contact in (None, SaleContact("", "")):
        r = payment_receipt(
            order, contact=contact, store_name="Toko", cart=None, settings=settings, cash=None
        )
        assert r.customer_name == "Budi"
    r = payment_receipt(
        order,
        contact=SaleContact("Siti", ""),
        store_name="Toko",
        cart=None,
        settings=settings,
        cash=None,
    )
    assert r.customer_name == "Siti" and r.store_name == "Toko"


def test_a_history_receipt_comes_from_the_journal_record() -> None:
    record = SimpleNamespace(
        order={
            "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            "order_id": "261126KSRHIST",
            "payment_method": "qris",
            "payment_status": "paid",
            "status": "confirmed",
            "gross_revenue": Decimal(99000),
            "orderlines": [
                {"product_name": "Kopi Gayo 250 g", "quantity": 1, "variant_price": 99000}
            ],
        }
    )
    row = SimpleNamespace(
        record=record,
        order_id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        payment_url="https://demo.scalev.id/o/x",
        total=99000,
        store_name="Toko Kopi",
        customer_name="Ani",
        can_show_payment=True,
    )
    tender = SimpleNamespace(is_cash=True, received=100000, change_due=1000)
    r = record_receipt(row, tender=tender, settings=AppSettings(terminal_name="KASIR-2"))
    assert r is not None
    assert (r.order_number, r.customer_name, r.store_name) == ("261126KSRHIST", "Ani", "Toko Kopi")
    assert [(ln.name, ln.quantity) for ln in r.lines] == [("Kopi Gayo 250 g", 1)]
    assert r.terminal == "KASIR-2" and r.total == 99000 and r.tendered
    row.can_show_payment = False  # not created yet: nothing to print
    assert record_receipt(row, tender=None, settings=AppSettings()) is None


def test_the_checkout_form_gives_the_contact_as_typed_trimmed() -> None:
    form = CheckoutForm(name=" Siti ", phone=" 0812-3456-7890 ", email="", method="qris", note="")
    assert form.contact == SaleContact("Siti", "0812-3456-7890")


def test_the_top_bar_emits_the_chosen_store_id(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    bar = fake_app.window.top_bar
    chosen: list[int] = []
    bar.store_chosen.connect(chosen.append)
    other = STORE.model_copy(update={"id": STORE.id + 1, "name": "Toko Dua"})
    bar.set_stores([STORE, other])
    bar.store_selector.activated.emit(1)
    assert chosen == [STORE.id + 1]
