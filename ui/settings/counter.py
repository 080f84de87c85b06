"""The counter's saved settings at run time (``pos.config.AppSettings``): where they live, and
what a save changes in the running app.

The composition root (``ui.app``) builds one :class:`Counter` and hands it to the main window.
:meth:`Counter.apply` puts a saved :class:`~pos.config.AppSettings` into effect:

* terminal name → the one ``CheckoutService`` (``metadata.terminal`` of the next order);
* language → :func:`ui.common.i18n.set_mode` and every open window re-rendered (the cart is kept);
* printer and receipt options → :class:`~ui.receipts.actions.ReceiptActions`;
* default store → remembered as the store to open (switched now when the cart is empty);
* backend, base URL or a new API key → Kasir asks to be restarted (the running session keeps
  talking to the server it started with; sales in progress are never dropped).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pos.config import AppSettings
from ui.common.i18n import mode, resolve_mode, retranslate, set_mode, tr

#: system | id | en | both — overrides the saved language
ENV_LANGUAGE = "KASIR_LANGUAGE"


@dataclass
class Counter:
    """Settings, their folder (``None``: the platform config dir / ``KASIR_CONFIG_DIR``), the
    keyring store (``None``: the OS keyring) and the running backend."""

    settings: AppSettings = field(default_factory=AppSettings)
    config_directory: Path | None = None
    secret_store: Any = None
    data_dir: Path | None = None
    demo: bool = True
    #: the base URL the session talks to (demo: the embedded sandbox)
    base_url: str | None = None

    def backend_changed(self, new: AppSettings, key_typed: bool) -> bool:
        """Would ``new`` talk to another server (or with another key) than the running one?"""
        if (new.backend == "demo") != self.demo:
            return True
        if self.demo and new.demo_lan != self.settings.demo_lan:
            return True  # the demo sandbox listens again, on the LAN or not
        return new.backend == "scalev" and (new.base_url != self.settings.base_url or key_typed)


def apply_terminal(controller: Any, terminal: str) -> None:
    checkout = getattr(controller, "checkout", None)
    if checkout is not None and hasattr(checkout, "terminal"):
        checkout.terminal = terminal


def apply_language(language: str, windows: list[Any]) -> bool:
    """Switch the tr() mode for ``language`` and re-render ``windows``; True when it changed.
    ``KASIR_LANGUAGE`` in the environment pins the language (training, tests)."""
    old, new = mode(), resolve_mode(os.environ.get(ENV_LANGUAGE) or language)
    if old == new:
        return False
    set_mode(new)
    retranslate([w for w in windows if w is not None], old, new)
    return True


def restart_text() -> str:
    return tr(
        "Server atau kunci API diubah. Tutup dan buka lagi Kasir untuk memakainya — penjualan "
        "yang belum terkirim tetap aman.",
        "The server or API key changed. Close and reopen Kasir to use it — unsent sales stay safe.",
    )


__all__ = ["Counter", "apply_language", "apply_terminal", "restart_text"]
