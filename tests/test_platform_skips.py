"""Every test module imported as on Windows and on macOS (``sys.platform`` patched): each test
that needs POSIX signals, ``resource``, uid/permissions or a Linux tool is skipped there with a
stated reason, and on Linux every such test still runs (CI requires the tools)."""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent

#: what Windows does not have
POSIX = re.compile(
    r"signal\.SIG(KILL|INT|TERM|XFSZ|HUP|QUIT|USR1|USR2)\b|\bresource\.(setrlimit|getrlimit)"
    r"|os\.(geteuid|getuid|setuid|setgid|fork|killpg)\b|\bfcntl\.|\.chmod\(0o[0-7]{3}\)"
    r"|\[\"bash\", "
)
#: Linux tools the CI installs (README command B)
LINUX = re.compile(r"pdftoppm|desktop-file-validate|\"build-linux\.sh\"")
#: tests that use a tool only when it is installed and do the same without it
PORTABLE = {
    ("ui/receipts/test_receipt_pdf.py", "test_screenshots"),  # pdftoppm, else Qt renders
    # names SIGINT's number only; no signal is sent
    (
        "ui/history/test_quit_on_signal.py",
        "test_a_signal_that_came_before_the_loop_stops_the_start_up_cleanly",
    ),
    ("packaging/test_packaging_files.py", "test_build_script_is_strict_and_self_tests"),
}


def _test_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if p != Path(__file__).resolve())


def _import(path: Path, platform: str) -> types.ModuleType:
    rel = path.with_suffix("").as_posix().replace("/", "_").replace(":", "_")
    name = f"_platform_check_{platform}_{rel}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    saved = sys.platform
    sys.platform = platform  # type: ignore[misc]  # read by the markers at import
    try:
        spec.loader.exec_module(module)
    finally:
        sys.platform = saved  # type: ignore[misc]
    return module


def _marks(obj: object) -> list[Any]:
    marks = getattr(obj, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    return [getattr(m, "mark", m) for m in marks]  # a module's MarkDecorator → its Mark


def _tests(module: types.ModuleType) -> Iterator[tuple[str, Callable[..., Any], list[Any]]]:
    base = _marks(module)
    for name, obj in vars(module).items():
        if name.startswith("test_") and inspect.isfunction(obj):
            yield name, obj, base + _marks(obj)
        elif name.startswith("Test") and inspect.isclass(obj):
            marks = base + _marks(obj)
            for attr, fn in vars(obj).items():
                if attr.startswith("test_") and inspect.isfunction(fn):
                    yield f"{name}.{attr}", fn, marks + _marks(fn)


def _skip_reason(marks: list[Any]) -> str | None:
    for mark in marks:
        if mark.name == "skipif" and mark.args and mark.args[0] is True:
            return str(mark.kwargs.get("reason", ""))
        if mark.name == "skip":
            return str(mark.kwargs.get("reason", mark.args[0] if mark.args else ""))
    return None


def _source(module: types.ModuleType, fn: Callable[..., Any]) -> str:
    """The test's source plus the module-level strings it names (child-process scripts)."""
    text = inspect.getsource(fn)
    for name in fn.__code__.co_names:
        value = vars(module).get(name)
        if isinstance(value, str):
            text += "\n" + value
    return text


def _needs(module: types.ModuleType, rel: str, name: str, fn: Callable[..., Any]) -> set[str]:
    """The platforms on which the test cannot run."""
    if (rel, name.split(".")[-1]) in PORTABLE:
        return set()
    source = _source(module, fn)
    if LINUX.search(source):
        return {"win32", "darwin"}
    if POSIX.search(source):
        return {"win32"}
    return set()


def _check(platform: str) -> tuple[list[str], list[str], int]:
    """(unmarked POSIX-only tests, marked ones, count of POSIX-only tests) on ``platform``."""
    missing, skipped, count = [], [], 0
    for path in _test_files():
        rel = path.relative_to(TESTS).as_posix()
        _import(path, "linux")  # its imports loaded with the real platform first
        module = _import(path, platform)
        for name, fn, marks in _tests(module):
            if platform not in _needs(module, rel, name, fn):
                continue
            count += 1
            reason = _skip_reason(marks)
            if not reason:
                missing.append(f"{rel}::{name}")
            else:
                skipped.append(f"{rel}::{name}: {reason}")
    return missing, skipped, count


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_posix_only_tests_skip_with_a_reason(platform: str) -> None:
    missing, skipped, count = _check(platform)
    assert not missing, f"needs a tests.platforms marker on {platform}: {missing}"
    assert count == len(skipped) >= (7 if platform == "win32" else 3), skipped
    assert all(("POSIX only" in s or "Linux only" in s) for s in skipped), skipped


def test_on_linux_they_all_run() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("checks the Linux run")
    ran = 0
    for path in _test_files():
        rel = path.relative_to(TESTS).as_posix()
        module = _import(path, "linux")
        for name, fn, marks in _tests(module):
            needs = _needs(module, rel, name, fn)
            if not needs:
                continue
            ran += 1
            assert _skip_reason(marks) is None, f"{rel}::{name} is skipped on Linux"
    assert ran >= 7


def test_the_check_sees_an_unmarked_posix_test(tmp_path: Path) -> None:
    """The scanner is not blind: an unmarked SIGKILL test is reported."""
    path = tmp_path / "test_fake_kill.py"
    path.write_text(
        "import os, signal\n\ndef test_kill():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    module = _import(path, "win32")
    [(name, fn, marks)] = list(_tests(module))
    assert _needs(module, "test_fake_kill.py", name, fn) == {"win32"}
    assert _skip_reason(marks) is None
