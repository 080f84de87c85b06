"""``kasir doctor``: what a support call needs to know, without ever printing the API key.

Prints versions (from package metadata; Qt is not imported), the data/config/log folders, the
keyring backend and whether it is secure, backend reachability and printer status. Exit code
0 when every configured check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

from pos.config import (
    ENV_API_KEY,
    AppSettings,
    SecretStore,
    config_dir,
    data_dir,
    load_settings,
    log_dir,
    resolve_api_key,
)
from pos.domain.urls import base_url_allowed
from pos.logs import redact, register_secret

ENV_BASE_URL = "KASIR_BASE_URL"
_PACKAGES = (
    ("Kasir", ("kasir",)),
    ("PySide6", ("PySide6-Essentials", "PySide6")),
    ("httpx", ("httpx",)),
    ("keyring", ("keyring",)),
    ("platformdirs", ("platformdirs",)),
)


def _version(names: Sequence[str]) -> str:
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return "not installed"


def _dir_status(path: Path) -> str:
    if path.is_dir():
        return "writable" if os.access(path, os.W_OK) else "NOT writable"
    return "not created yet"


def _transport_allowed(base_url: str) -> bool:
    """https anywhere; plain http only to a loopback sandbox (never send the key in clear)."""
    return base_url_allowed(base_url)


def journal_report(directory: Path) -> list[tuple[str, str, bool]]:
    """``(label, text, is_problem)`` lines about the sales journal: how many sales, rows set
    aside because they cannot be read, a database recovered from damage. Read-only."""
    path = directory / "kasir.sqlite3"
    if not path.exists():
        return [("Sales journal", "not created yet", False)]
    from pos.storage.db import Database
    from pos.storage.errors import StorageError
    from pos.storage.journal import _COLUMNS, _row
    from pos.storage.quarantine import Quarantine

    lines: list[tuple[str, str, bool]] = []
    try:
        db = Database.open(path, read_only=True)
    except StorageError as exc:
        return [("Sales journal", f"cannot be opened ({exc.message_id}): {path}", True)]
    try:
        with db.reading() as c:
            rows = c.execute(f"SELECT {_COLUMNS} FROM sales").fetchall()
        damaged: list[str] = []
        for r in rows:
            try:
                rec = _row(r)
                if not isinstance(rec.body, dict):
                    raise TypeError
            except (ValueError, TypeError, KeyError, IndexError, RecursionError):
                damaged.append(str(r[0]))
        entries = Quarantine(db).entries()
        set_aside = {e.key for e in entries if e.source == "sales"} | set(damaged)
        text = f"{len(rows)} sale(s)"
        if set_aside:
            text += f"; {len(set_aside)} damaged row(s) set aside: " + ", ".join(
                sorted(set_aside)[:5]
            )
        lines.append(("Sales journal", text, bool(set_aside)))
        for e in entries:
            if e.source == "database":
                try:
                    from pos.storage.recovery import RecoveryReport

                    detail = RecoveryReport(**json.loads(e.raw)).describe("en")
                except (ValueError, TypeError):
                    detail = f"{e.reason}: {e.key}"
                lines.append(("Database recovered", f"{e.seen_at}: {detail}", False))
    except StorageError as exc:
        lines.append(("Sales journal", f"unreadable ({exc.message_id}): {path}", True))
    finally:
        db.close()
    return lines


@dataclass(frozen=True, slots=True)
class BackendCheck:
    """What the connection test found, for ``kasir doctor`` and the settings dialog to render.

    ``problem`` is None when the server accepted the key, else the message id the one error
    table (:func:`pos.services.errors.error_message`) gives the client's typed error: ``auth``
    (401), ``forbidden`` (403), ``offline`` / ``timeout`` (no answer), ``base_url_http`` /
    ``base_url_invalid`` (the key may not go there), ``invalid_key`` (the key cannot be sent
    as typed), or another id for any other error status. ``status``: the HTTP status when the
    server answered; ``detail``: why it could not be reached (no key in it).
    """

    problem: str | None
    status: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def unreachable(self) -> bool:
        return self.problem in ("offline", "timeout")

    @property
    def refused(self) -> bool:
        return self.problem is not None and self.problem.startswith("base_url")

    def describe(self) -> str:
        """The English line ``kasir doctor`` prints."""
        if self.ok:
            return f"OK (HTTP {self.status})"
        if self.refused:
            return "refused: the base URL must be https:// (http only for loopback)"
        if self.unreachable:
            return f"unreachable ({self.detail})"
        if self.problem == "invalid_key":
            return f"not sent: {self.detail}"
        if self.problem == "auth":
            return "HTTP 401: the API key was rejected"
        if self.problem == "forbidden":
            return "HTTP 403: the API key lacks the store:list scope"
        return f"HTTP {self.status}"


async def probe_backend(base_url: str, api_key: str, seconds: float = 5.0) -> BackendCheck:
    """List one store (``GET /v3/stores/simplified?page_size=1``) with a short-lived
    :class:`~pos.api.client.ScalevClient`, without retries; its typed errors become a
    :class:`BackendCheck` through the one error table."""
    from pos.api.client import ScalevClient
    from pos.api.errors import APIConnectionError, APIStatusError, InvalidResponseError, ScalevError
    from pos.domain.customer import InvalidInput
    from pos.services.errors import error_message

    register_secret(api_key)  # a key typed in Settings and tested before it is saved
    if not _transport_allowed(base_url):
        return BackendCheck("base_url_http")
    try:
        client = ScalevClient(
            base_url,
            api_key,
            connect_timeout=seconds,
            read_timeout=seconds,
            request_deadline=3 * seconds,
            max_retries=0,
        )
    except InvalidInput as exc:  # BaseUrlRefused
        return BackendCheck(exc.message_id)
    except ValueError as exc:  # the key cannot go into a header as typed
        return BackendCheck("invalid_key", detail=str(exc))
    try:
        async with client:
            stores = client.list_stores(page_size=1)
            try:
                await anext(stores, None)
            finally:
                await stores.aclose()  # type: ignore[attr-defined]
    except InvalidResponseError as exc:  # the key was accepted; the body is not checked here
        return BackendCheck(None, status=exc.status_code)
    except APIConnectionError as exc:
        cause = exc.__cause__ or exc
        detail = redact(f"{type(cause).__name__}: {cause}")
        return BackendCheck(error_message(exc).message_id, detail=detail)
    except ScalevError as exc:
        status = exc.status_code if isinstance(exc, APIStatusError) else None
        return BackendCheck(error_message(exc).message_id, status=status)
    return BackendCheck(None, status=200)


def check_backend(base_url: str, api_key: str, timeout: float = 5.0) -> BackendCheck:
    """:func:`probe_backend` for synchronous callers (``kasir doctor``)."""
    return asyncio.run(probe_backend(base_url, api_key, seconds=timeout))


def check_printer(settings: AppSettings) -> tuple[bool, str]:
    from pos.receipts.printers import FilePrinter, NetworkPrinter, PrinterError

    p = settings.printer
    if p.kind == "system":  # printed through the OS print system (Qt), checked by the app
        name = p.target.strip() or "the OS default printer"
        return True, f"system printer: {name} ({p.width} mm), through the OS print system"
    if p.kind == "none" or not p.target.strip():
        return True, "not configured"
    try:
        from pos.receipts.printers import printer_from_settings

        printer = printer_from_settings(p)
    except ValueError as exc:
        return False, f"{p.kind} {p.target!r}: {exc}"
    label = f"{p.kind} {p.target} ({p.width} mm, {p.columns} columns)"
    try:
        if isinstance(printer, NetworkPrinter):
            printer.check(timeout=2.0)
            return True, f"{label}: reachable"
        if isinstance(printer, FilePrinter):
            printer.check()
            return True, f"{label}: writable"
    except PrinterError as exc:
        return False, f"{label}: {exc}"
    return True, label


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
    secret_store: SecretStore | None = None,
) -> int:
    parser = argparse.ArgumentParser(
        prog="kasir doctor", description="Show Kasir's environment and check its connections."
    )
    parser.add_argument("--config-dir", type=Path, help="settings folder (default: platform)")
    parser.add_argument("--timeout", type=float, default=5.0, help="backend timeout, seconds")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    environ = os.environ if env is None else env
    stream = out or sys.stdout
    failures = 0

    def say(label: str, value: str) -> None:
        print(f"{label + ':':<20} {redact(value)}", file=stream)

    for label, names in _PACKAGES:
        say(label, _version(names))
    say("Python", f"{platform.python_version()} ({sys.executable})")
    say("Platform", platform.platform())

    cfg = args.config_dir or config_dir(environ)
    for label, path in (("Config dir", cfg), ("Data dir", data_dir(environ))):
        say(label, f"{path} [{_dir_status(path)}]")
    say("Log dir", f"{log_dir(environ)} [{_dir_status(log_dir(environ))}]")

    settings = load_settings(cfg)
    base_url = environ.get(ENV_BASE_URL, "").strip() or settings.base_url
    settings = settings.with_changes(base_url=base_url)

    store = secret_store or SecretStore()
    secure = store.is_secure_backend()
    say("Keyring backend", store.backend_name)
    say("Keyring secure", "yes" if secure else "NO")
    if not secure:
        say("  fix", store.unavailable_message())

    api_key = resolve_api_key(settings, environ, store)
    if api_key:
        register_secret(api_key)
        source = "environment (KASIR_API_KEY)" if environ.get(ENV_API_KEY) else "keyring"
        say("API key", f"set, from {source}")
        say("Backend", base_url)
        backend = check_backend(base_url, api_key, timeout=args.timeout)
        say("Backend check", backend.describe())
        failures += not backend.ok
    else:
        say("API key", "none")
        say("Backend", "demo mode (embedded sandbox, no API key)")

    ok, text = check_printer(settings)
    say("Printer", text)
    failures += not ok

    try:
        from pos.receipts.queue import PrintQueue

        waiting = len(PrintQueue.in_dir(data_dir(environ)))
    except OSError as exc:
        waiting = -1
        say("Print queue", f"unreadable ({type(exc).__name__})")
    if waiting >= 0:
        queue = PrintQueue.in_dir(data_dir(environ))
        bad_lines = len(queue.quarantined())
        say(
            "Print queue",
            f"{waiting} receipt(s) waiting"
            + (
                f"; {bad_lines} unreadable line(s) set aside in {queue.quarantine_path}"
                if bad_lines
                else ""
            ),
        )

    for label, line, problem in journal_report(data_dir(environ)):
        say(label, line)
        failures += problem

    say("Result", "OK" if failures == 0 else f"{failures} problem(s)")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
