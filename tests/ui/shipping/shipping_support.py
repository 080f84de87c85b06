"""Helpers of the shipping UI tests: drive the real window like a cashier, and ask the sandbox
for its own quote to compare with what the app sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos.sandbox import DEMO_API_KEY
from tests.ui.ui_support import SandboxApp
from ui.main_window import PAGE_CHECKOUT

if TYPE_CHECKING:
    from ui.checkout.view import CheckoutView

COFFEE_STORE = "Toko Kopi Nusantara"  # 3288: payment_link, qris, va_*; Bekasi + Surabaya
BATIK_STORE = "Batik & Kriya Lestari"  # 3301: invoice, bank_transfer, cod; Yogyakarta + Bekasi

GAYO_BIJI_SKU = "8992884945008"  # Kopi Arabika Gayo 250 g - Biji, 280 g, variant 494500
LAMPUNG_SKU = "8992884945107"  # Kopi Robusta Lampung 1 kg - …, 1050 g
KOPI_SUSU_SKU = "8992884945176"  # Kopi Susu Gula Aren Literan 1 L: no warehouse ships it
EBOOK_SKU = "EBOOK-SEDUH"
LASEM_SKU = "8993014945424"  # Kemeja Batik Tulis Lasem: only Gudang Yogyakarta


def scan(app: SandboxApp, sku: str) -> None:
    """Type an exact SKU + Enter into the catalog search (a barcode scan)."""
    search = app.window.catalog.search
    search.setFocus()
    QTest.keyClicks(search, sku)
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert search.text() == "", f"{sku} was not added"


def add_by_name(app: SandboxApp, qtbot: Any, text: str) -> None:
    """Search the catalog and add the only match."""
    cat = app.window.catalog
    cat.search.clear()
    QTest.keyClicks(cat.search, text)
    qtbot.waitUntil(lambda: cat.model.query == text.casefold())
    assert cat.model.rowCount() == 1, (text, cat.model.rowCount())
    QTest.keyClick(cat.search, Qt.Key.Key_Return)


def to_checkout(app: SandboxApp) -> None:
    app.window.go_checkout()
    assert app.window.page() == PAGE_CHECKOUT


def checkout_for(app: SandboxApp, store: str, *skus: str, customer: bool = True) -> CheckoutView:
    """Start ``store``, scan ``skus`` and open the checkout (the customer filled in unless
    ``customer`` is False)."""
    app.start(store)
    for sku in skus:
        scan(app, sku)
    to_checkout(app)
    if customer:
        fill_customer(app)
    return app.window.checkout


def fill_customer(app: SandboxApp) -> None:
    co = app.window.checkout
    co.name.setText("Budi Santoso")
    co.phone.setText("0813-9876-5432")
    co.email.setText("budi.santoso@example.co.id")


def pick_location(app: SandboxApp, qtbot: Any, text: str, display: str) -> None:
    """Type into locationSearch, wait for the results, pick the row showing ``display``."""
    panel = app.window.checkout.shipping_panel
    panel.search.setFocus()
    panel.search.clear()
    QTest.keyClicks(panel.search, text)
    model = panel.location_model

    def shown() -> bool:
        return any(model.index(r, 0).data() == display for r in range(model.rowCount()))

    qtbot.waitUntil(shown, timeout=10000)
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == display)
    panel.results.setCurrentIndex(model.index(row, 0))
    panel.results.activated.emit(model.index(row, 0))
    ctl = app.window.checkout.shipping
    assert ctl.location is not None and ctl.location.display == display


def wait_quoted(app: SandboxApp, qtbot: Any, timeout: int = 10000) -> None:
    """Wait until the courier list is fresh for the current inputs (or a problem shows)."""
    ctl = app.window.checkout.shipping
    qtbot.waitUntil(
        lambda: not ctl.is_busy() and (ctl.fresh() or bool(ctl.problems())), timeout=timeout
    )


def choose_courier(app: SandboxApp, service_id: int) -> None:
    panel = app.window.checkout.shipping_panel
    row = panel.courier_model.row_of(service_id)
    assert row >= 0, service_id
    index = panel.courier_model.index(row, 0)
    panel.couriers.setCurrentIndex(index)
    panel.couriers.activated.emit(index)


#: The coffee store's default quote inputs: Cempaka Putih from Gudang Bekasi, a payment link.
COFFEE_TO_CEMPAKA: dict[str, Any] = {
    "store_id": 3288,
    "location_id": 2005,
    "warehouse_id": 741,
    "payment_method": "payment_link",
}


def sandbox_quote(app: SandboxApp, **query: Any) -> list[dict[str, Any]]:
    """``search-courier-service`` asked directly (the sandbox's own quote). ``query``: the
    request body (``store_id``, ``location_id``, ``warehouse_id``, ``payment_method``,
    ``weight``, optional ``postal_code``)."""
    body = {k: v for k, v in query.items() if k != "postal_code" or v}
    r = httpx.post(
        app.base_url + "/v3/shipping-costs/search-courier-service",
        json=body,
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        timeout=10,
    )
    r.raise_for_status()
    data: list[dict[str, Any]] = r.json()["data"]
    return data


def sandbox_warehouses(
    app: SandboxApp, *, store_id: int, destination_id: int, variants: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    r = httpx.post(
        app.base_url + "/v3/shipping-costs/search-warehouse",
        json={
            "store_id": store_id,
            "destination_id": destination_id,
            "variants": [{"variant_id": v, "qty": q} for v, q in variants],
        },
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        timeout=10,
    )
    r.raise_for_status()
    data: list[dict[str, Any]] = r.json()["data"]
    return data
