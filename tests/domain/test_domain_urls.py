"""The one URL rule (pos.domain.urls): where the API key may go, which links a customer gets."""

from __future__ import annotations

import pytest

from pos.domain.urls import (
    base_url_allowed,
    base_url_problem,
    image_url_allowed,
    is_loopback_host,
    payment_url_allowed,
    safe_payment_url,
)

SANDBOX = "http://127.0.0.1:41234"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.scalev.com", None),
        ("https://api.scalev.com/", None),
        ("  https://api.scalev.com  ", None),
        ("http://127.0.0.1:8080", None),
        ("http://127.5.6.7", None),
        ("http://localhost:9000", None),
        ("http://[::1]:9000", None),
        ("http://api.scalev.com", "http_not_loopback"),
        ("http://10.0.0.2", "http_not_loopback"),
        ("http://127.0.0.1.evil.example", "http_not_loopback"),
        ("ftp://api.scalev.com", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("https://", "no_host"),
        ("https://user:pw@api.scalev.com", "credentials"),
        ("", "invalid"),
        ("https://api.scalev.com:99999", "invalid"),
        ("https://api.scalev.com/\nX-Injected: 1", "invalid"),
    ],
)
def test_base_url_rule(url: str, problem: str | None) -> None:
    assert base_url_problem(url) == problem
    assert base_url_allowed(url) is (problem is None)


def test_loopback_hosts() -> None:
    assert is_loopback_host("localhost") and is_loopback_host("LOCALHOST.")
    assert is_loopback_host("127.0.0.1") and is_loopback_host("[::1]")
    assert not is_loopback_host("localhost.evil.example")
    assert not is_loopback_host("") and not is_loopback_host(None)


@pytest.mark.parametrize(
    ("url", "origin", "allowed"),
    [
        ("https://pay.scalev.id/o/abc/success", None, True),
        ("https://pay.scalev.id/o/abc", SANDBOX, True),
        ("http://127.0.0.1:41234/o/abc/success", SANDBOX, True),
        ("http://127.0.0.1:41235/o/abc/success", SANDBOX, False),  # another local port
        ("http://127.0.0.1:41234/o/abc/success", None, False),  # not in demo mode
        ("http://evil.example/o/abc", SANDBOX, False),
        ("http://example.com:80/x", "http://example.com", False),  # origin not loopback
        ("javascript:alert(1)", SANDBOX, False),
        ("data:text/html,<b>x</b>", None, False),
        ("https://user:pw@pay.example/o/1", None, False),
        ("https://pay.example/o/1\n<b>x</b>", None, False),
        ("https://pаy.example/o/1", None, False),  # Cyrillic "а": a look-alike host
        ("https://pay.example/" + "a" * 3000, None, False),
        ("", SANDBOX, False),
        (None, None, False),
    ],
)
def test_payment_link_rule(url: str | None, origin: str | None, allowed: bool) -> None:
    assert payment_url_allowed(url, origin) is allowed
    assert (safe_payment_url(url, origin) is not None) is allowed


def test_safe_payment_url_strips() -> None:
    assert safe_payment_url("  https://p.example/o/1 ") == "https://p.example/o/1"


def test_images_only_over_https() -> None:
    assert image_url_allowed("https://cdn.example/a.png")
    assert not image_url_allowed("http://cdn.example/a.png")
    assert not image_url_allowed("file:///etc/passwd")


def test_every_copy_of_the_rule_is_the_same_rule() -> None:
    """The client, doctor, settings and payment screen all answer like pos.domain.urls."""
    from pos.api.session import check_base_url as _check_base_url
    from pos.doctor import _transport_allowed

    for url in ("https://a.example", "http://127.0.0.1:1", "http://a.example", "ftp://a", ""):
        try:
            _check_base_url(url)
            client_ok = True
        except ValueError:
            client_ok = False
        assert client_ok is base_url_allowed(url) is _transport_allowed(url), url
