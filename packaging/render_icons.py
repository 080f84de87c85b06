"""Render resources/icons/kasir.svg to the committed PNGs (256/128/64/48), kasir.ico (Windows)
and kasir.icns (macOS): QSvgRenderer draws, the two icon containers are written here.

Run after changing the SVG, then look at the results and commit them::

    .venv/bin/python packaging/render_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "kasir.svg"
PNG_SIZES = (256, 128, 64, 48)


def png_path(size: int) -> Path:
    return ICONS / f"kasir-{size}.png"


def render(size: int) -> QImage:
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise RuntimeError(f"{SVG} is not a valid SVG for QtSvg")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    renderer.render(painter)
    painter.end()
    return image


def ico_bytes(pngs: list[bytes]) -> bytes:
    """A Windows .ico holding the given PNG images (PNG entries: Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, offset = b"", 6 + 16 * len(pngs)
    for png in pngs:
        width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
        entries += struct.pack(
            "<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(png), offset
        )
        offset += len(png)
    return header + entries + b"".join(pngs)


def icns_bytes(entries: dict[str, bytes]) -> bytes:
    """A macOS .icns of PNG entries (``ic07`` = 128 px, ``ic08`` = 256 px)."""
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(png)) + png
        for kind, png in entries.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in PNG_SIZES:
        if not render(size).save(str(png_path(size))):
            raise RuntimeError(f"cannot write {png_path(size)}")
    (ICONS / "kasir.ico").write_bytes(
        ico_bytes([png_path(size).read_bytes() for size in PNG_SIZES])
    )
    (ICONS / "kasir.icns").write_bytes(
        icns_bytes({"ic08": png_path(256).read_bytes(), "ic07": png_path(128).read_bytes()})
    )
    print(f"wrote {len(PNG_SIZES)} PNGs, kasir.ico and kasir.icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
