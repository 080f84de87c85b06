from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.domain.money import format_idr, round_rupiah, to_rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp0"),
        (5, "Rp5"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (150000, "Rp150.000"),
        (1234567, "Rp1.234.567"),
        (-5000, "-Rp5.000"),
        (Decimal("168724.00"), "Rp168.724"),
        (Decimal("0.5"), "Rp1"),
    ],
)
def test_format_idr(amount: int | Decimal, text: str) -> None:
    assert format_idr(amount) == text


def test_format_idr_rejects_floats() -> None:
    with pytest.raises(TypeError):
        format_idr(1.5)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_idr_roundtrips(n: int) -> None:
    text = format_idr(n)
    assert "," not in text
    digits = text.replace("-", "").replace("Rp", "").replace(".", "")
    assert int(digits) * (-1 if n < 0 else 1) == n
    groups = text.replace("-", "").replace("Rp", "").split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [("168724.00", 168724), (Decimal("85000"), 85000), (42, 42), (" 100 ", 100), ("-5", -5)],
)
def test_to_rupiah(value: str | Decimal | int, expected: int) -> None:
    assert to_rupiah(value) == expected


@pytest.mark.parametrize("value", ["1.5", Decimal("0.01"), "abc", "", "NaN", "Infinity"])
def test_to_rupiah_rejects(value: str | Decimal) -> None:
    with pytest.raises(ValueError):
        to_rupiah(value)


@pytest.mark.parametrize("value", [1.0, True])
def test_to_rupiah_rejects_inexact_types(value: object) -> None:
    with pytest.raises(TypeError):
        to_rupiah(value)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_to_rupiah_exact_from_decimal_strings(n: int) -> None:
    assert to_rupiah(f"{n}.00") == n
    assert to_rupiah(Decimal(n)) == n


def test_round_rupiah_half_up() -> None:
    assert round_rupiah(Decimal("85000.5")) == 85001
    assert round_rupiah("19000.4") == 19000
