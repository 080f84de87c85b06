"""The cart: catalog items with quantities, in insertion order. Amounts in integer rupiah."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import CatalogItem
from .customer import InvalidInput
from .discount import Discount
from .money import AMOUNT_LIMIT, amount_in_bounds

MAX_QUANTITY = 9999


@dataclass
class CartLine:
    item: CatalogItem
    quantity: int

    @property
    def subtotal(self) -> int:
        return self.item.price * self.quantity

    @property
    def key(self) -> str:
        return self.item.key


def _check_qty(qty: int) -> int:
    """Raises :class:`InvalidInput` (a ValueError; ``message_id`` ``quantity_too_large``)
    past :data:`MAX_QUANTITY`: the cashier gets a message, not a crash."""
    if isinstance(qty, bool) or not isinstance(qty, int):
        raise TypeError("quantity must be an int")
    if qty > MAX_QUANTITY:
        raise InvalidInput("quantity", "quantity_too_large")
    return qty


class Cart:
    def __init__(self) -> None:
        self._lines: dict[str, CartLine] = {}
        #: the cashier's manual discount on the products (issue 13) and the terminal's cap
        self.discount: Discount | None = None
        self.discount_cap: int = 0

    @property
    def lines(self) -> list[CartLine]:
        return list(self._lines.values())

    def get(self, key: str) -> CartLine | None:
        return self._lines.get(key)

    def add(self, item: CatalogItem, qty: int = 1) -> CartLine:
        """Add ``qty`` of ``item`` (merging with an existing line). ``qty`` must be > 0."""
        _check_qty(qty)
        if qty <= 0:
            raise ValueError("quantity must be positive")
        if not amount_in_bounds(item.price):
            raise InvalidInput("price", "price_out_of_range")
        line = self._lines.get(item.key)
        new_qty = qty if line is None else _check_qty(line.quantity + qty)
        old = 0 if line is None else line.subtotal
        self._check_total(self.total - old + item.price * new_qty)
        if line is None:
            line = CartLine(item=item, quantity=qty)
            self._lines[item.key] = line
        else:
            line.quantity = new_qty
            line.item = item  # newest catalog data (price) wins
        return line

    @staticmethod
    def _check_total(total: int) -> None:
        if total >= AMOUNT_LIMIT:
            raise InvalidInput("quantity", "total_too_large")

    def set_quantity(self, key: str, qty: int) -> None:
        """Set a line's quantity; ``qty <= 0`` removes the line. Unknown keys raise KeyError."""
        _check_qty(qty)
        if key not in self._lines:
            raise KeyError(key)
        if qty <= 0:
            del self._lines[key]
        else:
            line = self._lines[key]
            self._check_total(self.total - line.subtotal + line.item.price * qty)
            line.quantity = qty

    def remove(self, key: str) -> None:
        self._lines.pop(key, None)

    def clear(self) -> None:
        self._lines.clear()
        self.discount = None

    @property
    def total(self) -> int:
        return sum(line.subtotal for line in self._lines.values())

    @property
    def discount_amount(self) -> int:
        """Rupiah off the products: never above the items total or the terminal's cap."""
        if self.discount is None:
            return 0
        return self.discount.amount_for(self.total, self.discount_cap)

    @property
    def net_total(self) -> int:
        """The items total minus the discount (shipping comes on top at checkout)."""
        return self.total - self.discount_amount

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self._lines.values())

    @property
    def is_empty(self) -> bool:
        return not self._lines

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def needs_shipping(self) -> bool:
        return any(line.item.is_physical for line in self._lines.values())

    @property
    def weight(self) -> int:
        """Grams of the physical goods."""
        return sum(
            line.item.weight * line.quantity
            for line in self._lines.values()
            if line.item.is_physical
        )

    def shipping_variants(self) -> list[tuple[int, int]]:
        """``(variant_id, qty)`` of the physical goods, bundles expanded into their lines."""
        acc: dict[int, int] = {}
        for line in self._lines.values():
            if not line.item.is_physical:
                continue
            for variant_id, per_unit in line.item.lines:
                acc[variant_id] = acc.get(variant_id, 0) + per_unit * line.quantity
        return list(acc.items())
