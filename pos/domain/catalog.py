"""Sellable catalog items (variants and bundle price options) and their search.

Built from the API models by :mod:`pos.services.catalog_items`; this module loads without
pydantic (the cached catalog paints before the network stack is imported)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ITEM_TYPES = ("physical", "digital", "course", "license", "subscription")


@dataclass(frozen=True, slots=True)
class CatalogItem:
    key: str  # "v:<variant_unique_id>" or "b:<bpo_unique_id>"
    kind: str  # "variant" | "bundle"
    unique_id: str
    id: int
    parent_id: int
    name: str
    sku: str
    price: int
    item_type: str | None
    weight: int
    image_url: str | None
    lines: tuple[tuple[int, int], ...]
    search_key: str

    @property
    def is_physical(self) -> bool:
        return self.item_type == "physical"

    def matches(self, casefolded_terms: Iterable[str]) -> bool:
        """True when every (already casefolded) term occurs in the search key."""
        return all(t in self.search_key for t in casefolded_terms)


def search_terms(text: str) -> list[str]:
    """Split a search box text into casefolded terms for :meth:`CatalogItem.matches`."""
    return text.casefold().split()


def filter_items(items: Iterable[CatalogItem], text: str) -> list[CatalogItem]:
    terms = search_terms(text)
    if not terms:
        return list(items)
    return [it for it in items if it.matches(terms)]


def make_search_key(name: str, sku: str) -> str:
    return f"{name} {sku}".casefold().strip()
