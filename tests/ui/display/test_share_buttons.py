"""WhatsApp and copy-link buttons (ui/payment/share_buttons.py): the wa.me link is built correctly
(phone normalised, message URL-encoded), opened through QDesktopServices and copied."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtTest import QTest

from pos.share import payment_message, payment_whatsapp_link
from ui.common import i18n
from ui.common.notifier import Notifier
from ui.payment.share_buttons import CopyLinkButton, WhatsAppButton

PAY_URL = "https://pay.scalev.id/o/abc123?x=1&y=2#z"
ORDER = ("0812-3456 7890", "Siti Rahmawati", "Toko Kopi Nusantara", "261126KSRDEMO", 545000)


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url)

    def encoded(self) -> list[str]:
        return [bytes(u.toEncoded().data()).decode("ascii") for u in self.urls]


@pytest.fixture
def opened() -> Iterator[UrlCatcher]:
    """Every https URL the app opens lands here instead of a browser."""
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "handle")  # a str: bytes is refused
    try:
        yield catcher
    finally:
        QDesktopServices.unsetUrlHandler("https")


def clipboard_text() -> str:
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None
    return clipboard.text()


def make_button(qtbot: Any, **kw: Any) -> WhatsAppButton:
    button = WhatsAppButton(**kw)
    qtbot.addWidget(button)
    button.show()
    return button


def test_whatsapp_link_opened_and_copied(qtbot: Any, opened: UrlCatcher) -> None:
    notifier = Notifier()
    infos: list[tuple[str, str]] = []
    notifier.message.connect(lambda level, text: infos.append((level, text)))
    button = make_button(qtbot, notifier=notifier)
    assert button.objectName() == "whatsappButton"
    assert button.accessibleName()
    assert button.height() >= 44
    assert not button.isEnabled()

    phone, name, store, number, amount = ORDER
    button.set_payment(phone, name, store, number, amount, PAY_URL)
    assert button.isEnabled()
    with qtbot.waitSignal(button.shared, timeout=1000) as shared:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    expected = payment_whatsapp_link(phone, name, store, number, amount, PAY_URL, lang="id")
    assert shared.args == [expected]
    assert opened.encoded() == [expected]
    assert clipboard_text() == expected
    assert infos and infos[-1][0] == "info"

    # the link itself: normalised phone, the Indonesian message percent-encoded
    parts = urlsplit(opened.encoded()[0])
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert "+" not in parts.query and " " not in parts.query
    assert parse_qs(parts.query)["text"] == [
        payment_message(name, store, number, amount, PAY_URL, "id")
    ]
    assert parts.fragment == ""  # the payment URL's "#" is encoded inside the message
    message = parse_qs(parts.query)["text"][0]
    assert "Rp545.000" in message and PAY_URL in message and "Halo Siti Rahmawati" in message


def test_english_message_when_english_is_chosen(qtbot: Any, opened: UrlCatcher) -> None:
    i18n.set_mode("en")
    button = make_button(qtbot)
    button.set_payment(*ORDER, PAY_URL)
    button.click()
    text = parse_qs(urlsplit(opened.encoded()[0]).query)["text"][0]
    assert text.startswith("Hi Siti Rahmawati,")


def test_bad_phone_opens_nothing(qtbot: Any, opened: UrlCatcher) -> None:
    notifier = Notifier()
    warnings: list[str] = []
    notifier.message.connect(lambda level, text: warnings.append(level))
    button = make_button(qtbot, notifier=notifier)
    button.set_payment("12ab", "Siti", "Toko", "X1", 5000, PAY_URL)
    assert button.link() is None
    with qtbot.waitSignal(button.failed, timeout=1000) as failed:
        button.click()
    assert "0812" in failed.args[0]  # the example in the phone_invalid message
    assert opened.urls == []
    assert warnings == ["warning"]


def test_disabled_without_phone_or_url(qtbot: Any) -> None:
    button = make_button(qtbot)
    button.set_payment("", "Siti", "Toko", "X1", 5000, PAY_URL)
    assert not button.isEnabled() and button.toolTip()
    button.set_payment("0812 3456 7890", "Siti", "Toko", "X1", 5000, "")
    assert not button.isEnabled()
    button.set_payment("0812 3456 7890", "Siti", "Toko", "X1", 5000, PAY_URL)
    assert button.isEnabled()
    button.clear()
    assert not button.isEnabled() and button.share is None


def test_copy_link_button(qtbot: Any) -> None:
    button = CopyLinkButton()
    qtbot.addWidget(button)
    button.show()
    assert button.objectName() == "copyLinkButton" and button.accessibleName()
    assert not button.isEnabled()
    button.set_link(PAY_URL)
    idle_text = button.text()
    with qtbot.waitSignal(button.copied, timeout=1000):
        button.click()
    assert clipboard_text() == PAY_URL
    assert button.text() != idle_text
    button.set_link(None)
    assert not button.isEnabled() and button.text() == idle_text
