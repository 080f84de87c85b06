"""The packaging files: desktop entry, icons, PyInstaller spec, build script."""

from __future__ import annotations

import ast
import configparser
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

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


class _Recorder:
    """PyInstaller's spec globals (Analysis, EXE, …): record what the spec asks for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def make(self, kind: str) -> Any:
        def build(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((kind, args, kwargs))
            return SimpleNamespace(kind=kind, args=args, kwargs=kwargs, scripts=[], pure=[],
                                   binaries=[], datas=[])  # fmt: skip

        return build

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [kwargs for k, _args, kwargs in self.calls if k == kind]


def _run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    """Evaluate packaging/kasir.spec as PyInstaller would on ``platform`` (nothing is built)."""
    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name: [name]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name: []  # type: ignore[attr-defined]
    versioninfo = ModuleType("PyInstaller.utils.win32.versioninfo")
    for cls in ("FixedFileInfo", "StringFileInfo", "StringStruct", "StringTable",
                "VarFileInfo", "VarStruct", "VSVersionInfo"):  # fmt: skip
        setattr(versioninfo, cls, lambda *a, _cls=cls, **k: (_cls, a, k))
    for name, module in {
        "PyInstaller": ModuleType("PyInstaller"),
        "PyInstaller.utils": ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.utils.win32": ModuleType("PyInstaller.utils.win32"),
        "PyInstaller.utils.win32.versioninfo": versioninfo,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    rec = _Recorder()
    spec_globals: dict[str, Any] = {"SPECPATH": str(PACKAGING), "__name__": "__main__"}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        spec_globals[kind] = rec.make(kind)
    monkeypatch.setattr(sys, "platform", platform)
    code = compile((PACKAGING / "kasir.spec").read_text("utf-8"), "kasir.spec", "exec")
    exec(code, spec_globals)
    return rec


@pytest.mark.parametrize(
    ("platform", "windowed"), [("win32", True), ("darwin", True), ("linux", False)]
)
def test_spec_builds_a_windowed_till_and_a_console_cli(
    platform: str, windowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomllib

    rec = _run_spec(platform, monkeypatch)
    exes = {kw["name"]: kw for kw in rec.of("EXE")}
    assert set(exes) == {"kasir", "kasir-cli"}
    assert exes["kasir"]["console"] is (not windowed)  # no console window beside the till
    assert exes["kasir-cli"]["console"] is True  # doctor / self-test print in a terminal
    [collect] = rec.calls[-1:] if platform != "darwin" else rec.calls[-2:-1]
    assert collect[0] == "COLLECT" and [e.kwargs["name"] for e in collect[1][:2]] == [
        "kasir",
        "kasir-cli",
    ]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    if platform == "win32":
        assert exes["kasir"]["icon"].endswith("kasir.ico")
        info = exes["kasir"]["version"]
        assert info[0] == "VSVersionInfo"
        assert version in repr(info) and "kasir.exe" in repr(info)
    else:
        assert exes["kasir"]["version"] is None
    bundles = rec.of("BUNDLE")
    if platform == "darwin":
        [bundle] = bundles
        plist = bundle["info_plist"]
        assert plist["CFBundleShortVersionString"] == version
        want = "13.0" if sys.version_info < (3, 12) else "14.0"
        assert plist["LSMinimumSystemVersion"] == want
        assert bundle["icon"].endswith("kasir.icns") and "NSLocalNetworkUsageDescription" in plist
    else:
        assert bundles == []


def test_windows_and_macos_build_scripts_self_test_the_cli() -> None:
    ps1 = (PACKAGING / "build-windows.ps1").read_text("utf-8")
    assert '$ErrorActionPreference = "Stop"' in ps1
    assert 'pip install -q -e ".[package]"' in ps1
    assert 'kasir-cli.exe" --self-test' in ps1 and "$LASTEXITCODE" in ps1
    assert "QT_QPA_PLATFORM" in ps1 and "offscreen" in ps1
    mac = (PACKAGING / "build-macos.sh").read_text("utf-8")
    assert mac.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in mac
    assert 'Contents/MacOS/kasir-cli" --self-test' in mac
    bash = shutil.which("bash")
    if bash:
        subprocess.run([bash, "-n", str(PACKAGING / "build-macos.sh")], check=True)
    readme = (PACKAGING / "README.md").read_text("utf-8")
    assert "macOS 12" not in readme and "macOS 13" in readme and "14" in readme
