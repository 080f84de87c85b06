"""Demo mode's LAN option on screen: the address a phone on the same Wi-Fi opens, beside the
DEMO badge, and the payment QR allowed to carry that address.

``install_lan_demo(window, sandbox)`` is called once by the composition root (``ui.app``) in
demo mode; it does nothing when LAN mode is off. See ``pos.sandbox.background``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QBoxLayout, QLabel, QWidget

from pos.domain.urls import trust_demo_lan_origin
from ui.common.i18n import tr


class LanAddressBadge(QLabel):
    """The sandbox's LAN address (or why there is none), in the top bar."""

    def __init__(self, lan_url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lanAddressBadge")
        self.lan_url = lan_url
        if lan_url:
            self.setText(tr(f"Ponsel: {lan_url}", f"Phones: {lan_url}"))
            self.setToolTip(
                tr(
                    "Mode demo LAN: ponsel di Wi-Fi yang sama bisa membuka QR pembayaran "
                    f"(alamat {lan_url}).",
                    "LAN demo mode: a phone on the same Wi-Fi can open the payment QR "
                    f"(address {lan_url}).",
                )
            )
        else:
            self.setText(tr("LAN: tidak ada jaringan", "LAN: no network"))
            self.setToolTip(
                tr(
                    "Mode demo LAN menyala, tetapi komputer ini tidak terhubung ke jaringan: "
                    "QR hanya terbuka di komputer ini.",
                    "LAN demo mode is on, but this computer is not on a network: the QR "
                    "opens on this computer only.",
                )
            )
        self.setAccessibleName(self.text())
        self.setStyleSheet(
            "#lanAddressBadge { background: #0e7490; color: #ffffff; font-weight: 700;"
            " border-radius: 6px; padding: 4px 10px; }"
        )


def install_lan_demo(window: Any, sandbox: Any) -> LanAddressBadge | None:
    """Show the LAN address beside the DEMO badge and let the QR carry it. ``None`` (and
    nothing changed) unless the sandbox runs in LAN mode."""
    if sandbox is None or not getattr(sandbox, "lan", False):
        return None
    lan_url = getattr(sandbox, "lan_url", None)
    if lan_url:
        trust_demo_lan_origin(lan_url)
    demo_badge: QLabel = window.demo_badge
    bar = demo_badge.parentWidget()
    badge = LanAddressBadge(lan_url, bar)
    layout = bar.layout() if bar is not None else None
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(demo_badge) + 1, badge)
    badge.show()
    return badge
