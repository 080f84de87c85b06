"""``python -m ui.selftest`` (what ``kasir --self-test`` runs): a scripted demo sale exits 0,
and its QR and PDF receipt are real. The frozen-app build itself is ``-m slow``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.platforms import linux_only

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` from the repository root, offscreen, in demo mode (no API key)."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("KASIR_API_KEY", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_self_test_sells_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "st"
    proc = _run("-m", "ui.selftest", "--out", str(out), "--timeout", "90")
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report
    assert "PASS" in proc.stdout and "FAIL" not in proc.stdout, report
    for step in ("sandbox", "window", "catalog", "order", "payment", "qr", "receipt"):
        assert re.search(rf"^\s+{step}\s+OK\b", proc.stdout, re.M), (step, report)
    assert "unpaid → paid" in proc.stdout  # the watcher saw the payment arrive by itself

    match = re.search(r"order\s+OK\s+\S+ via \S+, (\S+)", proc.stdout)
    assert match, report
    payment_url = match.group(1)
    pdf = out / "receipt.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")

    import zxingcpp
    from PIL import Image

    with Image.open(out / "payment-qr.png") as image:
        texts = [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]
    assert texts == [payment_url]


def test_kasir_self_test_flag_runs_it() -> None:
    """``kasir --self-test`` (here ``python -m ui --self-test``) is wired to the same test."""
    proc = _run("-m", "ui", "--self-test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Kasir self-test") and "\nPASS in " in proc.stdout


def test_self_test_fails_clearly(tmp_path: Path) -> None:
    """A step that cannot succeed gives exit 1 and a FAIL line naming the step."""
    code = (
        "import sys, ui.selftest as st\n"
        "def boom(items):\n"
        "    raise st.SelfTestError('no digital item (forced)')\n"
        "st._first_digital = boom\n"
        "sys.exit(st.main(['--out', sys.argv[1]]))\n"
    )
    proc = _run("-c", code, str(tmp_path / "st"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAIL at catalog: no digital item (forced)" in proc.stdout
    assert "PASS" not in proc.stdout


@pytest.mark.slow
@linux_only("packaging/build-linux.sh (bash, the Linux build)")
def test_build_linux_app_and_self_test() -> None:
    """packaging/build-linux.sh: fresh venv, PyInstaller one-folder build, frozen self-test
    (about a minute with a warm pip cache)."""
    proc = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build-linux.sh")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    assert "PASS" in proc.stdout
