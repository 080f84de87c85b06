"""The one home of Kasir's URL rules.

* **Base URL** (where the API key is sent): ``https://`` with a host anywhere; plain ``http://``
  only to a loopback host (a local sandbox), never with credentials in the URL.
* **Payment link** (what a customer is asked to open or scan, copy, send on WhatsApp, print):
  ``https://`` with a host, or — in demo mode only — exactly the embedded sandbox's own loopback
  origin. Anything else (``http://`` elsewhere, ``javascript:``, empty, control characters) is
  refused: no QR, no copy, no WhatsApp, no receipt QR.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from .customer import InvalidInput

#: Scalev's public API (the one home of this constant; ``pos.config`` and ``pos.api`` use it)
DEFAULT_BASE_URL = "https://api.scalev.com"

#: Longest link Kasir will show, copy or encode (a QR of more is unreadable anyway).
MAX_URL_LENGTH = 2048

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback_host(host: str | None) -> bool:
    """``localhost``, ``127.0.0.0/8`` or ``::1`` (brackets and a trailing dot allowed)."""
    h = (host or "").strip().lower().rstrip(".").strip("[]")
    if not h:
        return False
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def _clean(url: str | None) -> str | None:
    """The URL stripped, or ``None`` when it is not a plausible single-line link."""
    if not isinstance(url, str):
        return None
    s = url.strip()
    if not s or len(s) > MAX_URL_LENGTH:
        return None
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in s):
        return None  # spaces, newlines, control characters
    if not s.isascii():
        return None  # homoglyphs and bidi tricks; real links are percent-encoded
    return s


def base_url_problem(url: str | None) -> str | None:
    """``None`` when ``url`` may receive the API key; else a short English reason:
    ``"invalid"``, ``"no_host"``, ``"credentials"``, ``"http_not_loopback"`` or ``"scheme"``."""
    s = _clean(url)
    if s is None:
        return "invalid"
    try:
        parts = urlsplit(s)
        host = parts.hostname
        _ = parts.port  # a bad port raises ValueError
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https"):
        return "scheme"
    if not host:
        return "no_host"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    if parts.scheme == "http" and not is_loopback_host(host):
        return "http_not_loopback"
    return None


class BaseUrlRefused(InvalidInput):
    """A base URL the API key may not be sent to. ``reason`` is a :func:`base_url_problem`
    code; ``message_id`` (``base_url_http`` / ``base_url_invalid``) keys the cashier text."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(
            "base_url", "base_url_http" if reason == "http_not_loopback" else "base_url_invalid"
        )
        self.reason = reason
        self.args = (text,)

    def __str__(self) -> str:
        return str(self.args[0])


def base_url_allowed(url: str | None) -> bool:
    """https with a host anywhere; plain http only to a loopback address (the sandbox)."""
    return base_url_problem(url) is None


def origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` with the default port filled in. Raises ValueError."""
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


#: demo mode's LAN sandbox origins (``ui.display.lan_demo``): plain-http payment links there are
#: allowed, and only in demo mode (together with a ``sandbox_origin``)
DEMO_LAN_ORIGINS: set[tuple[str, str, int | None]] = set()


def trust_demo_lan_origin(url: str) -> None:
    """Allow payment links of the demo sandbox's LAN address (LAN demo mode)."""
    DEMO_LAN_ORIGINS.add(origin(url))


def payment_url_allowed(url: str | None, sandbox_origin: str | None = None) -> bool:
    """True for an https URL with a host, or in demo mode (``sandbox_origin``) for the demo
    sandbox's own loopback origin or its trusted LAN address."""
    s = _clean(url)
    if s is None:
        return False
    try:
        scheme, host, _port = origin(s)
        parts = urlsplit(s)
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    if scheme == "https" and host:
        return True
    if sandbox_origin:
        try:
            own = origin(sandbox_origin)
        except ValueError:
            return False
        if (scheme, host, _port) in DEMO_LAN_ORIGINS:
            return True
        return is_loopback_host(own[1]) and (scheme, host, _port) == own
    return False


def safe_payment_url(url: str | None, sandbox_origin: str | None = None) -> str | None:
    """The stripped link when :func:`payment_url_allowed`, else ``None``."""
    if not payment_url_allowed(url, sandbox_origin):
        return None
    assert url is not None
    return url.strip()


def image_url_allowed(url: str | None) -> bool:
    """Thumbnails are fetched over https only."""
    s = _clean(url)
    if s is None:
        return False
    try:
        parts = urlsplit(s)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "https" and bool(host)
