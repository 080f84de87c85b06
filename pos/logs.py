"""Logging: a rotated file in the platform log dir, with secrets redacted.

The :class:`RedactingFilter` sits on every handler Kasir installs. It renders the message with
its arguments first, then masks ``Bearer …`` credentials, ``sk_…``/``rk_…`` API keys and every
value passed to :func:`register_secret`, in the message, the exception text and the stack text.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path

import platformdirs

LOG_FILE = "kasir.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
MASK = "***"
_MIN_SECRET_LEN = 4

_BEARER = re.compile(r"(?i)\b(Bearer)\s+[A-Za-z0-9._~+/=\-]+")
_API_KEY = re.compile(r"\b(sk|rk)_[A-Za-z0-9_\-]{3,}")

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_MARK = "_kasir_handler"


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever it appears in a log record from now on."""
    if value and len(value.strip()) >= _MIN_SECRET_LEN:
        with _secrets_lock:
            _secrets.add(value.strip())


def forget_secrets() -> None:
    """Drop every registered secret (tests)."""
    with _secrets_lock:
        _secrets.clear()


def redact(text: str) -> str:
    """``text`` with bearer tokens, ``sk_``/``rk_`` keys and registered secrets masked."""
    if not text:
        return text
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {MASK}", text)
    return _API_KEY.sub(lambda m: f"{m.group(1)}_{MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record in place so no handler (or a later one) sees a secret."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log it raw rather than lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def default_log_dir() -> Path:
    env = os.environ.get("KASIR_LOG_DIR", "").strip()
    return Path(env).expanduser() if env else Path(platformdirs.user_log_dir("Kasir", False))


def setup_logging(
    log_dir: Path | str | None = None,
    level: int = logging.INFO,
    *,
    console: bool = False,
) -> Path:
    """Install the rotating file handler (1 MB x 5) on the root logger; returns the log file.

    Idempotent: calling again replaces the handlers this function installed before.
    """
    directory = Path(log_dir) if log_dir is not None else default_log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(RedactingFilter())
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs full request lines at INFO; keep them but never with headers (it does not log
    # headers), and keep its DEBUG chatter out unless asked for.
    if level > logging.DEBUG:
        logging.getLogger("httpcore").setLevel(logging.WARNING)
    return path


def teardown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed (tests, shutdown)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()


__all__ = [
    "RedactingFilter",
    "default_log_dir",
    "forget_secrets",
    "redact",
    "register_secret",
    "setup_logging",
    "teardown_logging",
]
