"""The settings dialog's life and putting saved settings into effect (the window's part of
:mod:`ui.settings.counter`): one dialog at a time, opened with ``open()``, never ``exec()``;
built on first use (``ui.settings.dialog`` loads after the first paint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ui.common.i18n import tr
from ui.settings.counter import apply_language, apply_terminal, restart_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.common.notifier import Notifier
    from ui.controllers import SaleController
    from ui.receipts.actions import ReceiptActions
    from ui.settings.counter import Counter
    from ui.settings.dialog import SettingsDialog


class SettingsFlow(QObject):
    """Opens the settings dialog and applies what it saves; the cart is kept.

    Signals:
        language_changed(): the tr() mode changed (windows were re-rendered).
    """

    language_changed = Signal()

    def __init__(
        self,
        counter: Counter,
        controller: SaleController,
        notifier: Notifier,
        receipts: ReceiptActions,
        *,
        sandbox_origin: str | None,
        windows: Callable[[], list[Any]],
        may_switch_store: Callable[[], bool],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self.counter = counter
        self.controller = controller
        self.notifier = notifier
        self.receipts = receipts
        self._sandbox_origin = sandbox_origin
        self._windows = windows
        self._may_switch_store = may_switch_store
        self.dialog: SettingsDialog | None = None

    def open(self) -> SettingsDialog:
        """The settings dialog (raised when already open)."""
        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        from ui.settings.dialog import SettingsDialog

        counter = self.counter
        dialog = SettingsDialog(
            counter.settings,
            runner=self.controller.runner,
            secret_store=counter.secret_store,
            config_directory=counter.config_directory,
            stores=self.controller.stores,
            demo_base_url=self._sandbox_origin if counter.demo else None,
            parent=self._window,
        )
        key_typed: list[bool] = [False]
        dialog.api_key.textChanged.connect(lambda t: key_typed.__setitem__(0, bool(t.strip())))
        dialog.settings_saved.connect(lambda s: self.apply(s, key_typed=key_typed[0]))

        def finished(_result: int) -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()

    def apply(self, settings: Any, *, key_typed: bool = False) -> None:
        """Put saved settings into effect (see :mod:`ui.settings.counter`)."""
        counter = self.counter
        restart = counter.backend_changed(settings, key_typed)
        if (restart or key_typed) and hasattr(self.controller.checkout, "clear_cash_block"):
            self.controller.checkout.clear_cash_block()  # a new key: try cash again
        apply_terminal(self.controller, settings.terminal_name)
        self.receipts.set_settings(settings)
        if settings.default_store_id and settings.default_store_id != (
            counter.settings.default_store_id
        ):
            self._use_default_store(settings.default_store_id)
        counter.settings = settings
        if apply_language(settings.language, [*self._windows(), self.dialog]):
            self.language_changed.emit()
        if restart:
            self.notifier.warning(restart_text())
        else:
            self.notifier.info(tr("Pengaturan disimpan.", "Settings saved."))

    def _use_default_store(self, store_id: int) -> None:
        try:
            self.controller.settings.set("last_store_id", str(store_id))
        except Exception:  # remembering is a convenience
            return
        store = next((s for s in self.controller.stores if s.id == store_id), None)
        if store is not None and self.controller.cart.is_empty and self._may_switch_store():
            self.controller.select_store(store)
