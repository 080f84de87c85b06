"""Prices and quantities are bounded: a price at or above 10^15, a quantity past the cart's
maximum or a total that would reach 10^15 is refused with a message id (InvalidInput), the cart
unchanged; the catalog leaves out an item with such a price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pos.api.models import StoreProduct
from pos.domain.cart import MAX_QUANTITY, Cart
from pos.domain.catalog import CatalogItem, make_search_key
from pos.domain.customer import InvalidInput
from pos.domain.messages import MESSAGES
from pos.domain.money import AMOUNT_LIMIT
from pos.services.catalog_items import items_from_store_products


def item(price: int, key: str = "v:a") -> CatalogItem:
    return CatalogItem(
        key=key, kind="variant", unique_id=key[2:], id=1, parent_id=1, name="Kopi", sku="",
        price=price, item_type="digital", weight=0, image_url=None, lines=((1, 1),),
        search_key=make_search_key("Kopi", ""),
    )  # fmt: skip


def refused(message_id: str) -> Any:
    assert message_id in MESSAGES  # the cashier gets a real text
    return pytest.raises(InvalidInput, match=message_id)


def test_quantity_past_the_maximum_is_refused_and_the_cart_kept() -> None:
    cart = Cart()
    cart.add(item(1000), MAX_QUANTITY)
    with refused("quantity_too_large"):
        cart.add(item(1000))
    with refused("quantity_too_large"):
        cart.set_quantity("v:a", MAX_QUANTITY + 1)
    assert cart.count == MAX_QUANTITY and cart.total == 1000 * MAX_QUANTITY


def test_a_price_at_the_limit_is_refused() -> None:
    cart = Cart()
    with refused("price_out_of_range"):
        cart.add(item(AMOUNT_LIMIT))
    with refused("price_out_of_range"):
        cart.add(item(-5))
    assert cart.is_empty
    cart.add(item(AMOUNT_LIMIT - 1))
    assert cart.total == AMOUNT_LIMIT - 1


def test_a_total_that_would_reach_the_limit_is_refused() -> None:
    cart = Cart()
    cart.add(item(AMOUNT_LIMIT // 4, "v:a"), 3)
    with refused("total_too_large"):
        cart.add(item(AMOUNT_LIMIT // 4, "v:a"))
    with refused("total_too_large"):
        cart.add(item(AMOUNT_LIMIT // 2, "v:b"))
    with refused("total_too_large"):
        cart.set_quantity("v:a", 4)
    assert cart.count == 3 and len(cart) == 1


@pytest.mark.parametrize(
    ("price", "kept"),
    [(Decimal("49000"), True), (Decimal(AMOUNT_LIMIT - 1), True), (Decimal(AMOUNT_LIMIT), False),
     (Decimal("1e30"), False), (Decimal("-1"), False), (Decimal("NaN"), False)],
)  # fmt: skip
def test_catalog_leaves_out_implausible_prices(price: Decimal, kept: bool) -> None:
    sp = StoreProduct.model_validate(
        {"id": 1, "name": "Kopi", "variants": [{"id": 2, "unique_id": "variant_x", "price": "0"}]}
    )
    sp.variants[0].price = price
    assert bool(items_from_store_products([sp])) is kept
