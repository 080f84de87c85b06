"""``kasir doctor``: what a support call needs to know, without ever printing the API key.

Prints versions (from package metadata; Qt is not imported), the data/config/log folders, the
keyring backend and whether it is secure, backend reachability and printer status. Exit code
0 when every configured check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Mapping, Sequence
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


def check_backend(base_url: str, api_key: str, timeout: float = 5.0) -> tuple[bool, str]:
    """GET ``/v3/stores/simplified?page_size=1`` with the key. Returns (ok, text without key)."""
    import httpx

    register_secret(api_key)  # a key typed in Settings and tested before it is saved
    if not _transport_allowed(base_url):
        return False, "refused: the base URL must be https:// (http only for loopback)"
    url = base_url.rstrip("/") + "/v3/stores/simplified"
    try:
        response = httpx.get(
            url,
            params={"page_size": 1},
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
            timeout=timeout,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return False, redact(f"unreachable ({type(exc).__name__}: {exc})")
    code = response.status_code
    if code == 200:
        return True, "OK (HTTP 200)"
    if code == 401:
        return False, "HTTP 401: the API key was rejected"
    if code == 403:
        return False, "HTTP 403: the API key lacks the store:list scope"
    return False, f"HTTP {code}"


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
        ok, text = check_backend(base_url, api_key, timeout=args.timeout)
        say("Backend check", text)
        failures += not ok
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
