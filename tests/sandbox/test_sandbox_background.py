"""Demo mode's sandbox: its address at once, its server started later in a thread."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from pos.sandbox import DEMO_API_KEY
from pos.sandbox.background import BackgroundSandbox

ROOT = Path(__file__).resolve().parents[2]


def _stores(base_url: str, timeout: float = 15.0) -> httpx.Response:
    return httpx.get(
        f"{base_url}/v3/stores/simplified",
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        timeout=timeout,
    )


def test_a_request_sent_before_the_server_starts_is_answered_once_it_runs(
    tmp_path: Path,
) -> None:
    sandbox = BackgroundSandbox(tmp_path / "sandbox")
    try:
        assert not sandbox.running and not sandbox.started
        replies: list[httpx.Response] = []
        early = threading.Thread(target=lambda: replies.append(_stores(sandbox.base_url)))
        early.start()  # connects now: waits in the socket's backlog
        sandbox.start()
        assert sandbox.wait_running()
        early.join(20)
        assert [r.status_code for r in replies] == [200]
        assert len(replies[0].json()["data"]) == 3  # the three demo stores
    finally:
        sandbox.stop()
    assert not sandbox.running
    with socket.socket() as probe:  # the port is released
        assert probe.connect_ex(("127.0.0.1", int(sandbox.base_url.rsplit(":", 1)[1]))) != 0


def test_a_server_that_cannot_start_reports_why_and_closes_its_socket(tmp_path: Path) -> None:
    blocker = tmp_path / "sandbox"
    blocker.write_text("a file where the sandbox's folder should be", encoding="utf-8")
    sandbox = BackgroundSandbox(blocker)
    errors: list[BaseException] = []
    done = threading.Event()

    def on_error(exc: BaseException) -> None:
        errors.append(exc)
        done.set()

    sandbox.start(on_error=on_error)
    assert done.wait(15)
    assert not sandbox.running and sandbox.error is errors[0]
    try:
        _stores(sandbox.base_url, timeout=2.0)
        raise AssertionError("the closed socket answered")
    except httpx.TransportError:
        pass  # refused at once, not left hanging
    sandbox.stop()


def test_stop_before_start_releases_the_socket(tmp_path: Path) -> None:
    sandbox = BackgroundSandbox(tmp_path / "sandbox")
    sandbox.stop()
    sandbox.start()  # after stop: nothing starts
    assert not sandbox.wait_running(1.0)


def test_the_address_comes_without_the_server_modules() -> None:
    code = (
        "import sys, tempfile, pathlib\n"
        "from pos.sandbox import DEMO_API_KEY, BackgroundSandbox\n"
        "s = BackgroundSandbox(pathlib.Path(tempfile.mkdtemp()))\n"
        "print(s.base_url.startswith('http://127.0.0.1:'),"
        " sorted(m for m in ('uvicorn', 'starlette', 'pos.sandbox.app') if m in sys.modules))\n"
        "s.stop()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert out.strip() == "True []"
