"""The API key on screen and on the command line: ``--help`` recommends the keyring or
KASIR_API_KEY, ``--api-key`` warns that other local users can read it, and a configured key
(whatever its prefix) never shows in the message banner."""

from __future__ import annotations

from typing import Any

import pytest

from pos.logs import forget_secrets, register_secret
from ui.app import parse_args
from ui.common.notifier import MessageBanner, Notifier


def test_help_recommends_the_keyring_or_the_environment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--help"], env={})
    text = " ".join(capsys.readouterr().out.split())
    assert "keyring" in text and "KASIR_API_KEY" in text and "(ps)" in text


def test_api_key_flag_warns(capsys: pytest.CaptureFixture[str]) -> None:
    config = parse_args(["--api-key", "Zx9PLAINkey-7f3a2b"], env={})
    assert config.api_key == "Zx9PLAINkey-7f3a2b"
    err = capsys.readouterr().err
    assert "--api-key" in err and "other users" in err and "KASIR_API_KEY" in err
    assert "Zx9PLAINkey-7f3a2b" not in err
    parse_args(["--api-key=Zx9PLAINkey-7f3a2b"], env={})
    assert "other users" in capsys.readouterr().err


def test_no_warning_for_the_environment_variable(capsys: pytest.CaptureFixture[str]) -> None:
    config = parse_args([], env={"KASIR_API_KEY": "Zx9PLAINkey-7f3a2b"})
    assert config.api_key == "Zx9PLAINkey-7f3a2b"
    assert capsys.readouterr().err == ""


def test_banner_masks_a_configured_key(qtbot: Any) -> None:
    notifier = Notifier()
    banner = MessageBanner(notifier)
    qtbot.addWidget(banner)
    register_secret("Zx9PLAINkey-7f3a2b")
    try:
        notifier.error("Server: key Zx9PLAINkey-7f3a2b is not allowed")
        assert "Zx9PLAINkey-7f3a2b" not in banner.text() and "not allowed" in banner.text()
        notifier.info_with_link('key Zx9PLAINkey-7f3a2b <a href="history:x">x</a>')
        assert "Zx9PLAINkey-7f3a2b" not in banner.text()
    finally:
        forget_secrets()
