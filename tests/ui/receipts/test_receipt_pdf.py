"""The PDF receipt (ui/receipts/pdf.py): one roll-paper page with the receipt's content and a
QR code that scans to the order URL.

``pdftotext`` / ``pdftoppm`` (poppler-utils) are used when installed, for a look inside the
PDF; without them the PDF is checked from its own page objects. With ``KASIR_SCREENSHOTS=1``
the rendered receipts go to ``docs/screenshots/`` (``receipt-pdf.png`` and
``receipt-pdf-58mm-en.png``).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from pos.receipts.model import Receipt, ReceiptLine
from tests.platforms import linux_only
from tests.receipts.receipt_samples import sample_receipt
from tests.ui.ui_support import qr_texts, screenshot_dir
from ui.receipts.pdf import page_size_mm, render_image, render_pdf
from ui.receipts.roll_layout import qr_matrix

ROOT = Path(__file__).resolve().parents[3]
MM_TO_PT = 72 / 25.4


@pytest.fixture(autouse=True)
def _gui(qapp: Any) -> None:
    """Fonts need a Q(Gui)Application (pytest-qt's, offscreen)."""


def english_unpaid() -> Receipt:
    return dataclasses.replace(
        sample_receipt(), lang="en", paid=False, footer="Thank you!", customer_name=""
    )


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page object of a PDF written by Qt."""
    pages = re.findall(rb"/Type\s*/Page\b", data)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) == len(pages)
    return [(float(w), float(h)) for w, h in boxes]


def pdf_text(path: Path) -> str | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    proc = subprocess.run(
        [exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return proc.stdout


def decode_qr(image: QImage, tmp_path: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    png = tmp_path / "qr-check.png"
    assert image.save(str(png))
    with Image.open(png) as pil:
        return [r.text for r in zxingcpp.read_barcodes(pil.convert("L"))]


@pytest.mark.parametrize("width_mm", [80, 58])
def test_pdf_is_one_roll_paper_page(tmp_path: Path, width_mm: int) -> None:
    receipt = sample_receipt()
    path = render_pdf(receipt, tmp_path / "out" / "receipt.pdf", width_mm=width_mm)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = pdf_pages(data)
    assert len(pages) == 1
    width_pt, height_pt = pages[0]
    assert width_pt == pytest.approx(width_mm * MM_TO_PT, abs=1.0)
    _w, height_mm = page_size_mm(receipt, width_mm=width_mm)
    assert height_pt == pytest.approx(height_mm * MM_TO_PT, abs=1.0)
    assert 100 < height_mm < 300  # as tall as the content, not an A4 page


def test_pdf_text_has_the_receipt(tmp_path: Path) -> None:
    receipt = sample_receipt()
    path = render_pdf(receipt, tmp_path / "receipt.pdf")
    text = pdf_text(path)
    assert text, "pdftotext is a test requirement (Debian: poppler-utils)"
    flat = " ".join(text.split())
    for expected in (
        "Kedai Kopi Nusantara",
        "2611260042XQ",
        "26 Nov 2026 21.15",
        "KASIR-01",
        "Budi Santoso",
        "Roti Bakar Cokelat",
        "2 × Rp45.000",
        "Rp90.000",
        "Rp3.750.000",
        "Ongkir JNE REG",
        "Rp12.000",
        "-Rp10.000",
        "TOTAL",
        "Rp3.857.000",
        "QRIS",
        "LUNAS",
        "Pindai untuk melihat pesanan",
        "Terima kasih!",
    ):
        assert expected in flat, expected
    assert "BELUM" not in flat


def test_pdf_text_english_unpaid(tmp_path: Path) -> None:
    path = render_pdf(english_unpaid(), tmp_path / "receipt.pdf", width_mm=58)
    text = pdf_text(path)
    assert text, "pdftotext is a test requirement (Debian: poppler-utils)"
    flat = " ".join(text.split())
    assert "UNPAID" in flat and not re.search(r"(?<!UN)PAID", flat)
    for expected in ("Order no.", "26 Nov 2026 21:15", "Shipping JNE REG", "Scan to view"):
        assert expected in flat, expected
    assert "Customer" not in flat  # no customer name, no customer row


def test_qr_scans_to_the_order_url(tmp_path: Path) -> None:
    receipt = sample_receipt()
    image = render_image(receipt, dpi=203)
    assert image.width() == round(80 * 203 / 25.4)
    assert receipt.order_url in decode_qr(image, tmp_path)


@linux_only("pdftoppm (poppler-utils)")
def test_qr_in_the_pdf_scans(tmp_path: Path) -> None:
    exe = shutil.which("pdftoppm")
    assert exe, "pdftoppm is a test requirement (Debian: poppler-utils)"
    receipt = english_unpaid()
    pdf = render_pdf(receipt, tmp_path / "r.pdf", width_mm=58)
    subprocess.run([exe, "-r", "200", "-png", str(pdf), str(tmp_path / "r")], check=True)
    (png,) = tmp_path.glob("r*.png")
    assert receipt.order_url in decode_qr(QImage(str(png)), tmp_path)


def test_no_qr_without_an_order_url_and_long_content(tmp_path: Path) -> None:
    base = sample_receipt()
    no_url = dataclasses.replace(base, order_url=None)
    assert page_size_mm(no_url)[1] < page_size_mm(base)[1] - 30  # no QR block
    many = dataclasses.replace(
        base,
        lines=tuple(ReceiptLine(f"Barang nomor {i} " + "x" * 90, i, 1_000 * i) for i in range(40)),
    )
    path = render_pdf(many, tmp_path / "long.pdf", width_mm=58)
    assert len(pdf_pages(path.read_bytes())) == 1  # still one (long) page
    assert page_size_mm(many, width_mm=58)[1] > 3 * page_size_mm(base, width_mm=58)[1]


def test_image_is_not_blank() -> None:
    image = render_image(sample_receipt(), dpi=100)
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(
        1
        for y in range(0, gray.height(), 2)
        for x in range(0, gray.width(), 2)
        if gray.pixelColor(x, y).value() < 128
    )
    assert dark > 500


def test_bad_width_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="58 or 80"):
        render_pdf(sample_receipt(), tmp_path / "x.pdf", width_mm=70)
    assert not (tmp_path / "x.pdf").exists()


def test_qr_matrix_has_quiet_zone() -> None:
    matrix = qr_matrix("https://example.com/o/abc")
    n = len(matrix)
    assert n >= 21 + 8 and all(len(row) == n for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)
    assert matrix[4][4]  # the finder pattern's corner


def test_screenshots(tmp_path: Path) -> None:
    """The receipt as a PDF viewer shows it, at its paper width, its QR scanning to the order;
    writes docs/screenshots/receipt-pdf*.png with KASIR_SCREENSHOTS=1."""
    out = screenshot_dir(tmp_path)
    exe = shutil.which("pdftoppm")
    for receipt, width, name in (
        (sample_receipt(), 80, "receipt-pdf"),
        (english_unpaid(), 58, "receipt-pdf-58mm-en"),
    ):
        pdf = render_pdf(receipt, tmp_path / f"{name}.pdf", width_mm=width)
        target = out / f"{name}.png"
        if exe is not None:  # what a PDF viewer shows
            stem = tmp_path / f"{name}-page"
            subprocess.run([exe, "-r", "150", "-png", "-singlefile", str(pdf), str(stem)],
                           check=True)  # fmt: skip
            shutil.copyfile(stem.with_suffix(".png"), target)
        else:
            assert render_image(receipt, width_mm=width, dpi=150).save(str(target))
        image = QImage(str(target))
        assert image.width() == pytest.approx(width * 150 / 25.4, abs=2)
        assert qr_texts(image, tmp_path) == [receipt.order_url]
