"""Settings (JSON in the platform config dir) and the API key (OS keyring only).

The settings file never holds the API key. The key lives in the OS keyring (service
``"Kasir"``, username = the backend's base URL). When no secure keyring backend exists (a bare
Linux session without gnome-keyring/KWallet, or only the ``fail``/``null``/plaintext backends),
Kasir refuses to store the key and accepts it only from the ``KASIR_API_KEY`` environment
variable — never from a plain file.

Directory overrides (tests, portable installs): ``KASIR_CONFIG_DIR``, ``KASIR_DATA_DIR``,
``KASIR_LOG_DIR``; every function that touches a directory also takes an explicit path.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast, get_args

import platformdirs

from pos.domain.urls import DEFAULT_BASE_URL
from pos.logs import register_secret

log = logging.getLogger(__name__)

APP_NAME = "Kasir"
KEYRING_SERVICE = "Kasir"
ENV_API_KEY = "KASIR_API_KEY"
ENV_CONFIG_DIR = "KASIR_CONFIG_DIR"
ENV_DATA_DIR = "KASIR_DATA_DIR"
ENV_LOG_DIR = "KASIR_LOG_DIR"
SETTINGS_FILE = "settings.json"
DEFAULT_TERMINAL = "KASIR-01"

Backend = Literal["demo", "scalev"]
Language = Literal["id", "en", "system", "both"]  # "both": bilingual (training)
PrinterKind = Literal["none", "system", "network", "usb", "windows", "file"]
PaperWidth = Literal[58, 80]

# Keys that must never reach the settings file, whatever a caller passes in.
_FORBIDDEN_KEYS = frozenset({"api_key", "apikey", "key", "token", "secret", "password"})


# --------------------------------------------------------------------------------------------
# Directories


def _env_dir(env: Mapping[str, str] | None, name: str) -> Path | None:
    value = (os.environ if env is None else env).get(name, "").strip()
    return Path(value).expanduser() if value else None


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$KASIR_CONFIG_DIR`` or platformdirs ``user_config_dir("Kasir")``."""
    return _env_dir(env, ENV_CONFIG_DIR) or Path(
        platformdirs.user_config_dir(APP_NAME, appauthor=False)
    )


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$KASIR_DATA_DIR`` or platformdirs ``user_data_dir("Kasir")`` (journal, cache, queue)."""
    return _env_dir(env, ENV_DATA_DIR) or Path(
        platformdirs.user_data_dir(APP_NAME, appauthor=False)
    )


def log_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$KASIR_LOG_DIR`` or platformdirs ``user_log_dir("Kasir")``."""
    return _env_dir(env, ENV_LOG_DIR) or Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


# --------------------------------------------------------------------------------------------
# Settings


@dataclass(frozen=True)
class PrinterSettings:
    """Receipt printer. ``target``: ``host[:port]`` (network, port 9100 by default), a device
    path such as ``/dev/usb/lp0`` (usb), a file path (file), an OS printer name (system:
    through the OS print system, empty = the default printer; windows: raw ESC/POS to a
    Windows printer queue)."""

    kind: PrinterKind = "none"
    target: str = ""
    width: PaperWidth = 58

    @property
    def columns(self) -> int:
        return 48 if self.width == 80 else 32


@dataclass(frozen=True)
class ReceiptSettings:
    show_qr: bool = True
    footer: str = "Terima kasih!"


@dataclass(frozen=True)
class AppSettings:
    """User settings. Holds no secret: the API key is in the keyring (see :class:`SecretStore`)."""

    backend: Backend = "demo"
    base_url: str = DEFAULT_BASE_URL
    default_store_id: int | None = None
    terminal_name: str = DEFAULT_TERMINAL
    language: Language = "system"
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    receipt: ReceiptSettings = field(default_factory=ReceiptSettings)
    #: demo mode's sandbox also on the LAN, for phones (``pos.sandbox.background``)
    demo_lan: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AppSettings:
        """Lenient: unknown keys are ignored, invalid values fall back to the defaults."""
        d = cls()
        printer_raw = data.get("printer")
        receipt_raw = data.get("receipt")
        printer = _printer_from(printer_raw if isinstance(printer_raw, Mapping) else {})
        receipt = _receipt_from(receipt_raw if isinstance(receipt_raw, Mapping) else {})
        store = data.get("default_store_id")
        terminal = data.get("terminal_name")
        base_url = data.get("base_url")
        return cls(
            backend=_choice(data.get("backend"), Backend, d.backend),
            base_url=base_url.strip().rstrip("/")
            if isinstance(base_url, str) and base_url.strip()
            else d.base_url,
            default_store_id=store
            if isinstance(store, int) and not isinstance(store, bool) and store > 0
            else None,
            terminal_name=" ".join(terminal.split())[:40]
            if isinstance(terminal, str) and terminal.strip()
            else d.terminal_name,
            language=_choice(data.get("language"), Language, d.language),
            printer=printer,
            receipt=receipt,
            demo_lan=data.get("demo_lan") is True,
        )

    def with_changes(self, **changes: Any) -> AppSettings:
        return replace(self, **changes)


def _choice(value: Any, literal: Any, default: Any) -> Any:
    return value if value in get_args(literal) and not isinstance(value, bool) else default


def _printer_from(raw: Mapping[str, Any]) -> PrinterSettings:
    d = PrinterSettings()
    target = raw.get("target")
    return PrinterSettings(
        kind=_choice(raw.get("kind"), PrinterKind, d.kind),
        target=target.strip() if isinstance(target, str) else d.target,
        width=_choice(raw.get("width"), PaperWidth, d.width),
    )


def _receipt_from(raw: Mapping[str, Any]) -> ReceiptSettings:
    d = ReceiptSettings()
    show_qr = raw.get("show_qr")
    footer = raw.get("footer")
    return ReceiptSettings(
        show_qr=show_qr if isinstance(show_qr, bool) else d.show_qr,
        footer=footer if isinstance(footer, str) else d.footer,
    )


def settings_path(directory: Path | None = None) -> Path:
    return (directory or config_dir()) / SETTINGS_FILE


def load_settings(directory: Path | None = None) -> AppSettings:
    """Read the settings file; missing or unreadable file -> defaults (logged, never raised)."""
    path = settings_path(directory)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return AppSettings()
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, type(exc).__name__)
        return AppSettings()
    if not isinstance(raw, dict):
        return AppSettings()
    return AppSettings.from_dict(raw)


def save_settings(settings: AppSettings, directory: Path | None = None) -> Path:
    """Write the settings atomically (temp file + rename). Returns the path written."""
    path = settings_path(directory)
    data = settings.to_dict()
    assert not (_FORBIDDEN_KEYS & data.keys()), "settings must never hold a secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


# --------------------------------------------------------------------------------------------
# Secrets


class SecretStoreUnavailable(RuntimeError):
    """No secure keyring backend: the key cannot be stored. The message says how to fix it."""


NO_SECURE_BACKEND_HELP = (
    "No secure keyring is available ({backend}), so Kasir will not store the API key. "
    "Fix: on Linux install and unlock a keyring service — GNOME Keyring "
    "(sudo apt install gnome-keyring, then log in to a desktop session) or KWallet — "
    "or start Kasir with the API key in the KASIR_API_KEY environment variable. "
    "Kasir never stores the key in a plain file."
)


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_secure_backend(backend: Any) -> bool:
    """False for keyring's ``fail``/``null`` backends, plaintext or ``keyrings.alt`` backends,
    backends with no positive priority, and a chainer whose chain holds no secure backend."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(is_secure_backend(b) for b in chainer.ChainerBackend.backends)
    cls = type(backend)
    name = _backend_name(backend).lower()
    if cls.__module__.startswith("keyrings.alt") or "plaintext" in name:
        return False
    try:
        priority = float(backend.priority)
    except Exception:
        return False
    return priority > 0


class SecretStore:
    """The API key in the OS keyring: service ``"Kasir"``, username = base URL.

    ``backend`` defaults to the process-wide ``keyring.get_keyring()``; pass one in tests.
    """

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    @property
    def backend_name(self) -> str:
        return _backend_name(self.backend)

    def is_secure_backend(self) -> bool:
        return is_secure_backend(self.backend)

    def unavailable_message(self) -> str:
        return NO_SECURE_BACKEND_HELP.format(backend=self.backend_name)

    @staticmethod
    def _username(base_url: str) -> str:
        return base_url.strip().rstrip("/")

    def get(self, base_url: str) -> str | None:
        """The stored key, or ``None`` (also ``None`` when the backend is not secure)."""
        if not self.is_secure_backend():
            return None
        try:
            value = self.backend.get_password(KEYRING_SERVICE, self._username(base_url))
        except Exception as exc:  # locked keyring, D-Bus gone, …
            log.warning("keyring read failed: %s", type(exc).__name__)
            return None
        if value:
            register_secret(value)
        return value or None

    def set(self, base_url: str, api_key: str) -> None:
        """Store the key. Raises :class:`SecretStoreUnavailable` without a secure backend."""
        api_key = api_key.strip()
        if not api_key:
            raise ValueError("empty API key")
        register_secret(api_key)
        if not self.is_secure_backend():
            raise SecretStoreUnavailable(self.unavailable_message())
        try:
            self.backend.set_password(KEYRING_SERVICE, self._username(base_url), api_key)
        except Exception as exc:
            raise SecretStoreUnavailable(
                f"The keyring refused to store the API key ({type(exc).__name__}). "
                + self.unavailable_message()
            ) from None

    def delete(self, base_url: str) -> None:
        """Forget the key (no error when none is stored)."""
        if not self.is_secure_backend():
            return
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            self.backend.delete_password(KEYRING_SERVICE, self._username(base_url))


API_KEY_FLAG_HELP = (
    "Scalev API key. Prefer the OS keyring (Settings, F10) or the KASIR_API_KEY environment "
    "variable: a key given here is visible to other users of this computer (ps). Without a "
    "key Kasir runs in demo mode."
)
API_KEY_FLAG_WARNING = (
    "kasir: warning: --api-key puts the API key on the command line, where other users of "
    "this computer can read it (ps, /proc). Save it in Settings (OS keyring) or set "
    "KASIR_API_KEY instead."
)


def api_key_flag_used(argv: Sequence[str]) -> bool:
    """True when ``argv`` carries ``--api-key`` (``--api-key KEY`` or ``--api-key=KEY``)."""
    return any(a == "--api-key" or a.startswith("--api-key=") for a in argv)


def resolve_api_key(
    settings: AppSettings,
    env: Mapping[str, str] | None = None,
    store: SecretStore | None = None,
) -> str | None:
    """The API key to use, or ``None`` (demo mode).

    ``KASIR_API_KEY`` in ``env`` (default ``os.environ``) wins; otherwise the keyring entry for
    ``settings.base_url`` when the backend is secure. With no secure backend only the
    environment variable counts. A ``"demo"`` backend needs no key and gets ``None`` unless the
    environment variable is set explicitly.
    """
    environ = os.environ if env is None else env
    from_env = environ.get(ENV_API_KEY, "").strip()
    if from_env:
        register_secret(from_env)
        return from_env
    if settings.backend != "scalev":
        return None
    store = store or SecretStore()
    if not store.is_secure_backend():
        return None
    return store.get(settings.base_url)


def as_backend(value: str) -> Backend:
    """Checked cast for UI code: ``"demo"``/``"scalev"``."""
    if value not in get_args(Backend):
        raise ValueError(f"unknown backend {value!r}")
    return cast(Backend, value)


__all__ = [
    "APP_NAME",
    "DEFAULT_BASE_URL",
    "DEFAULT_TERMINAL",
    "ENV_API_KEY",
    "KEYRING_SERVICE",
    "AppSettings",
    "PrinterSettings",
    "ReceiptSettings",
    "SecretStore",
    "SecretStoreUnavailable",
    "as_backend",
    "config_dir",
    "data_dir",
    "is_secure_backend",
    "load_settings",
    "log_dir",
    "resolve_api_key",
    "save_settings",
    "settings_path",
]
