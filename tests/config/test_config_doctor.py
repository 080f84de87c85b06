from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail

from pos.config import AppSettings, PrinterSettings, SecretStore, save_settings
from pos.doctor import main
from tests.config.config_keyring import MemoryKeyring
from tests.config.http_stub import JsonHandler, serve

KEY = "sk_doctor_Secret_4242"


class _Handler(JsonHandler):
    def reply(self) -> tuple[int, bytes]:
        ok = (
            self.path == "/v3/stores/simplified?page_size=1"
            and self.headers.get("Authorization") == f"Bearer {KEY}"
        )
        return (200, b'{"data":{"results":[]}}') if ok else (401, b'{"error":"Invalid API key"}')


@pytest.fixture
def api_url() -> Iterator[str]:
    with serve(_Handler) as url:
        yield url


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], store: SecretStore, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), env=env, out=out, secret_store=store)
    return code, out.getvalue()


def test_demo_mode(kasir_env: dict[str, str]) -> None:
    code, text = _run(kasir_env, SecretStore(MemoryKeyring()))
    assert code == 0
    assert "demo mode" in text
    assert "Keyring secure:" in text and "yes" in text
    assert kasir_env["KASIR_DATA_DIR"] in text and kasir_env["KASIR_LOG_DIR"] in text
    for label in ("Kasir:", "Python:", "PySide6:", "httpx:", "Printer:", "not configured"):
        assert label in text


def test_reachable_backend_with_keyring_key(kasir_env: dict[str, str], api_url: str) -> None:
    store = SecretStore(MemoryKeyring())
    store.set(api_url, KEY)
    save_settings(
        AppSettings(backend="scalev", base_url=api_url), Path(kasir_env["KASIR_CONFIG_DIR"])
    )
    code, text = _run(kasir_env, store)
    assert code == 0, text
    assert "OK (HTTP 200)" in text
    assert "from keyring" in text
    assert KEY not in text


def test_rejected_key_from_env(kasir_env: dict[str, str], api_url: str) -> None:
    env = {**kasir_env, "KASIR_API_KEY": "sk_wrong_Key_999", "KASIR_BASE_URL": api_url}
    code, text = _run(env, SecretStore(MemoryKeyring()))
    assert code == 1
    assert "HTTP 401" in text
    assert "KASIR_API_KEY" in text
    assert "sk_wrong_Key_999" not in text


def test_unreachable_backend_and_insecure_keyring(kasir_env: dict[str, str]) -> None:
    env = {
        **kasir_env,
        "KASIR_API_KEY": KEY,
        "KASIR_BASE_URL": f"http://127.0.0.1:{_closed_port()}",
    }
    code, text = _run(env, SecretStore(fail.Keyring()), "--timeout", "2")
    assert code == 1
    assert "unreachable" in text
    assert "Keyring secure:      NO" in text
    assert "KASIR_API_KEY" in text
    assert KEY not in text


def test_printer_status(kasir_env: dict[str, str], tmp_path: Path) -> None:
    cfg = Path(kasir_env["KASIR_CONFIG_DIR"])
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        port = listener.getsockname()[1]
        save_settings(
            AppSettings(printer=PrinterSettings(kind="network", target=f"127.0.0.1:{port}")), cfg
        )
        code, text = _run(kasir_env, SecretStore(MemoryKeyring()))
        assert code == 0 and "reachable" in text
    finally:
        listener.close()
    save_settings(
        AppSettings(printer=PrinterSettings(kind="network", target=f"127.0.0.1:{_closed_port()}")),
        cfg,
    )
    code, text = _run(kasir_env, SecretStore(MemoryKeyring()))
    assert code == 1 and "ConnectionRefusedError" in text
    save_settings(
        AppSettings(printer=PrinterSettings(kind="file", target=str(tmp_path / "out.bin"))), cfg
    )
    code, text = _run(kasir_env, SecretStore(MemoryKeyring()))
    assert code == 0 and "writable" in text
    assert not (tmp_path / "out.bin").exists()  # checked, nothing printed
    save_settings(
        AppSettings(printer=PrinterSettings(kind="usb", target=str(tmp_path / "no" / "lp0"))), cfg
    )
    code, text = _run(kasir_env, SecretStore(MemoryKeyring()))
    assert code == 1 and "not writable" in text


def test_key_never_sent_over_plain_http_to_a_remote_host(kasir_env: dict[str, str]) -> None:
    env = {**kasir_env, "KASIR_API_KEY": KEY, "KASIR_BASE_URL": "http://api.example.com"}
    code, text = _run(env, SecretStore(MemoryKeyring()))
    assert code == 1
    assert "must be https://" in text
