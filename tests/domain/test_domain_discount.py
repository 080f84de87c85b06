"""Manual discounts (issue 13): parsing, percent rounding, caps, and the order body."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.api.models import OrderCreate, Store
from pos.domain.cart import Cart
from pos.domain.customer import Customer
from pos.domain.discount import (
    Discount,
    InvalidDiscount,
    parse_cap,
    parse_discount,
    shipping_discount_amount,
)
from pos.domain.sale import ShippingChoice, build_order_body, draft_from_cart
from tests.domain.catalog_samples import item

STORE = Store(id=3288, unique_id="store_Nq7Rk2LmXa91", name="Toko Kopi")
SITI = Customer("Siti Rahmawati", "6281234567890", None)
REF = "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("  ", None),
        ("5000", Discount("amount", 5000)),
        ("5.000", Discount("amount", 5000)),
        ("Rp 15.000", Discount("amount", 15000)),
        ("rp10,000", Discount("amount", 10000)),
        ("10%", Discount("percent", 1000)),
        ("12,5 %", Discount("percent", 1250)),
        ("100%", Discount("percent", 10000)),
        ("0", None),
        ("0%", None),
    ],
)
def test_parse_discount(text: str, expected: Discount | None) -> None:
    assert parse_discount(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [("abc", "discount_invalid"), ("-5000", "discount_invalid"), ("101%", "discount_too_high")],
)
def test_parse_discount_refuses(text: str, why: str) -> None:
    with pytest.raises(InvalidDiscount) as info:
        parse_discount(text)
    assert info.value.message_id == why


def test_percent_rounds_half_up_and_amounts_stop_at_subtotal_and_cap() -> None:
    assert Discount("percent", 1000).amount_for(85_000) == 8_500
    assert Discount("percent", 1250).amount_for(9_999) == 1_250  # 1249.875 -> 1250
    assert Discount("percent", 10000).amount_for(85_000) == 85_000
    assert Discount("amount", 100_000).amount_for(85_000) == 85_000
    assert Discount("amount", 20_000).amount_for(85_000, cap=10_000) == 10_000
    assert Discount("amount", 20_000).amount_for(85_000, cap=0) == 20_000
    assert Discount("percent", 1250).label() == "12,5%" and Discount("percent", 500).label() == "5%"
    assert shipping_discount_amount(30_000, 19_000) == 19_000
    assert shipping_discount_amount(-5, 19_000) == 0
    assert parse_cap("25000") == 25_000 and parse_cap("x") == 0 and parse_cap(None) == 0


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**7),
)
def test_a_discount_never_exceeds_subtotal_or_cap(
    subtotal: int, percent: int, amount: int, cap: int
) -> None:
    for d in (Discount("percent", percent), Discount("amount", amount)):
        off = d.amount_for(subtotal, cap)
        assert 0 <= off <= subtotal
        if cap:
            assert off <= cap


def test_cart_discount_reaches_the_order_body_and_total() -> None:
    cart = Cart()
    cart.add(item(1, price=50_000, item_type="digital"), 2)
    cart.discount = parse_discount("10%")
    assert cart.discount_amount == 10_000 and cart.net_total == 90_000
    draft = draft_from_cart(STORE, cart, SITI, "qris")
    assert draft.product_discount == 10_000 and draft.total == 90_000
    body = build_order_body(draft, pos_ref=REF, terminal="KASIR-01")
    assert body["product_discount"] == 10_000 and "shipping_discount" not in body
    OrderCreate.model_validate(body)
    cart.discount_cap = 4_000
    assert cart.discount_amount == 4_000
    cart.clear()
    assert cart.discount is None and cart.discount_amount == 0


def test_shipping_discount_only_with_shipping_and_clamped() -> None:
    cart = Cart()
    cart.add(item(1, price=85_000), 1)
    ship = ShippingChoice("Jl. Mawar 1", 2087, "10510", "warehouse_X", 741, 12, 19_000)
    draft = draft_from_cart(
        STORE, cart, SITI, "bank_transfer", shipping=ship, shipping_discount=50_000
    )
    assert draft.shipping_discount == 19_000 and draft.total == 85_000
    body = build_order_body(draft, pos_ref=REF, terminal="KASIR-01")
    assert body["shipping_discount"] == 19_000 and "product_discount" not in body
