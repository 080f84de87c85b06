from __future__ import annotations

from datetime import datetime

import pytest

from pos.receipts.escpos import FEED_AND_PARTIAL_CUT, INIT, encode_text, qr_code, render_escpos
from pos.receipts.model import Receipt, ReceiptLine
from tests.receipts.receipt_samples import EXPECTED, sample_receipt


@pytest.mark.parametrize("width_mm", [58, 80])
def test_escpos_matches_expected_file_byte_for_byte(width_mm: int) -> None:
    expected = (EXPECTED / f"receipt-{width_mm}mm.bin").read_bytes()
    assert render_escpos(sample_receipt(), width_mm) == expected


@pytest.mark.parametrize(("width_mm", "module"), [(58, 6), (80, 8)])
def test_escpos_structure(width_mm: int, module: int) -> None:
    data = render_escpos(sample_receipt(), width_mm)
    assert data.startswith(INIT + b"\x1bt\x10")  # init, code page WPC1252
    assert data.endswith(b"\x1bd\x03" + FEED_AND_PARTIAL_CUT)  # feed, partial cut
    assert b"\x1b!\x18" in data  # bold + double height header
    assert b"\x1ba\x01" + qr_code("https://kedai.myscalev.com/o/2611260042XQ", module) in data
    assert "Café".encode("cp1252") in data
    # every printed text line fits the paper
    columns = 32 if width_mm == 58 else 48
    text = data.replace(b"\x1b!\x18", b"").replace(b"\x1b!\x00", b"")
    for line in text.split(b"\n"):
        if b"\x1d(k" not in line and b"\x1b" not in line:
            assert len(line) <= columns, line


def test_qr_code_bytes() -> None:
    assert qr_code("AB", 4) == (
        b"\x1d(k\x04\x001A2\x00"  # model 2
        b"\x1d(k\x03\x001C\x04"  # module size 4
        b"\x1d(k\x03\x001E1"  # error correction M
        b"\x1d(k\x05\x001P0AB"  # store 2 bytes: pL = 2 + 3
        b"\x1d(k\x03\x001Q0"  # print
    )
    long = qr_code("x" * 300)
    assert b"\x1d(k\x2f\x011P0" + b"x" * 300 in long  # 303 = 0x012F -> pL 0x2F, pH 0x01
    with pytest.raises(ValueError):
        qr_code("")
    with pytest.raises(ValueError):
        qr_code("x", 0)


def test_no_qr_without_order_url() -> None:
    receipt = Receipt(
        store_name="Toko",
        terminal="K1",
        order_number="1",
        created_at=datetime(2026, 1, 2, 3, 4),
        lines=(ReceiptLine("Teh", 1, 5000),),
        payment_method="Tunai",
        paid=False,
    )
    data = render_escpos(receipt, 58)
    assert b"\x1d(k" not in data
    assert b"BELUM LUNAS" in data


def test_encode_text_keeps_one_byte_per_character() -> None:
    assert encode_text("Rp150.000 é €") == b"Rp150.000 \xe9 \x80"
    assert encode_text("Đà Nẵng ☕") == b"?\xe0 Nang ?"  # Đ has no decomposition; à is in cp1252
    for s in ("Đà Nẵng ☕", "ąćęłńóśźż", "日本"):
        assert len(encode_text(s)) == len(s)


def test_bad_width() -> None:
    with pytest.raises(ValueError):
        render_escpos(sample_receipt(), 76)
