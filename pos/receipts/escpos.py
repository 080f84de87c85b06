"""A small ESC/POS encoder: just the commands a receipt needs, no dependency.

(python-escpos was considered: it pulls in Pillow, PyYAML, appdirs, argcomplete, six,
python-barcode and setuptools at run time — too much for ~20 command bytes.)

Commands used (Epson ESC/POS, understood by the common 58/80 mm thermal printers):

=================  =====================  ===============================================
``ESC @``          1B 40                  initialise
``ESC t 16``       1B 74 10               code page WPC1252 (text is encoded as cp1252)
``ESC ! n``        1B 21 n                print mode: 0x08 bold, 0x10 double height
``ESC a n``        1B 61 n                justification 0 left, 1 centre
``GS ( k``         1D 28 6B pL pH cn fn   QR code (cn=49): model 2, module size, error
                                          correction M, store data, print
``ESC d n``        1B 64 n                print and feed n lines
``GS V 66 n``      1D 56 42 n             feed to the cutter (+n) and partial cut
=================  =====================  ===============================================
"""

from __future__ import annotations

import unicodedata

from pos.receipts.model import Receipt
from pos.receipts.text import Line, QrCode, columns_for, layout

ESC = b"\x1b"
GS = b"\x1d"
LF = b"\n"

INIT = ESC + b"@"
CODEPAGE_WPC1252 = ESC + b"t\x10"
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
MODE_NORMAL = ESC + b"!\x00"
MODE_BOLD = ESC + b"!\x08"
MODE_BOLD_DOUBLE_HEIGHT = ESC + b"!\x18"
FEED_AND_PARTIAL_CUT = GS + b"VB\x00"

_STYLE_MODE = {
    "normal": MODE_NORMAL,
    "strong": MODE_BOLD_DOUBLE_HEIGHT,
    "title": MODE_BOLD_DOUBLE_HEIGHT,
}
_QR_MODULE = {58: 6, 80: 8}  # dots per module; 384 / 576 dot print heads
_QR_MAX = 7089


def feed(lines: int) -> bytes:
    return ESC + b"d" + bytes([max(0, min(lines, 255))])


def _qr_fn(fn: int, payload: bytes) -> bytes:
    size = len(payload) + 2
    return GS + b"(k" + bytes([size & 0xFF, size >> 8, 49, fn]) + payload


def qr_code(data: str, module_size: int = 6) -> bytes:
    """Native QR (GS ( k, model 2, error correction M) of ``data`` encoded as UTF-8."""
    raw = data.encode("utf-8")
    if not raw or len(raw) > _QR_MAX:
        raise ValueError("QR data must be 1..7089 bytes")
    if not 1 <= module_size <= 16:
        raise ValueError("QR module size must be 1..16")
    return b"".join(
        (
            _qr_fn(65, b"\x32\x00"),  # fn 165: model 2
            _qr_fn(67, bytes([module_size])),  # fn 167: module size
            _qr_fn(69, b"\x31"),  # fn 169: error correction M (15 %)
            _qr_fn(80, b"\x30" + raw),  # fn 180: store data
            _qr_fn(81, b"\x30"),  # fn 181: print
        )
    )


def encode_text(text: str) -> bytes:
    """cp1252, one byte per character so column widths hold: characters outside cp1252 fall
    back to their unaccented ASCII letter, else ``?``."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")[:1]
            out += base or b"?"
    return bytes(out)


def render_escpos(receipt: Receipt, width_mm: int = 58) -> bytes:
    """The receipt as ESC/POS bytes for 58 mm (32 columns) or 80 mm (48 columns) paper."""
    columns = columns_for(width_mm)
    out = bytearray(INIT + CODEPAGE_WPC1252 + ALIGN_LEFT + MODE_NORMAL)
    mode = MODE_NORMAL
    for item in layout(receipt, columns):
        if isinstance(item, QrCode):
            if mode != MODE_NORMAL:
                out += MODE_NORMAL
                mode = MODE_NORMAL
            out += LF + ALIGN_CENTER
            out += qr_code(item.data, _QR_MODULE[width_mm])
            out += encode_text(item.caption) + LF + ALIGN_LEFT
            continue
        assert isinstance(item, Line)
        want = _STYLE_MODE[item.style]
        if want != mode:
            out += want
            mode = want
        out += encode_text(item.text.rstrip()) + LF
    if mode != MODE_NORMAL:
        out += MODE_NORMAL
    out += feed(3) + FEED_AND_PARTIAL_CUT
    return bytes(out)
