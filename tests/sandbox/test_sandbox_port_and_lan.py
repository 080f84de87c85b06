"""Demo mode's sandbox keeps its port for a data folder (old payment links keep working), falls
back when the port is taken, and in LAN mode serves the payment page on this machine's
non-loopback address (what a trainee's phone on the same Wi-Fi opens)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from pos.sandbox.background import (
    PORT_FILE,
    PORT_RANGE,
    BackgroundSandbox,
    lan_requested,
    stored_port,
)
from pos.sandbox.net import ALL_INTERFACES, http_url, lan_address, listening_socket, url_of
from tests.sandbox.helpers import Api


def _run(sandbox: BackgroundSandbox) -> BackgroundSandbox:
    sandbox.start()
    assert sandbox.wait_running(), sandbox.error
    return sandbox


def _order(base_url: str) -> dict[str, Any]:
    api = Api(SimpleNamespace(base_url=base_url))  # type: ignore[arg-type]
    try:
        resp = api.post("/v3/orders", json=api.digital_order())
        assert resp.status_code in (200, 201), resp.text
        data: dict[str, Any] = resp.json()
        return data
    finally:
        api.close()


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "kasir" / "sandbox"


def test_port_is_kept_for_the_folder_and_old_links_still_open(folder: Path) -> None:
    first = _run(BackgroundSandbox(folder))
    try:
        assert PORT_RANGE[0] <= first.port <= PORT_RANGE[1]
        assert stored_port(folder) == first.port
        assert (folder / PORT_FILE).read_text("ascii").strip() == str(first.port)
        payment_url = _order(first.base_url)["payment_url"]
        assert payment_url.startswith(f"http://127.0.0.1:{first.port}/")
    finally:
        first.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(payment_url, timeout=5)
    again = _run(BackgroundSandbox(folder))  # Kasir restarted
    try:
        assert again.port == first.port and again.base_url == first.base_url
        assert not again.port_fallback
        page = httpx.get(payment_url, timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    finally:
        again.stop()


def test_a_taken_port_falls_back_for_this_run_and_is_kept_for_the_next(folder: Path) -> None:
    first = BackgroundSandbox(folder)
    kept = first.port
    first.stop()
    squatter = listening_socket("127.0.0.1", kept)  # another program holds it now
    try:
        second = _run(BackgroundSandbox(folder))
        try:
            assert second.port_fallback and second.port != kept
            assert len(_order(second.base_url)["payment_url"]) > 0  # it works on its new port
        finally:
            second.stop()
    finally:
        squatter.close()
    assert stored_port(folder) == kept
    third = BackgroundSandbox(folder)
    try:
        assert third.port == kept and not third.port_fallback
    finally:
        third.stop()


def test_a_damaged_port_file_picks_a_new_port(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / PORT_FILE).write_text("not a port")
    sandbox = BackgroundSandbox(folder)
    try:
        assert stored_port(folder) == sandbox.port
    finally:
        sandbox.stop()


def test_default_is_loopback_only(folder: Path) -> None:
    sandbox = BackgroundSandbox(folder)
    try:
        assert sandbox.lan is False and sandbox.lan_url is None
        assert sandbox._sock.getsockname()[0] == "127.0.0.1"
        lan = lan_address()
        if lan is not None:  # not reachable from the network
            with socket.socket() as probe:
                assert probe.connect_ex((lan, sandbox.port)) != 0
    finally:
        sandbox.stop()


def test_lan_mode_serves_the_payment_page_on_the_lan_address(folder: Path) -> None:
    sandbox = _run(BackgroundSandbox(folder, lan=True))
    try:
        assert sandbox.base_url == f"http://127.0.0.1:{sandbox.port}"  # Kasir: loopback
        lan = lan_address()
        order = _order(sandbox.base_url)
        if lan is None:  # no network on this machine: links fall back to loopback
            assert sandbox.lan_url is None
            assert order["payment_url"].startswith(sandbox.base_url + "/")
            return
        assert sandbox.lan_url == f"http://{lan}:{sandbox.port}"
        assert order["payment_url"].startswith(sandbox.lan_url + "/o/")
        page = httpx.get(order["payment_url"], timeout=10)  # as a phone on the Wi-Fi would
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert order["order_id"] in page.text
    finally:
        sandbox.stop()


def test_lan_socket_and_url_generation() -> None:
    """Whatever this machine's network: every interface is bound, and the URL is named by
    the LAN address when there is one (else loopback)."""
    sock = listening_socket(ALL_INTERFACES, 0)
    try:
        host, port = sock.getsockname()[:2]
        assert host == "0.0.0.0"
        assert url_of(sock) == http_url(lan_address() or "127.0.0.1", port)
    finally:
        sock.close()
    assert http_url("192.168.1.20", 23456) == "http://192.168.1.20:23456"
    assert http_url("fe80::1", 80) == "http://[fe80::1]:80"
    address = lan_address()
    assert address is None or not address.startswith("127.")


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("", False)]
)
def test_lan_switch_from_the_environment(value: str, on: bool) -> None:
    assert lan_requested({"KASIR_DEMO_LAN": value}) is on
    assert lan_requested({}) is False
