"""The keyboard shortcut table (one source for the F1 sheet and docs/SHORTCUTS.md)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from .i18n import tr


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
        ("F4 / Ctrl+H", tr("Riwayat penjualan", "Sales history")),
        (
            "F5",
            tr(
                "Perbarui katalog (layar jual) / cek status pembayaran sekarang",
                "Refresh the catalog (sale screen) / check the payment status now",
            ),
        ),
        ("Ctrl+N", tr("Penjualan baru (di layar pembayaran)", "New sale (on the payment screen)")),
        ("Esc", tr("Kembali", "Back")),
        ("Ctrl+Shift+Del", tr("Kosongkan keranjang", "Clear the cart")),
        ("F10 / Ctrl+,", tr("Pengaturan", "Settings")),
        (
            "Ctrl+P",
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
