from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backends import chainer, fail, null

from pos.config import (
    KEYRING_SERVICE,
    AppSettings,
    SecretStore,
    SecretStoreUnavailable,
    is_secure_backend,
    resolve_api_key,
    save_settings,
)
from tests.config.config_keyring import MemoryKeyring

KEY = "sk_live_Zq8v3kTt9Lw2Xy7Bn4Mc"
URL = "https://api.scalev.com"


def test_round_trip_through_the_os_keyring(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()  # uses keyring.get_keyring(), i.e. the test backend
    assert store.is_secure_backend()
    assert store.get(URL) is None
    store.set(URL + "/", KEY)
    assert memory_keyring.store == {(KEYRING_SERVICE, URL): KEY}
    assert store.get(URL) == KEY
    settings = AppSettings(backend="scalev", base_url=URL)
    assert resolve_api_key(settings, env={}) == KEY
    store.delete(URL)
    store.delete(URL)  # idempotent
    assert store.get(URL) is None
    assert resolve_api_key(settings, env={}) is None


def test_key_is_per_base_url(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore(memory_keyring)
    store.set(URL, KEY)
    assert store.get("http://127.0.0.1:8765") is None


def test_env_var_wins_over_keyring(memory_keyring: MemoryKeyring) -> None:
    SecretStore().set(URL, KEY)
    settings = AppSettings(backend="scalev", base_url=URL)
    assert resolve_api_key(settings, env={"KASIR_API_KEY": " sk_env_123456 "}) == "sk_env_123456"


def test_demo_backend_needs_no_key(memory_keyring: MemoryKeyring) -> None:
    SecretStore().set(URL, KEY)
    assert resolve_api_key(AppSettings(backend="demo", base_url=URL), env={}) is None


def test_empty_key_rejected(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError):
        SecretStore().set(URL, "   ")


def test_refusal_without_secure_backend(fail_keyring: object) -> None:
    store = SecretStore()
    assert not store.is_secure_backend()
    with pytest.raises(SecretStoreUnavailable) as info:
        store.set(URL, KEY)
    message = str(info.value)
    assert "KASIR_API_KEY" in message
    assert "gnome-keyring" in message.lower() or "GNOME Keyring" in message
    assert "KWallet" in message
    assert KEY not in message
    assert store.get(URL) is None
    store.delete(URL)  # no error
    settings = AppSettings(backend="scalev", base_url=URL)
    assert resolve_api_key(settings, env={}) is None
    assert resolve_api_key(settings, env={"KASIR_API_KEY": KEY}) == KEY


@pytest.mark.parametrize(
    ("backend", "secure"),
    [(fail.Keyring(), False), (null.Keyring(), False), (MemoryKeyring(), True)],
)
def test_is_secure_backend(backend: object, secure: bool) -> None:
    assert is_secure_backend(backend) is secure


def test_plaintext_backends_are_not_secure() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    class AltKeyring(MemoryKeyring):
        pass

    AltKeyring.__module__ = "keyrings.alt.file"
    assert not is_secure_backend(PlaintextKeyring())
    assert not is_secure_backend(AltKeyring())


def test_empty_chainer_is_not_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not is_secure_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [fail.Keyring()])
    assert not is_secure_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [MemoryKeyring()])
    assert is_secure_backend(chainer.ChainerBackend())


def test_keyring_write_error_becomes_unavailable() -> None:
    class LockedKeyring(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError(f"locked, cannot store {password}")

    with pytest.raises(SecretStoreUnavailable) as info:
        SecretStore(LockedKeyring()).set(URL, KEY)
    assert KEY not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_no_file_ever_holds_the_key(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    settings = AppSettings(backend="scalev", base_url=URL, terminal_name="KASIR-03")
    SecretStore().set(URL, KEY)
    save_settings(settings, tmp_path)
    assert resolve_api_key(settings, env={}) == KEY
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
