"""Shipping quotes follow the sale; failures are shown in the panel with submit disabled and
nothing lost; a stale or tampered quote never becomes an order (sandbox over HTTP)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos.domain.money import format_idr
from tests.ui.shipping.shipping_support import (
    BATIK_STORE,
    COFFEE_STORE,
    COFFEE_TO_CEMPAKA,
    GAYO_BIJI_SKU,
    KOPI_SUSU_SKU,
    LAMPUNG_SKU,
    LASEM_SKU,
    add_by_name,
    checkout_for,
    choose_courier,
    fill_customer,
    pick_location,
    sandbox_quote,
    scan,
    to_checkout,
    wait_quoted,
)
from tests.ui.ui_support import SandboxApp
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_SALE

CEMPAKA_PUTIH = "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"
ADDRESS = "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03"


def _ready_coffee_sale(app: SandboxApp, qtbot: Any, courier: int = 12) -> None:
    """Coffee store, Gayo ×1 + bundle (890 g), Cempaka Putih, courier chosen."""
    app.start(COFFEE_STORE)
    scan(app, GAYO_BIJI_SKU)
    add_by_name(app, qtbot, "paket dua nusantara")
    to_checkout(app)
    fill_customer(app)
    app.window.checkout.shipping_panel.address.setText(ADDRESS)
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    choose_courier(app, courier)


def _cost(app: SandboxApp, service_id: int) -> int:
    result = next(
        r for r in app.window.checkout.shipping.couriers if r.courier_service.id == service_id
    )
    return int(result.cost)


def _requote_fails(app: SandboxApp, qtbot: Any, kind: str, says: str) -> None:
    """Switch to QRIS and see the re-quote fail: the problem (``kind``, mentioning ``says``) and
    Retry are shown, submit is disabled; then try to submit anyway."""
    co = app.window.checkout
    panel = co.shipping_panel
    co.method.setCurrentIndex(co.method.findData("qris"))
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=20000)
    assert panel.error.property("kind") == kind
    assert says in panel.error.text().lower()
    assert panel.retry.isVisible()
    assert not co.submit_button.isEnabled()
    co.submit()


def _form_intact(app: SandboxApp) -> None:
    co = app.window.checkout
    assert co.name.text() == "Budi Santoso"
    assert co.phone.text() == "0813-9876-5432"
    assert co.shipping_panel.address.text() == ADDRESS


def test_cart_change_requotes_with_the_new_weight(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    w = app.window
    co = w.checkout
    ctl = co.shipping
    assert app.controller.cart.weight == 890
    old = _cost(app, 12)
    assert ctl.choice() is not None and ctl.choice().shipping_cost == old  # type: ignore[union-attr]

    QTest.keyClick(co.name, Qt.Key.Key_Escape)
    assert w.page() == PAGE_SALE
    scan(app, LAMPUNG_SKU)  # +1050 g → 1940 g, still 2 kg billable
    scan(app, LAMPUNG_SKU)  # +1050 g → 2990 g → 3 kg billable
    assert app.controller.cart.weight == 2990
    # the old quote is no longer usable the moment the cart changed
    assert ctl.choice() is None
    w.go_checkout()
    wait_quoted(app, qtbot)
    new = _cost(app, 12)
    expected = sandbox_quote(app, **COFFEE_TO_CEMPAKA, weight=2990)
    assert new == next(q["cost"] for q in expected if q["courier_service"]["id"] == 12)
    assert new > old
    # the cashier's courier stays chosen, at its new price, and the total follows
    assert ctl.chosen_service_id == 12
    items = 85000 + 160000 + 2 * 110000
    assert co.total.text().endswith(format_idr(items + new))
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    body = app.requests()[0]["json"]
    assert body["shipping_cost"] == new
    assert body["courier_service_id"] == 12


def test_destination_warehouse_and_method_changes_requote(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    co = app.window.checkout
    ctl = co.shipping
    panel = co.shipping_panel
    n_quotes = len(app.requests("POST", "/v3/shipping-costs/search-courier-service"))

    # payment method → re-quote with the new method
    co.method.setCurrentIndex(co.method.findData("qris"))
    assert ctl.choice() is None
    wait_quoted(app, qtbot)
    quotes = app.requests("POST", "/v3/shipping-costs/search-courier-service")
    assert len(quotes) == n_quotes + 1
    assert quotes[-1]["json"]["payment_method"] == "qris"

    # warehouse: Surabaya instead of the default Bekasi → re-quote from 742
    assert panel.warehouse.count() == 2 and panel.warehouse.isEnabled()
    assert panel.warehouse.currentIndex() == 0
    panel.warehouse.setCurrentIndex(1)
    panel.warehouse.activated.emit(1)
    wait_quoted(app, qtbot)
    quotes = app.requests("POST", "/v3/shipping-costs/search-courier-service")
    assert quotes[-1]["json"]["warehouse_id"] == 742
    far = _cost(app, 12)

    # destination → warehouses searched again, Surabaya kept (it can still ship)
    pick_location(app, qtbot, "rungkut", "Rungkut, Kota Surabaya, Jawa Timur")
    wait_quoted(app, qtbot)
    assert ctl.warehouse() is not None and ctl.warehouse().warehouse.id == 742  # type: ignore[union-attr]
    assert _cost(app, 12) < far
    assert ctl.choice() is not None
    co.submit_button.click()
    qtbot.waitUntil(lambda: app.window.page() == PAGE_PAYMENT, timeout=10000)
    body = app.requests()[0]["json"]
    assert body["warehouse_unique_id"] == "warehouse_Sby7Qm2RkT4w"
    assert body["payment_method"] == "qris"
    assert body["location_id"] == ctl.location.id  # type: ignore[union-attr]


def test_stale_quote_is_never_submitted(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    w = app.window
    co = w.checkout
    ctl = co.shipping
    service = ctl.service
    assert service is not None
    gate = asyncio.Event()
    real = service.couriers

    async def slow(*args: Any, **kw: Any) -> Any:
        await gate.wait()
        return await real(*args, **kw)

    service.couriers = slow  # type: ignore[method-assign]
    co.method.setCurrentIndex(co.method.findData("va_bca"))  # re-quote starts, held
    assert ctl.is_busy("couriers")
    QTest.keyClick(co.name, Qt.Key.Key_F9)
    QTest.keyClick(co.name, Qt.Key.Key_Return)
    assert co.error.isVisible()
    assert "ongkir" in co.error.text().lower()
    assert app.requests() == []
    assert w.page() == PAGE_CHECKOUT

    gate.set()
    wait_quoted(app, qtbot)
    del service.couriers
    assert ctl.fresh() and ctl.choice() is not None
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    posts = app.requests()
    assert len(posts) == 1
    assert posts[0]["json"]["payment_method"] == "va_bca"
    assert posts[0]["json"]["shipping_cost"] == _cost(app, 12)


def test_tampered_shipping_cost_is_rejected_and_shown(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    w = app.window
    co = w.checkout
    ctl = co.shipping
    real = _cost(app, 12)
    i = next(k for k, r in enumerate(ctl.couriers) if r.courier_service.id == 12)
    ctl.couriers[i] = ctl.couriers[i].model_copy(update={"cost": Decimal(1000)})
    assert ctl.choice() is not None and ctl.choice().shipping_cost == 1000  # type: ignore[union-attr]
    co.submit_button.click()
    qtbot.waitUntil(lambda: co.error.isVisible() and bool(co.error.text()), timeout=10000)
    posts = app.requests()
    assert len(posts) == 1 and posts[0]["json"]["shipping_cost"] == 1000
    assert w.page() == PAGE_CHECKOUT
    assert "shipping_cost" in co.error.text() and str(real) in co.error.text()
    _form_intact(app)
    # a fresh quote replaces the tampered one; sending again succeeds at the real price
    wait_quoted(app, qtbot)
    qtbot.waitUntil(lambda: ctl.fresh() and _cost(app, 12) == real, timeout=10000)
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    assert app.requests()[-1]["json"]["shipping_cost"] == real


def test_no_warehouse_can_ship(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU, KOPI_SUSU_SKU)  # chilled: no warehouse
    panel = co.shipping_panel
    panel.address.setText(ADDRESS)
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    assert panel.error.isVisible() and panel.error.property("kind") == "no_warehouse"
    assert "gudang" in panel.error.text().lower()
    assert not co.submit_button.isEnabled()
    assert panel.courier_model.rowCount() == 0
    co.submit()
    assert app.requests() == []
    _form_intact(app)
    # remove the chilled item: the same destination now ships
    app.controller.remove_line(
        next(ln.key for ln in app.controller.cart.lines if ln.item.sku == KOPI_SUSU_SKU)
    )
    wait_quoted(app, qtbot)
    assert not panel.error.isVisible()
    assert co.submit_button.isEnabled()
    assert panel.courier_model.rowCount() > 0


def test_no_courier_serves_the_destination(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    co = app.window.checkout
    panel = co.shipping_panel
    pick_location(app, qtbot, "agats", "Agats, Kabupaten Asmat, Papua Selatan")
    wait_quoted(app, qtbot)
    assert panel.error.isVisible() and panel.error.property("kind") == "no_courier"
    assert "kurir" in panel.error.text().lower()
    assert not co.submit_button.isEnabled()
    co.submit()
    assert co.error.isVisible()
    assert app.requests() == []
    _form_intact(app)
    # another destination clears the problem
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    assert not panel.error.isVisible()
    assert co.submit_button.isEnabled()


def test_search_with_no_result(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU)
    panel = co.shipping_panel
    panel.address.setText(ADDRESS)
    QTest.keyClicks(panel.search, "Atlantis Tenggara")
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10000)
    assert panel.error.property("kind") == "no_location"
    assert "Atlantis Tenggara" in panel.error.text()
    assert not co.submit_button.isEnabled()
    assert not panel.results.isVisible()
    _form_intact(app)
    assert panel.search.text() == "Atlantis Tenggara"
    # several places share a name: the city tells them apart
    panel.search.clear()
    QTest.keyClicks(panel.search, "cibinong")
    qtbot.waitUntil(lambda: panel.location_model.rowCount() == 2, timeout=10000)
    texts = sorted(
        panel.location_model.index(r, 0).data() for r in range(panel.location_model.rowCount())
    )
    assert texts == [
        "Cibinong, Kabupaten Bogor, Jawa Barat",
        "Cibinong, Kabupaten Cianjur, Jawa Barat",
    ]
    assert not panel.error.isVisible()
    assert co.submit_button.isEnabled()


def test_api_error_is_shown_and_retry_recovers(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    co = app.window.checkout
    panel = co.shipping_panel
    app.control(
        "PUT",
        "/__sandbox/faults",
        json={
            "next": [
                {
                    "method": "POST",
                    "path": "/v3/shipping-costs/search-courier-service",
                    "fault": "5xx",
                    "status": 500,
                    "times": 4,
                }
            ]
        },
    )
    _requote_fails(app, qtbot, "api", "ongkir")
    assert app.requests() == []
    _form_intact(app)
    app.control("PUT", "/__sandbox/faults", json={})
    panel.retry.click()
    wait_quoted(app, qtbot)
    assert not panel.error.isVisible()
    assert co.shipping.choice() is not None
    assert co.submit_button.isEnabled()


def test_network_gone_is_shown_and_nothing_is_lost(
    sandbox_app: SandboxApp, sandbox_server: Any, qtbot: Any
) -> None:
    app = sandbox_app
    _ready_coffee_sale(app, qtbot)
    co = app.window.checkout
    panel = co.shipping_panel
    sandbox_server.stop()
    _requote_fails(app, qtbot, "network", "internet")
    assert co.error.isVisible()
    _form_intact(app)
    assert co.shipping.location is not None
    assert panel.postal.count() > 0


def test_cod_only_with_cod_couriers(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, BATIK_STORE, LASEM_SKU)  # stocked only in Gudang Yogyakarta
    ctl = co.shipping
    panel = co.shipping_panel
    panel.address.setText(ADDRESS)
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    assert [r.warehouse.name for r in ctl.warehouses] == ["Gudang Yogyakarta"]
    assert not panel.warehouse.isEnabled()  # one warehouse: nothing to change
    assert co.method.currentData() != "cod"
    # a non-COD courier: COD is not offered
    choose_courier(app, 47)  # Ninja, no COD
    cod = co.method.findData("cod")
    model = co.method.model()
    assert not model.item(cod).isEnabled()  # type: ignore[attr-defined]
    # a COD courier: COD offered; choosing it lists COD couriers only and keeps the choice
    choose_courier(app, 12)
    assert model.item(cod).isEnabled()  # type: ignore[attr-defined]
    co.method.setCurrentIndex(cod)
    wait_quoted(app, qtbot)
    assert ctl.couriers and all(r.is_cod for r in ctl.couriers)
    assert all("COD" in panel.courier_model.index(r, 0).data() for r in range(len(ctl.couriers)))
    assert ctl.chosen_service_id == 12
    co.submit_button.click()
    qtbot.waitUntil(lambda: app.window.page() == PAGE_PAYMENT, timeout=10000)
    body = app.requests()[0]["json"]
    assert body["payment_method"] == "cod"
    assert body["warehouse_unique_id"] == "warehouse_Jog3Lp8NcV1x"
    assert body["courier_service_id"] == 12


def test_digital_cart_shows_no_shipping_panel(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, "EBOOK-SEDUH", customer=False)
    assert not co.shipping_scroll.isVisible()
    assert co.total.text().endswith("Rp49.000")
    assert app.requests("POST", "/v3/shipping-costs/search-warehouse") == []


def test_search_is_debounced_and_an_older_search_is_cancelled(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU, customer=False)
    panel = co.shipping_panel
    ctl = co.shipping
    app.control("DELETE", "/__sandbox/requests")
    QTest.keyClicks(panel.search, "cempaka putih")  # one burst of keys → one request
    qtbot.waitUntil(lambda: panel.location_model.rowCount() == 1, timeout=10000)
    searches = app.requests("GET", "/v3/locations")
    assert len(searches) == 1
    assert searches[0]["query"]["search"] == "cempaka putih"
    # a newer search cancels the older one (same task key); only its results are shown
    ctl.search("tegalsari")
    first = app.controller.runner.task("shipping-locations")
    ctl.search("sukajadi")
    assert first is not None and (first.cancelling() or first.cancelled())
    qtbot.waitUntil(lambda: not ctl.is_busy("search"), timeout=10000)
    texts = [panel.location_model.index(r, 0).data() for r in range(2)]
    assert all(t.startswith("Sukajadi") for t in texts)


def test_missing_shipping_input_is_explained(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU)
    panel = co.shipping_panel
    co.submit()
    assert "fisik" in co.error.text() and "alamat" in co.error.text().lower()
    assert panel.address.hasFocus()
    panel.address.setText(ADDRESS)
    co.submit()
    assert "kecamatan" in co.error.text().lower()
    assert panel.search.hasFocus()
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    co.submit()
    assert "kurir" in co.error.text().lower()
    assert panel.couriers.hasFocus()
    assert app.requests() == []
    assert co.submit_button.isEnabled()  # missing input is not a failure: it says what to do
