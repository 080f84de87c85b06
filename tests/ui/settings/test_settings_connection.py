""" "Test connection" goes through ScalevClient (no second HTTP client) and renders the client's
typed errors, mapped by type, against the real sandbox over HTTP: success, 401, 5xx, timeout."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from pos.api.client import ScalevClient
from pos.config import AppSettings
from pos.doctor import BackendCheck, probe_backend
from pos.sandbox import DEMO_API_KEY
from tests.ui.settings.settings_support import OpenDialog
from ui.settings.connection import backend_result_text

STORES = "/v3/stores/simplified"


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every ``ScalevClient.list_stores`` call; a raw ``httpx.get`` fails the test."""
    calls: list[dict[str, Any]] = []
    real = ScalevClient.list_stores

    def spy(self: ScalevClient, **kw: Any) -> Any:
        calls.append(kw)
        return real(self, **kw)

    def no_raw_client(*_: Any, **__: Any) -> None:
        raise AssertionError("a raw httpx request")

    monkeypatch.setattr(ScalevClient, "list_stores", spy)
    monkeypatch.setattr(httpx, "get", no_raw_client)
    return calls


@pytest.mark.parametrize(
    ("key", "state", "words"),
    [(DEMO_API_KEY, "ok", ("Terhubung", "Connected")), ("sk_wrong_key", "error", ("401",))],
)
def test_the_dialog_lists_one_store_through_scalev_client(
    open_dialog: OpenDialog,
    qtbot: Any,
    sandbox: Any,
    listings: list[dict[str, Any]],
    key: str,
    state: str,
    words: tuple[str, ...],
) -> None:
    dialog = open_dialog(AppSettings(backend="scalev", base_url=sandbox.base_url))
    dialog.api_key.setText(key)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.property("state") == state, timeout=10000)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled())
    assert listings == [{"page_size": 1}]
    assert all(word in dialog.test_result.text() for word in words)
    assert key not in dialog.test_result.text()


def _probe(url: str, key: str = DEMO_API_KEY, seconds: float = 5.0) -> BackendCheck:
    return asyncio.run(probe_backend(url, key, seconds=seconds))


def test_typed_errors_become_findings(sandbox: Any, sandbox_ctl: Any) -> None:
    assert _probe(sandbox.base_url) == BackendCheck(None, status=200)
    rejected = _probe(sandbox.base_url, "sk_wrong_key")
    assert rejected == BackendCheck("auth", status=401)
    assert rejected.describe() == "HTTP 401: the API key was rejected"  # kasir doctor's line
    sandbox_ctl.fault_next("5xx", STORES, "GET")
    failed = _probe(sandbox.base_url)
    assert failed.problem == "server" and not failed.unreachable
    assert failed.describe() == f"HTTP {failed.status}" and failed.status is not None
    assert failed.describe() in backend_result_text(failed)


def test_a_timeout_is_said_as_unreachable(sandbox: Any, sandbox_ctl: Any) -> None:
    sandbox_ctl.set_faults(hang_s=1.0, next=[{"fault": "timeout", "path": STORES}])
    check = _probe(sandbox.base_url, seconds=0.3)
    assert check.problem == "timeout" and check.unreachable and not check.ok
    assert check.describe().startswith("unreachable (") and "Timeout" in check.detail
    text = backend_result_text(check)
    assert "Cannot reach the server" in text and "unreachable" not in text


def test_a_refused_address_or_an_unsendable_key_never_leaves_the_machine(
    listings: list[dict[str, Any]],
) -> None:
    refused = _probe("http://api.scalev.example")
    assert refused.refused and refused.describe().startswith("refused:")
    bad_key = _probe("https://api.scalev.example", "two words")
    assert bad_key.problem == "invalid_key" and "two words" not in bad_key.describe()
    assert listings == []
