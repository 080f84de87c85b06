from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from pos.logs import (
    BACKUP_COUNT,
    MAX_BYTES,
    RedactingFilter,
    redact,
    register_secret,
    setup_logging,
)

log = logging.getLogger("kasir.test")


def _read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_rotating_file_in_the_given_dir(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / "kasir.log"
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler) and h.baseFilename == str(path)
    ]
    assert len(handlers) == 1
    assert handlers[0].maxBytes == MAX_BYTES == 1_000_000
    assert handlers[0].backupCount == BACKUP_COUNT == 5
    assert any(isinstance(f, RedactingFilter) for f in handlers[0].filters)
    log.info("hello %s", "kasir")
    assert "hello kasir" in _read(path)


def test_setup_is_idempotent(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    setup_logging(tmp_path)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_kasir_handler", False)]
    assert len(ours) == 1


def test_secrets_never_reach_the_file(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    custom = "hunter2-very-secret"
    register_secret(custom)
    log.info("Authorization: Bearer abc.DEF-123_xyz sent")
    log.warning("key is %s and %r", "sk_live_AAAA1111", {"k": "rk_test_BBBB2222"})
    log.error("args carry it: %s", custom)
    try:
        raise RuntimeError(f"boom with {custom} and sk_live_CCCC3333")
    except RuntimeError:
        log.exception("failed")
    text = _read(path)
    for secret in ("abc.DEF-123_xyz", "sk_live_AAAA1111", "rk_test_BBBB2222", custom, "CCCC3333"):
        assert secret not in text
    assert "Bearer ***" in text
    assert "sk_***" in text and "rk_***" in text
    assert "RuntimeError" in text and "Traceback" in text


def test_redact() -> None:
    assert redact("Bearer sk_demo_kasir_2026") == "Bearer ***"
    assert redact("bearer xyz") == "bearer ***"
    assert redact("no secrets here") == "no secrets here"
    assert redact("") == ""
    register_secret("abc")  # too short to be a secret: ignored (would mask ordinary words)
    assert redact("abc") == "abc"
    register_secret("s3cr3t-value")
    assert redact("x s3cr3t-value y") == "x *** y"
