from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.api.models import OrderCreate, Store
from pos.domain.cart import Cart
from pos.domain.customer import Customer, InvalidInput
from pos.domain.payment_methods import METHOD_LABELS, default_method, method_label
from pos.domain.sale import ShippingChoice, build_order_body, draft_from_cart
from tests.domain.catalog_samples import item

STORE = Store(id=3288, unique_id="store_Nq7Rk2LmXa91", name="Toko Kopi")
SITI = Customer("Siti Rahmawati", "6281234567890", "siti.rahmawati@example.co.id")
REF = "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40"


def test_cart_basics() -> None:
    cart = Cart()
    a, b = item(1, price=10000), item(2, price=2500, item_type="digital")
    cart.add(a)
    cart.add(b, 3)
    cart.add(a, 2)
    assert [ln.key for ln in cart.lines] == [a.key, b.key]
    assert cart.get(a.key) is not None and cart.get(a.key).quantity == 3  # type: ignore[union-attr]
    assert cart.total == 3 * 10000 + 3 * 2500
    assert cart.count == 6
    assert cart.needs_shipping and cart.weight == 300
    cart.set_quantity(a.key, 0)
    assert not cart.needs_shipping and len(cart) == 1
    cart.remove(b.key)
    assert cart.is_empty and cart.total == 0


def test_cart_rejects_bad_quantities() -> None:
    cart = Cart()
    with pytest.raises(ValueError):
        cart.add(item(1), 0)
    with pytest.raises(KeyError):
        cart.set_quantity("v:nope", 1)
    with pytest.raises(TypeError):
        cart.add(item(1), 1.5)  # type: ignore[arg-type]


def test_shipping_variants_expand_bundles() -> None:
    cart = Cart()
    cart.add(item(1), 2)
    cart.add(item(9, kind="bundle", lines=((1, 1), (2, 2))), 3)
    cart.add(item(5, item_type="digital"))
    assert cart.shipping_variants() == [(1, 2 + 3), (2, 6)]


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(1, 50)), max_size=30))
def test_cart_total_is_sum_of_lines(adds: list[tuple[int, int]]) -> None:
    cart = Cart()
    expected: dict[int, int] = {}
    for n, qty in adds:
        cart.add(item(n, price=n * 1000), qty)
        expected[n] = expected.get(n, 0) + qty
    assert cart.total == sum(n * 1000 * q for n, q in expected.items())
    assert cart.count == sum(expected.values())
    assert [ln.item.id for ln in cart.lines] == list(expected)


def digital_cart() -> Cart:
    cart = Cart()
    cart.add(item(1, price=49000, item_type="digital"))
    return cart


def test_body_digital_matches_digest_example() -> None:
    draft = draft_from_cart(STORE, digital_cart(), SITI, "payment_link")
    body = build_order_body(draft, pos_ref=REF, terminal="KASIR-01")
    assert body == {
        "store_unique_id": "store_Nq7Rk2LmXa91",
        "customer_name": "Siti Rahmawati",
        "customer_phone": "6281234567890",
        "customer_email": "siti.rahmawati@example.co.id",
        "ordervariants": [{"variant_unique_id": "variant_000001", "quantity": 1}],
        "payment_method": "payment_link",
        "notes": "Kasir KASIR-01 #0f5a2c1e",
        "metadata": {"pos_ref": REF, "terminal": "KASIR-01"},
    }
    assert draft.total == 49000
    OrderCreate.model_validate(body)  # fits the client's model
    json.dumps(body)


def test_body_physical_bundle_with_shipping() -> None:
    cart = Cart()
    cart.add(item(7, price=160000, kind="bundle"), 1)
    ship = ShippingChoice(
        address="Jl. Cempaka Putih Tengah No. 17",
        location_id=2087,
        postal_code="10510",
        warehouse_unique_id="warehouse_FN9odhpi1VOF",
        warehouse_id=741,
        courier_service_id=12,
        shipping_cost=19000,
        shipment_provider_code="lincah",
        courier_label="JNE Reguler",
    )
    budi = Customer("Budi Santoso", "6281398765432", None)
    draft = draft_from_cart(STORE, cart, budi, "va_bca", note="titip satpam", shipping=ship)
    body = build_order_body(draft, pos_ref=REF, terminal="T2")
    assert body == {
        "store_unique_id": "store_Nq7Rk2LmXa91",
        "customer_name": "Budi Santoso",
        "customer_phone": "6281398765432",
        "orderbundles": [{"bundle_price_option_unique_id": "bpo_000007", "quantity": 1}],
        "payment_method": "va_bca",
        "address": "Jl. Cempaka Putih Tengah No. 17",
        "location_id": 2087,
        "postal_code": "10510",
        "warehouse_unique_id": "warehouse_FN9odhpi1VOF",
        "courier_service_id": 12,
        "shipping_cost": 19000,
        "shipment_provider_code": "lincah",
        "notes": "Kasir T2 #0f5a2c1e — titip satpam",
        "metadata": {"pos_ref": REF, "terminal": "T2"},
    }
    assert draft.total == 179000


def test_body_omits_optional_shipping_fields() -> None:
    cart = Cart()
    cart.add(item(1))
    ship = ShippingChoice("Jl. A", 1, None, "warehouse_x", 2, 3, 9000)
    body = build_order_body(
        draft_from_cart(STORE, cart, SITI, "qris", shipping=ship), pos_ref=REF, terminal="K"
    )
    assert "postal_code" not in body and "shipment_provider_code" not in body
    assert "orderbundles" not in body


def test_draft_requires_items_and_method() -> None:
    with pytest.raises(InvalidInput) as ei:
        draft_from_cart(STORE, Cart(), SITI, "qris")
    assert ei.value.message_id == "cart_empty"
    with pytest.raises(InvalidInput):
        draft_from_cart(STORE, digital_cart(), SITI, "")


def test_draft_is_a_frozen_snapshot() -> None:
    cart = digital_cart()
    draft = draft_from_cart(STORE, cart, SITI, "qris")
    cart.add(item(1, price=49000, item_type="digital"), 5)
    assert draft.lines[0].quantity == 1
    hash(draft)


DIGEST_METHODS = [
    "va_bca",
    "va_bni",
    "va_bri",
    "va_mandiri",
    "va_permata",
    "va_cimb",
    "va_bsi",
    "va_maybank",
    "va_bnc",
    "va_danamon",
    "va_artha_graha",
    "va_muamalat",
    "va_btn",
    "va_ocbc",
    "va_bjb",
    "va_sahabat_sampoerna",
    "va_artajasa",
    "qris",
    "card",
    "invoice",
    "payment_link",
    "alfamart",
    "ovo",
    "dana",
    "shopeepay",
    "linkaja",
    "gopay",
    "bank_transfer",
    "cod",
    "marketplace",
    "no_payment",
]


def test_every_method_has_labels() -> None:
    assert set(DIGEST_METHODS) == set(METHOD_LABELS)
    for code in DIGEST_METHODS:
        ind, eng = METHOD_LABELS[code]
        assert ind and eng
    assert method_label("va_bca") == "Virtual Account BCA"
    assert method_label("qris", "en") == "QRIS"
    assert method_label("weird") == "weird"


def test_default_method() -> None:
    assert default_method(["va_bca", "qris", "payment_link"]) == "payment_link"
    assert default_method(["va_bca", "qris"]) == "qris"
    assert default_method(["va_bca", "invoice"]) == "invoice"
    assert default_method(["cod", "va_bca"]) == "cod"
    assert default_method([]) is None
