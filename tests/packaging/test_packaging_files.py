"""The packaging files: desktop entry, icons, PyInstaller spec, build script."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

from tests.platforms import linux_only

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "kasir.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_parses_with_exec_icon_categories() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Kasir"
    assert entry["Exec"].split()[0] == "kasir"
    assert entry["Icon"] == "kasir"
    assert entry["Terminal"] == "false"
    categories = entry["Categories"]
    assert categories.endswith(";")
    assert "Office" in categories.split(";")  # a registered main category
    assert entry["Comment[id]"] and entry["GenericName[id]"]


@linux_only("desktop-file-validate (desktop-file-utils)")
def test_desktop_entry_validates() -> None:
    exe = shutil.which("desktop-file-validate")
    assert exe, "desktop-file-validate is a test requirement (Debian: desktop-file-utils)"
    proc = subprocess.run([exe, str(PACKAGING / "kasir.desktop")], capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_icon_files(qapp: Any) -> None:
    from PySide6.QtGui import QImage, QImageReader
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(ICONS / "kasir.svg")).isValid()
    for size in (256, 128, 64, 48):
        data = (ICONS / f"kasir-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (size, size)
        image = QImage(str(ICONS / f"kasir-{size}.png"))
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # transparent corner (rounded tile)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
    ico = QImageReader(str(ICONS / "kasir.ico"))
    assert ico.imageCount() == 4
    icns = (ICONS / "kasir.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def _spec_list(name: str) -> list[Any]:
    tree = ast.parse((PACKAGING / "kasir.spec").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            value: list[Any] = ast.literal_eval(node.value)
            return value
    raise AssertionError(f"{name} not found in kasir.spec")


def test_spec_points_at_real_files() -> None:
    text = (PACKAGING / "kasir.spec").read_text("utf-8")
    compile(text, "kasir.spec", "exec")
    assert '"ui" / "cli.py"' in text and (ROOT / "ui" / "cli.py").is_file()
    assert (ROOT / "pos" / "sandbox" / "data" / "locations.json").is_file()
    assert '"pos" / "sandbox" / "data"' in text and '"resources"' in text
    for icon in ("kasir.ico", "kasir.icns"):
        assert icon in text and (ICONS / icon).is_file()


def test_excluded_qt_modules_are_unused() -> None:
    """The spec leaves these Qt modules out of the app: nothing may import them."""
    unused = set(_spec_list("QT_UNUSED"))
    assert {"QtQml", "QtQuick", "QtWebEngineCore"} <= unused
    assert not unused & {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport"}
    pattern = re.compile(r"PySide6(?:\.|\s+import\s+)(Qt\w+)")
    used: dict[str, str] = {}
    for folder in ("pos", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            for module in pattern.findall(path.read_text("utf-8")):
                used.setdefault(module, str(path.relative_to(ROOT)))
    clash = {m: f for m, f in used.items() if m in unused}
    assert not clash, f"used but excluded in packaging/kasir.spec: {clash}"


def test_build_script_is_strict_and_self_tests() -> None:
    script = (PACKAGING / "build-linux.sh").read_text("utf-8")
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert 'install -q -e ".[package]"' in script
    assert "--self-test" in script and "QT_QPA_PLATFORM=offscreen" in script
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(PACKAGING / "build-linux.sh")], check=True)


def test_pyinstaller_is_pinned() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    package = project["optional-dependencies"]["package"]
    assert any(re.fullmatch(r"pyinstaller==\d+\.\d+(\.\d+)?", dep) for dep in package), package
