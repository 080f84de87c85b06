"""The sample receipt behind the committed expected outputs (tests/receipts/expected/).

Regenerate after an intended layout change with::

    .venv/bin/python tests/receipts/receipt_samples.py

then inspect the files (``cat expected/receipt-58mm.txt``, ``xxd expected/receipt-58mm.bin``)
before committing them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pos.receipts.escpos import render_escpos
from pos.receipts.model import Receipt, ReceiptLine, ReceiptShipping
from pos.receipts.text import render_text

EXPECTED = Path(__file__).resolve().parent / "expected"


def sample_receipt() -> Receipt:
    return Receipt(
        store_name="Kedai Kopi Nusantara Café Jaya Sentosa",
        terminal="KASIR-01",
        order_number="2611260042XQ",
        created_at=datetime(2026, 11, 26, 21, 15),
        lines=(
            ReceiptLine("Kopi Susu Gula Aren Spesial Ukuran Besar (1 Liter)", 2, 45_000),
            ReceiptLine("Roti Bakar Cokelat", 1, 15_000),
            ReceiptLine("Paket Hampers Lebaran Premium", 3, 1_250_000),
        ),
        payment_method="QRIS",
        paid=True,
        shipping=ReceiptShipping("JNE REG", 12_000),
        adjustments=(("Diskon member", -10_000),),
        customer_name="Budi Santoso",
        order_url="https://kedai.myscalev.com/o/2611260042XQ",
        footer="Terima kasih!\nBarang yang sudah dibeli tidak dapat ditukar.",
    )


def regenerate() -> None:
    receipt = sample_receipt()
    EXPECTED.mkdir(exist_ok=True)
    for mm, cols in ((58, 32), (80, 48)):
        (EXPECTED / f"receipt-{mm}mm.bin").write_bytes(render_escpos(receipt, mm))
        (EXPECTED / f"receipt-{mm}mm.txt").write_text(render_text(receipt, cols), "utf-8")


if __name__ == "__main__":
    regenerate()
