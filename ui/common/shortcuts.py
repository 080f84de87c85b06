"""The keyboard shortcut table (one source for the F1 sheet and docs/SHORTCUTS.md), and the
platform's keys for the modifier shortcuts.

Qt's portable ``Ctrl`` is the Command key (⌘) on macOS, so ``Ctrl+N`` is ⌘N there, as a Mac
user expects. The standard keys (``QKeySequence.StandardKey``: New, Print, Preferences) are
bound where Qt defines them. macOS reserves ⌘H (hide the app), so the history is ⌘Y there (as
in Safari) and Ctrl+H elsewhere. Labels show the platform's own text: ``⌘N`` on macOS,
``Ctrl+N`` on Windows and Linux (:func:`label`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.common.i18n import tr

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class Shortcut:
    """A modifier shortcut: Qt's standard key (if any) and portable keys per platform."""

    standard: StandardKey | None
    keys: tuple[str, ...]
    mac_keys: tuple[str, ...] | None = None  # ``None``: the same as :attr:`keys`


#: the window's modifier shortcuts (the function keys F1–F10 are the same everywhere)
SHORTCUTS: dict[str, Shortcut] = {
    "new_sale": Shortcut(StandardKey.New, ("Ctrl+N",)),
    "print": Shortcut(StandardKey.Print, ("Ctrl+P",)),
    "settings": Shortcut(StandardKey.Preferences, ("Ctrl+,",)),
    # ⌘H hides the application on macOS
    "history": Shortcut(None, ("Ctrl+H",), mac_keys=("Ctrl+Y",)),
    "clear_cart": Shortcut(None, ("Ctrl+Shift+Del",), mac_keys=("Ctrl+Shift+Backspace",)),
}

#: shortcuts macOS gives the system or every app (⌘ + key): never bound by Kasir there
MAC_RESERVED = frozenset(
    {"Ctrl+H", "Ctrl+Alt+H", "Ctrl+M", "Ctrl+Q", "Ctrl+W", "Ctrl+Tab", "Ctrl+Space", "Ctrl+`"}
)


def is_mac(platform: str | None = None) -> bool:
    return (sys.platform if platform is None else platform) == "darwin"


def portable_keys(name: str, platform: str | None = None) -> tuple[str, ...]:
    """The portable key strings bound for shortcut ``name`` on ``platform``."""
    shortcut = SHORTCUTS[name]
    if is_mac(platform) and shortcut.mac_keys is not None:
        return shortcut.mac_keys
    return shortcut.keys


def bindings(name: str) -> list[QKeySequence]:
    """The key sequences to bind on this platform: Qt's standard key, then ours (no twice)."""
    seqs: list[QKeySequence] = []
    standard = SHORTCUTS[name].standard
    if standard is not None:
        seqs += QKeySequence.keyBindings(standard)
    for key in portable_keys(name):
        seq = QKeySequence(key)
        if seq not in seqs:
            seqs.append(seq)
    return seqs


_MAC_SYMBOLS = {"Meta": "⌃", "Alt": "⌥", "Shift": "⇧", "Ctrl": "⌘"}
_MAC_KEYS = {"Backspace": "⌫", "Del": "⌦", "Esc": "⎋", "Return": "↩", "Enter": "⌤"}


def label(name: str, platform: str | None = None) -> str:
    """How the shortcut reads on ``platform`` (default: this one): ``⌘N`` / ``Ctrl+N``."""
    key = portable_keys(name, platform)[0]
    if not is_mac(platform):
        return key
    *mods, last = key.split("+")
    order = ["Meta", "Alt", "Shift", "Ctrl"]  # ⌃⌥⇧⌘, Apple's order
    symbols = "".join(_MAC_SYMBOLS[m] for m in sorted(mods, key=order.index))
    return symbols + _MAC_KEYS.get(last, last.upper() if len(last) == 1 else last)


def with_label(text: str, name: str) -> str:
    """``text`` followed by the shortcut's label, as the buttons show it."""
    return f"{text}  ({label(name)})"


def shortcut_rows() -> list[tuple[str, str]]:
    return [
        ("F1", tr("Daftar pintasan ini", "This shortcut sheet")),
        ("F2", tr("Ke kotak cari (katalog)", "Go to the search box (catalog)")),
        ("↓ / PgDn", tr("Dari kotak cari ke grid barang", "From search into the item grid")),
        (
            "Enter",
            tr(
                "Tambah barang terpilih / SKU persis / satu-satunya hasil",
                "Add the selected item / exact SKU / the only match",
            ),
        ),
        ("F3", tr("Ke keranjang", "Go to the cart")),
        ("+ / −", tr("Ubah jumlah baris keranjang", "Change the cart line's quantity")),
        ("0–9, Enter", tr("Ketik jumlah baris keranjang", "Type the cart line's quantity")),
        ("Del", tr("Hapus baris keranjang", "Remove the cart line")),
        ("F9", tr("Bayar; di checkout: buat pesanan", "Charge; on checkout: create the order")),
        ("F8", tr("Di checkout: bayar tunai", "On checkout: pay cash")),
        ("F7", tr("Shift: buka / tutup, laporan", "Shift: open / close, report")),
        ("Tab / Shift+Tab", tr("Pindah kolom isian", "Move between fields")),
        (
            "↓ / ↑, Enter",
            tr(
                "Pengiriman: dari kecamatan ke hasil, pilih dengan Enter",
                "Shipping: from the kecamatan box into the results, Enter picks",
            ),
        ),
        (
            "↑ / ↓, Enter / " + tr("Spasi", "Space"),
            tr("Pengiriman: pilih kurir", "Shipping: choose the courier"),
        ),
        ("F4 / " + label("history"), tr("Riwayat penjualan", "Sales history")),
        (
            "F5",
            tr(
                "Perbarui katalog (layar jual) / cek status pembayaran sekarang",
                "Refresh the catalog (sale screen) / check the payment status now",
            ),
        ),
        (
            label("new_sale"),
            tr("Penjualan baru (di layar pembayaran)", "New sale (on the payment screen)"),
        ),
        ("Esc", tr("Kembali", "Back")),
        (label("clear_cart"), tr("Kosongkan keranjang", "Clear the cart")),
        ("F10 / " + label("settings"), tr("Pengaturan", "Settings")),
        (
            label("print"),
            tr("Cetak struk (di layar pembayaran)", "Print receipt (on the payment screen)"),
        ),
    ]


class ShortcutSheet(QDialog):
    """Non-modal sheet listing the shortcuts (shown with ``show()``, never ``exec()``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle(tr("Pintasan keyboard", "Keyboard shortcuts"))
        self.setAccessibleName(tr("Pintasan keyboard", "Keyboard shortcuts"))
        self.setModal(False)
        rows = "".join(
            f"<tr><td style='padding:4px 16px 4px 0'><b>{k}</b></td>"
            f"<td style='padding:4px 0'>{v}</td></tr>"
            for k, v in shortcut_rows()
        )
        label = QLabel(f"<table>{rows}</table>", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Tutup", "Close"))
        close.setMinimumHeight(44)
        close.setAccessibleName(tr("Tutup", "Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
