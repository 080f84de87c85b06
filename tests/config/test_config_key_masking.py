"""Any configured API key is masked in every text Kasir shows or stores, whatever its prefix:
the log file, ``kasir doctor``, error texts quoting the server, the connection test."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.api.errors import BadRequestError
from pos.config import AppSettings, SecretStore, resolve_api_key
from pos.doctor import check_backend, main
from pos.logs import setup_logging
from pos.services.errors import SaleRejected, user_message
from tests.config.config_keyring import MemoryKeyring
from tests.config.http_stub import JsonHandler, serve

KEY = "Zx9PLAINkey-7f3a2b"  # no sk_/rk_ prefix: only registration can catch it


class _Echo(JsonHandler):
    """Answers 401 quoting the Authorization header back (a careless server)."""

    def reply(self) -> tuple[int, bytes]:
        return 401, f'{{"error":"Invalid API key: {self.headers.get("Authorization")}"}}'.encode()


@pytest.fixture
def echo_url() -> Iterator[str]:
    with serve(_Echo) as url:
        yield url


def test_key_without_prefix_never_reaches_the_log(tmp_path: Path) -> None:
    assert resolve_api_key(AppSettings(backend="scalev"), {"KASIR_API_KEY": KEY}) == KEY
    path = setup_logging(tmp_path)
    logging.getLogger("kasir.test").warning("server said: bad key %s", KEY)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text()
    assert "server said: bad key" in text and KEY not in text


def test_doctor_masks_a_key_the_server_echoes(kasir_env: dict[str, str], echo_url: str) -> None:
    env = {**kasir_env, "KASIR_API_KEY": KEY, "KASIR_BASE_URL": echo_url}
    out = io.StringIO()
    assert main([], env=env, out=out, secret_store=SecretStore(MemoryKeyring())) == 1
    assert "401" in out.getvalue() and KEY not in out.getvalue()


def test_connection_test_of_a_typed_key_masks_it(echo_url: str) -> None:
    typed = "Qq77typedNOTsaved-key"
    check = check_backend(echo_url, typed, timeout=5)
    ok, text = check.ok, check.describe()
    assert not ok and typed not in text


def test_error_texts_quoting_the_server_mask_the_key() -> None:
    resolve_api_key(AppSettings(backend="scalev"), {"KASIR_API_KEY": KEY})
    rejected = SaleRejected(f"key {KEY} may not create orders")
    bad = BadRequestError(400, message=f"bad key {KEY}")
    for exc in (rejected, bad):
        for lang in ("id", "en"):
            text = user_message(exc, lang)
            assert text and KEY not in text
