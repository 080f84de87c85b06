from __future__ import annotations

import re
from datetime import datetime

import pytest

from pos.receipts.model import Receipt, ReceiptLine, ReceiptShipping, format_receipt_date
from pos.receipts.text import left_right, render_text, wrap
from tests.receipts.receipt_samples import EXPECTED, sample_receipt

AMOUNT = re.compile(r"-?Rp\d{1,3}(\.\d{3})*$")


@pytest.mark.parametrize(("columns", "mm"), [(32, 58), (48, 80)])
def test_text_matches_expected_file(columns: int, mm: int) -> None:
    expected = (EXPECTED / f"receipt-{mm}mm.txt").read_text(encoding="utf-8")
    assert render_text(sample_receipt(), columns) == expected


@pytest.mark.parametrize("columns", [32, 48])
def test_lines_fit_and_amounts_are_right_aligned(columns: int) -> None:
    text = render_text(sample_receipt(), columns)
    lines = text.splitlines()
    assert all(len(line) <= columns for line in lines)
    assert all(line == line.rstrip() for line in lines)
    amounts = [line for line in lines if AMOUNT.search(line)]
    assert len(amounts) == 3 + 4  # 3 item lines + subtotal, shipping, discount, total
    for line in amounts:
        assert len(line) == columns, line  # flush right
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert total.endswith("Rp3.857.000")
    assert "  2 x Rp45.000" in text
    assert "Ongkir JNE REG" in text and "LUNAS" in text


def test_long_names_wrap_on_words() -> None:
    text = render_text(sample_receipt(), 32)
    assert "Kopi Susu Gula Aren Spesial\nUkuran Besar (1 Liter)\n" in text
    assert wrap("Supercalifragilisticexpialidocious", 10) == [
        "Supercalif",
        "ragilistic",
        "expialidoc",
        "ious",
    ]
    assert wrap("", 10) == [""]
    assert wrap("a\tb\n  c", 10) == ["a b c"]


def test_left_right() -> None:
    assert left_right("Total", "Rp5.000", 20) == ["Total        Rp5.000"]
    assert left_right("Ongkir J&T Express Reguler Cepat", "Rp12.000", 32) == [
        "Ongkir J&T Express",
        "Reguler Cepat           Rp12.000",
    ]
    assert left_right("1 x Rp5.000", "Rp5.000", 24, indent=2) == ["  1 x Rp5.000    Rp5.000"]
    long_value = "X" * 40
    assert left_right("No", long_value, 32) == ["No", "X" * 32, "X" * 8]


def test_dates() -> None:
    when = datetime(2026, 11, 26, 21, 15)
    assert format_receipt_date(when) == "26 Nov 2026 21.15"
    assert format_receipt_date(datetime(2026, 5, 1, 8, 5)) == "1 Mei 2026 08.05"
    assert format_receipt_date(datetime(2026, 8, 17, 0, 0)) == "17 Agu 2026 00.00"
    assert format_receipt_date(datetime(2026, 12, 31, 23, 59)) == "31 Des 2026 23.59"
    assert format_receipt_date(datetime(2026, 10, 2, 9, 30), "en") == "2 Oct 2026 09:30"


def test_english_unpaid_without_shipping_or_qr() -> None:
    receipt = Receipt(
        store_name="Toko Sebelah",
        terminal="KASIR-02",
        order_number="A1",
        created_at=datetime(2026, 8, 17, 10, 0),
        lines=(ReceiptLine("Es Teh", 2, 5_000),),
        payment_method="Bank transfer",
        paid=False,
        lang="en",
    )
    text = render_text(receipt, 32)
    assert "Order no." in text and "Date" in text and "17 Aug 2026 10:00" in text
    assert "UNPAID" in text and "Shipping" not in text and "Scan" not in text
    assert receipt.total == 10_000


def test_totals() -> None:
    r = sample_receipt()
    assert r.subtotal == 90_000 + 15_000 + 3_750_000
    assert r.shipping_cost == 12_000
    assert r.total == r.subtotal + 12_000 - 10_000
    assert ReceiptLine("x", 3, 2_500).subtotal == 7_500
    assert ReceiptShipping("SiCepat", 9_000).cost == 9_000


def test_too_narrow() -> None:
    with pytest.raises(ValueError):
        render_text(sample_receipt(), 20)
