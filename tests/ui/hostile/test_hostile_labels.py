"""No server text is ever rendered as rich text, and no bidi / zero-width character reaches the
screen: a real Kasir against the real sandbox whose replies are rewritten to carry HTML in every
name and order number (``<b>ZQX…</b><img src=x>``, ``<a href=…>ZQX…</a>``) plus bidi and
zero-width marks. Every label, button, tooltip (also of table cells), window title and combo item
of every screen is walked (sale, checkout with shipping, a rejection, payment, customer display,
history, settings, problem screen)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

import ui.startup as app_module  # start-up builds the client
from tests.ui.hostile.hostile_support import MARK, HostileTransport, marked_texts, unsafe_texts
from tests.ui.wiring.wiring_support import Counter
from ui.main_window import PAGE_CHECKOUT, PAGE_HISTORY, PAGE_PAYMENT, PAGE_PROBLEM

GAYO_BIJI_SKU = "8992884945008"  # a physical item: the checkout shows the shipping panel


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> list[HostileTransport]:
    made: list[HostileTransport] = []
    real = app_module.make_api_client

    def make(base_url: str, api_key: str, **kw: Any) -> Any:
        client = real(base_url, api_key, **kw)
        transport = HostileTransport(client._http._transport)
        client._http._transport = transport
        made.append(transport)
        return client

    monkeypatch.setattr(app_module, "make_api_client", make)
    return made


def _choose_first_store(counter: Counter) -> None:
    w = counter.window
    c = counter.controller
    counter.qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=10000)
    idx = next(i for i in range(w.store_selector.count()) if "Kopi" in w.store_selector.itemText(i))
    w.store_selector.setCurrentIndex(idx)
    w.store_selector.activated.emit(idx)
    counter.qtbot.waitUntil(
        lambda: (
            c.store is not None
            and not counter.session.runner.is_busy("catalog")
            and w.catalog.model.total_count() > 0
            and any(MARK in i.name for i in c.items)
        ),
        timeout=15000,
    )


def test_every_screen_shows_server_text_as_plain_text(
    counter: Counter, hostile: list[HostileTransport], qtbot: Any
) -> None:
    counter.start()
    w = counter.window
    c = counter.controller
    _choose_first_store(counter)
    assert hostile, "the client was not built through make_api_client"
    problems: dict[str, list[str]] = {}
    shown: dict[str, int] = {}

    def check(screen: str, root: QWidget | None) -> None:
        assert root is not None
        found = unsafe_texts(root)
        if found:
            problems[screen] = found
        shown[screen] = len(marked_texts(root))

    # sale: the catalog grid, a cart with a physical and a digital item
    physical = next(i for i in c.items if i.sku == GAYO_BIJI_SKU)
    digital = next(i for i in c.items if i.sku == "EBOOK-SEDUH")
    c.add_item(physical)
    c.add_item(digital)
    check("sale", w)
    # checkout with the shipping panel
    w.go_checkout()
    assert w.page() == PAGE_CHECKOUT and w.checkout.shipping_panel.isVisibleTo(w)
    w.checkout.name.setText("Siti Rahmawati")
    panel = w.checkout.shipping_panel
    panel.address.setText("Jl. Cempaka Putih Tengah No. 17")
    panel.search.setFocus()
    QTest.keyClicks(panel.search, "cempaka put")
    model = panel.location_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    panel.results.setCurrentIndex(model.index(0, 0))
    panel.results.activated.emit(model.index(0, 0))
    ship = w.checkout.shipping
    qtbot.waitUntil(
        lambda: not ship.is_busy() and (ship.fresh() or bool(ship.problems())), timeout=10000
    )
    assert panel.courier_model.rowCount() > 0
    check("checkout + shipping", w)
    w.go_sale()
    c.remove_line(physical.key)
    w.set_customer_display(True)
    check("customer display: cart", w.customer_display)
    # a rejection whose message is markup
    hostile[0].reject_next_order = True
    w.go_checkout()
    w.checkout.name.setText("Siti Rahmawati")
    w.checkout.phone.setText("0812-3456-7890")
    w.checkout.submit()
    qtbot.waitUntil(lambda: not counter.session.runner.is_busy("submit"), timeout=15000)
    qtbot.wait(50)
    assert w.page() == PAGE_CHECKOUT
    check("checkout: rejected", w)
    # payment: waiting, then paid
    order = counter.sell()
    assert MARK in (order.order_id or "")
    assert w.page() == PAGE_PAYMENT
    check("payment: waiting", w)
    check("customer display: payment", w.customer_display)
    counter.customer_pays(order)
    check("payment: paid", w)
    check("customer display: paid", w.customer_display)
    # history
    counter.open_history()
    assert w.page() == PAGE_HISTORY
    check("history", w)
    w.leave_history()
    # settings (store names in the default-store list)
    dialog = w.open_settings()
    qtbot.wait(200)
    check("settings", dialog)
    dialog.reject()
    # the problem screen with a server text
    w.show_problem("network", f"<b>{MARK}detail</b>")
    assert w.page() == PAGE_PROBLEM
    check("problem", w)

    report = "\n".join(f"[{screen}] {line}" for screen, lines in problems.items() for line in lines)
    assert not problems, report
    # the walk did see server text on the screens that show it
    for screen in ("sale", "checkout + shipping", "payment: waiting", "history"):
        assert shown[screen] > 0, (screen, shown)


def test_a_malformed_product_is_skipped_and_counted_on_screen(
    counter: Counter, hostile: list[HostileTransport], qtbot: Any
) -> None:
    counter.start()
    w = counter.window
    qtbot.waitUntil(lambda: bool(hostile), timeout=15000)
    hostile[0].break_a_product = True
    _choose_first_store(counter)
    counter.controller.refresh_catalog()  # a sync after the product broke
    qtbot.waitUntil(lambda: "skipped" in w.catalog.status.text(), timeout=15000)
    assert w.catalog.model.total_count() > 10  # the rest of the catalog is there
    assert "damaged items skipped" in w.catalog.status.text()
