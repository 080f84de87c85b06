"""Receipts printed through the OS print system (``QPrinter``), checked with Qt's PDF
printer backend: the printed page is a 58/80 mm roll as tall as the receipt, rendered
(pdftoppm) it holds the text and a QR that scans to the order URL; the settings' ``system``
printer goes through it; a saved PDF gets Open and Print links that work."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage, QPdfWriter

from pos.config import AppSettings, PrinterSettings
from tests.platforms import linux_only
from tests.receipts.receipt_samples import sample_receipt
from tests.ui.ui_support import qr_texts
from ui.common.notifier import Notifier
from ui.common.tasks import TaskRunner
from ui.receipts.actions import LINK_OPEN, LINK_PRINT, ReceiptActions
from ui.receipts.pdf import page_size_mm, paint_receipt
from ui.receipts.printing import os_printer, pdf_printer, print_receipt

MM_TO_PT = 72 / 25.4
ORDER_URL = "https://kedai.myscalev.com/o/2611260042XQ"


@pytest.fixture(autouse=True)
def _gui(qapp: Any) -> None:
    """Fonts need a Q(Gui)Application (pytest-qt's, offscreen)."""


def media_boxes(path: Path) -> list[tuple[float, float]]:
    data = path.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def render_page(pdf: Path, dpi: int = 203) -> QImage:
    """The printed page as the paper shows it (pdftoppm, poppler-utils)."""
    exe = shutil.which("pdftoppm")
    assert exe, "pdftoppm is a test requirement (Debian: poppler-utils)"
    stem = pdf.with_suffix("")
    subprocess.run(
        [exe, "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem)], check=True, timeout=60
    )
    image = QImage(str(stem.with_suffix(".png")))
    assert not image.isNull()
    return image


def ink_rows(image: QImage) -> int:
    """How many pixel rows hold dark ink (a blank page has none)."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = 0
    for y in range(gray.height()):
        if any(gray.pixelColor(x, y).lightness() < 100 for x in range(0, gray.width(), 2)):
            rows += 1
    return rows


@pytest.mark.parametrize("width_mm", [58, 80])
def test_printed_page_is_one_roll_as_tall_as_the_receipt(tmp_path: Path, width_mm: int) -> None:
    receipt = sample_receipt()
    out = tmp_path / f"printed-{width_mm}.pdf"
    print_receipt(pdf_printer(out), receipt, width_mm=width_mm)
    [(w, h)] = media_boxes(out)
    want_w, want_h = page_size_mm(receipt, width_mm=width_mm)
    assert w == pytest.approx(want_w * MM_TO_PT, abs=1.0)
    assert h == pytest.approx(want_h * MM_TO_PT, abs=1.0)
    assert h > 2 * w  # a roll, not A4


@linux_only("pdftoppm (poppler-utils)")
@pytest.mark.parametrize("width_mm", [58, 80])
def test_printed_page_renders_text_and_a_qr_that_scans(tmp_path: Path, width_mm: int) -> None:
    out = tmp_path / "printed.pdf"
    print_receipt(pdf_printer(out), sample_receipt(), width_mm=width_mm)
    page = render_page(out)
    assert page.width() == pytest.approx(width_mm / 25.4 * 203, abs=2)  # 203 dpi thermal dots
    assert qr_texts(page, tmp_path) == [ORDER_URL]
    assert ink_rows(page) > page.height() // 4  # text all the way down, not one blob
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("2611260042XQ", "TOTAL", "Rp3.857.000", "LUNAS", "QRIS"):
        assert word in text, (word, text)


class _FixedResolutionWriter(QPdfWriter):
    """A printer driver that keeps its own resolution (setResolution ignored)."""

    def setResolution(self, resolution: int) -> None:
        pass


@linux_only("pdftoppm (poppler-utils)")
def test_a_driver_with_its_own_resolution_gets_the_receipt_as_an_image(tmp_path: Path) -> None:
    out = tmp_path / "fixed.pdf"
    writer = _FixedResolutionWriter(str(out))
    assert writer.resolution() != 300
    paint_receipt(writer, sample_receipt(), width_mm=58)
    del writer  # finishes the file
    page = render_page(out)
    assert qr_texts(page, tmp_path) == [ORDER_URL]
    assert ink_rows(page) > page.height() // 4


def test_no_such_os_printer() -> None:
    assert os_printer("no printer has this name 7f3a") is None


def _actions(tmp_path: Path, printer: PrinterSettings) -> tuple[ReceiptActions, list[str]]:
    notifier = Notifier()
    messages: list[str] = []
    notifier.message.connect(lambda _level, text: messages.append(text))
    notifier.notice.connect(lambda _level, text: messages.append(text))
    actions = ReceiptActions(
        TaskRunner(notifier), notifier, settings=AppSettings(printer=printer), data_dir=tmp_path
    )
    return actions, messages


def test_system_printer_setting_prints_through_qprinter(tmp_path: Path) -> None:
    actions, messages = _actions(tmp_path, PrinterSettings(kind="system", target="", width=80))
    asked: list[str] = []
    out = tmp_path / "spooled.pdf"

    def printer_for(name: str) -> Any:
        asked.append(name)
        return pdf_printer(out)

    actions.os_printer = printer_for
    assert actions.print_receipt(sample_receipt())
    assert asked == [""]  # "" = the OS default printer
    [(w, _h)] = media_boxes(out)
    assert w == pytest.approx(80 * MM_TO_PT, abs=1.0)
    assert "sent to the printer" in messages[-1]


def test_a_missing_named_printer_is_reported(tmp_path: Path) -> None:
    actions, messages = _actions(tmp_path, PrinterSettings(kind="system", target="POS-58"))
    actions.os_printer = lambda name: None
    assert not actions.print_receipt(sample_receipt())
    assert "'POS-58'" in messages[-1] and "F10" in messages[-1]


class _Viewer(QObject):
    """The OS's PDF viewer, as Qt's URL handler for file: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def test_saved_pdf_has_open_and_print_links(tmp_path: Path) -> None:
    actions, messages = _actions(tmp_path, PrinterSettings(kind="network", target="10.0.0.9"))
    path = actions.save_pdf(sample_receipt())
    assert path is not None and path.is_file()
    notice = messages[-1]
    hrefs = re.findall(r'href="([^"]+)"', notice)
    assert [h.split(":")[0] + ":" for h in hrefs] == [LINK_OPEN, LINK_PRINT]
    assert "Open</a>" in notice and "Print</a>" in notice and str(path) in notice

    viewer = _Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "show")
    try:
        actions.notifier.link_activated.emit(hrefs[0])
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert viewer.opened == [str(path)]

    out = tmp_path / "from-link.pdf"
    actions.os_printer = lambda name: pdf_printer(out)
    actions.notifier.link_activated.emit(hrefs[1])  # Print: through the OS printer
    assert len(media_boxes(out)) == 1
