"""A physical sale end to end through the real window against the sandbox over HTTP: every
shipping field of the order body matches the quote the sandbox computes itself."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos.domain.money import format_idr
from tests.ui.shipping.shipping_support import (
    COFFEE_STORE,
    COFFEE_TO_CEMPAKA,
    EBOOK_SKU,
    GAYO_BIJI_SKU,
    add_by_name,
    choose_courier,
    fill_customer,
    pick_location,
    sandbox_quote,
    sandbox_warehouses,
    scan,
    to_checkout,
    wait_quoted,
)
from tests.ui.ui_support import SandboxApp
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT
from ui.shipping.models import CourierModel

CEMPAKA_PUTIH = "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"


def test_full_physical_sale_with_variant_and_bundle(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(COFFEE_STORE)
    w = app.window
    scan(app, GAYO_BIJI_SKU)  # variant 494500, 280 g, Rp85.000
    scan(app, GAYO_BIJI_SKU)
    add_by_name(app, qtbot, "paket dua nusantara")  # bundle: Gayo + Toraja + 50 g bump = 610 g
    scan(app, EBOOK_SKU)  # a digital line rides along, weightless
    cart = app.controller.cart
    assert cart.needs_shipping
    assert cart.weight == 2 * 280 + 610
    assert sorted(cart.shipping_variants()) == [(494500, 3), (494502, 1)]

    to_checkout(app)
    co = w.checkout
    panel = co.shipping_panel
    assert co.shipping_scroll.isVisible()
    assert co.method.currentData() == "payment_link"
    fill_customer(app)
    co.note.setText("Kirim sore")
    QTest.keyClicks(panel.address, "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03")
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    qtbot.waitUntil(lambda: panel.postal.count() > 0, timeout=10000)
    assert [panel.postal.itemText(i) for i in range(panel.postal.count())] == [
        "10510",
        "10520",
        "10570",
    ]
    panel.postal.setCurrentIndex(0)
    wait_quoted(app, qtbot)
    ctl = co.shipping
    assert ctl.problems() == []
    # the first (nearest) warehouse is chosen by default: Bekasi for Jakarta
    assert panel.warehouse.currentText().startswith("Gudang Bekasi")
    whs = sandbox_warehouses(
        app, store_id=3288, destination_id=2005, variants=[(494500, 3), (494502, 1)]
    )
    assert [r.warehouse.id for r in ctl.warehouses] == [w_["warehouse"]["id"] for w_ in whs]

    # couriers sorted by price; rows carry name, service, cost, ETD and the COD marker
    model = panel.courier_model
    costs = [model.index(r, 0).data(CourierModel.CostRole) for r in range(model.rowCount())]
    assert costs == sorted(costs) and len(costs) >= 5
    expected = sandbox_quote(app, **COFFEE_TO_CEMPAKA, weight=1170, postal_code="10510")
    by_id = {q["courier_service"]["id"]: q for q in expected}
    jne_row = model.row_of(12)
    text = model.index(jne_row, 0).data()
    jne = by_id[12]
    assert "JNE" in text and "Reguler" in text
    assert format_idr(jne["cost"]) in text
    assert jne["etd"] in text and "COD" in text
    ninja_text = model.index(model.row_of(47), 0).data()
    assert "Ninja" in ninja_text and "COD" not in ninja_text

    choose_courier(app, 12)
    items_total = 2 * 85000 + 160000 + 49000
    assert co.total.text().endswith(format_idr(items_total + jne["cost"]))
    shipping_row = co.summary.topLevelItem(co.summary.topLevelItemCount() - 1)
    assert shipping_row is not None and "JNE" in shipping_row.text(1)
    assert shipping_row.text(2) == format_idr(jne["cost"])
    assert not co.shipping_notice.isVisible()

    QTest.keyClick(co.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    posts = app.requests()
    assert len(posts) == 1
    body = posts[0]["json"]
    assert body["store_unique_id"] == "store_Nq7Rk2LmXa91"
    assert body["customer_name"] == "Budi Santoso"
    assert body["customer_phone"] == "6281398765432"
    assert body["customer_email"] == "budi.santoso@example.co.id"
    assert body["payment_method"] == "payment_link"
    assert sorted((v["variant_unique_id"], v["quantity"]) for v in body["ordervariants"]) == [
        ("variant_UbbYrEqmSM9w", 1),
        ("variant_u8jzPde0IgxL", 2),
    ]
    assert body["orderbundles"] == [
        {"bundle_price_option_unique_id": "bpo_V7iB3m03nbqn", "quantity": 1}
    ]
    assert body["address"] == "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03"
    assert body["location_id"] == 2005
    assert body["postal_code"] == "10510"
    assert body["warehouse_unique_id"] == "warehouse_FN9odhpi1VOF"
    assert body["warehouse_unique_id"] == whs[0]["warehouse"]["unique_id"]
    assert body["courier_service_id"] in by_id
    assert body["courier_service_id"] == 12
    assert body["shipping_cost"] == jne["cost"]
    assert body["shipment_provider_code"] == jne["shipment_provider_code"] == "lincah"
    assert body["metadata"]["pos_ref"]
    assert "Kirim sore" in body["notes"]

    # the quote requests the app made were for exactly this cart
    quotes = app.requests("POST", "/v3/shipping-costs/search-courier-service")
    assert quotes[-1]["json"] == {
        "store_id": 3288,
        "location_id": 2005,
        "warehouse_id": 741,
        "payment_method": "payment_link",
        "weight": 1170,
        "postal_code": "10510",
    }
    searches = app.requests("POST", "/v3/shipping-costs/search-warehouse")
    assert sorted((v["variant_id"], v["qty"]) for v in searches[-1]["json"]["variants"]) == [
        (494500, 3),
        (494502, 1),
    ]
    order = app.controller.order
    assert order is not None
    assert int(order.shipping_cost or 0) == jne["cost"]
    assert int(order.gross_revenue or 0) == items_total + jne["cost"]
    assert w.payment.amount.text() == format_idr(items_total + jne["cost"])
    assert w.page() != PAGE_CHECKOUT
