"""The outbox in the main window: what the sale screen needs of the offline queue before the
first paint (the full history screen, :mod:`ui.history.view`, is built after it).

- :class:`OutboxBridge` — the Qt face of :class:`pos.services.outbox.OutboxService` and
  :class:`pos.services.history.HistoryService`: runs the outbox as one background task of the
  :class:`~ui.common.tasks.TaskRunner`, turns its ``on_change`` events into signals, keeps the
  pending and attention counts for the badge.
- :class:`PendingBadge` — ``pendingBadge`` in the top bar (dynamic properties ``count`` and
  ``level`` = ``none`` / ``pending`` / ``attention``); a click opens the history on pending
  sales.
- :class:`QueuedPage` — "Tersimpan, akan dikirim otomatis" after an offline checkout, and
  "Sedang dipastikan…" when a timed-out send is being confirmed.
- :func:`reconcile_with_progress` — the start-up reconcile, with a progress window when it
  takes longer than 300 ms.
- :func:`created_message` — the notifier's text for a sale the outbox just created.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.i18n import tr, tr_short
from ui.common.money import format_idr
from ui.common.notifier import Notifier
from ui.common.shortcuts import with_label
from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

#: the progress window appears only when the start-up reconcile takes longer than this
RECONCILE_PROGRESS_DELAY_S = 0.3


# --- the outbox, seen from Qt ------------------------------------------------------------


class OutboxBridge(QObject):
    """Outbox + history services for the widgets.

    Signals:
        counts_changed(int, int): ``(pending, attention)`` — the badge.
        sale_created(object): a pending sale got its order (the ``SaleRecord``).
        sale_changed(str): any sale's local state changed (``pos_ref``; the history reloads).
    """

    counts_changed = Signal(int, int)
    sale_created = Signal(object)
    sale_changed = Signal(str)

    def __init__(
        self,
        outbox: Any,
        history: Any,
        runner: TaskRunner,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.history = history
        self.runner = runner
        self.notifier = notifier
        self.pending = 0
        self.attention = 0
        outbox.on_change = self._on_change

    # --- lifecycle ---
    async def reconcile_at_start(self) -> Any:
        try:
            return await self.outbox.reconcile_at_start()
        finally:
            self.update_counts()

    def start(self) -> None:
        """Run the outbox for the life of the app (task key ``outbox``)."""
        self.update_counts()
        self.runner.start("outbox", self.outbox.run())

    def stop(self) -> None:
        self.runner.cancel("outbox")

    def poke(self) -> None:
        self.outbox.poke()

    def note_queued(self, pos_ref: str) -> None:
        self.outbox.note_queued(pos_ref)
        self.update_counts()

    def record_order(self, order: Any) -> None:
        """An order seen on the payment screen: its sale's history row follows it (a paid
        sale shows paid in the history without a refresh)."""
        try:
            pos_ref = self.history.record_order(order)
        except Exception:  # the history is a convenience here: never break the payment screen
            log.warning("could not record the order's status in the journal", exc_info=True)
            return
        if pos_ref is not None:
            self.sale_changed.emit(pos_ref)

    # --- counts ---
    def update_counts(self) -> tuple[int, int]:
        try:
            pending = int(self.outbox.pending_count())
            attention = int(self.outbox.attention_count())
        except Exception:  # a closed or broken database must never take the UI down
            log.warning("could not count pending sales", exc_info=True)
            return self.pending, self.attention
        if (pending, attention) != (self.pending, self.attention):
            self.pending, self.attention = pending, attention
            self.counts_changed.emit(pending, attention)
        return pending, attention

    def safe_pending_count(self) -> int:
        try:
            return int(self.outbox.pending_count())
        except Exception:
            return 0

    def _on_change(self, event: Any) -> None:
        self.update_counts()
        record = getattr(event, "record", None)
        if record is not None:
            self.sale_changed.emit(record.pos_ref)
        if event.kind == "created" and record is not None:
            self.sale_created.emit(record)
        elif event.kind == "needs_decision" and record is not None:
            self.notifier.warning(
                tr(
                    f"Penjualan {record.customer_name} belum terkirim lebih dari 24 jam — "
                    "pilih Coba lagi atau Batalkan di Riwayat (F4).",
                    f"The sale for {record.customer_name} has been pending for over 24 h — "
                    "choose Retry or Abandon in History (F4).",
                )
            )
        elif event.kind in ("rejected", "failed") and record is not None:
            reason = f": {record.last_error}" if record.last_error else "."
            self.notifier.error(
                tr(
                    f"Penjualan {record.customer_name} tidak bisa dibuat",
                    f"the sale for {record.customer_name} could not be created",
                )
                + reason
                + "\n"
                + tr("Lihat Riwayat (F4).", "See History (F4).")
            )


async def reconcile_with_progress(
    bridge: OutboxBridge, delay: float = RECONCILE_PROGRESS_DELAY_S
) -> QProgressDialog | None:
    """Start-up reconcile; a progress window appears when it takes longer than ``delay``.
    Never raises (the background outbox retries whatever is left). Returns the progress
    window it showed (already closed), for tests."""
    task = asyncio.ensure_future(bridge.reconcile_at_start())
    progress: QProgressDialog | None = None
    try:
        done, _ = await asyncio.wait({task}, timeout=delay)
        if not done:
            progress = QProgressDialog(
                tr("Memeriksa penjualan yang belum selesai…", "Checking unfinished sales…"),
                "",
                0,
                0,
            )
            progress.setObjectName("reconcileProgress")
            progress.setWindowTitle("Kasir")
            progress.setCancelButton(None)
            progress.setMinimumDuration(0)
            progress.setAccessibleName(tr("Memeriksa penjualan", "Checking sales"))
            progress.show()
        await task
    except asyncio.CancelledError:
        task.cancel()
        raise
    except Exception:
        log.exception("start-up reconcile failed; the outbox will retry")
    finally:
        if progress is not None:
            progress.close()
            progress.deleteLater()
    return progress


# --- the badge -----------------------------------------------------------------------------


class PendingBadge(QToolButton):
    """``pendingBadge``: hidden at 0, orange with the number, red when a sale needs the cashier.

    Dynamic properties: ``count`` (pending sales), ``attention``, ``level``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingBadge")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(36)
        self.set_counts(0, 0)

    def count(self) -> int:
        return int(self.property("count") or 0)

    def set_counts(self, pending: int, attention: int) -> None:
        level = "attention" if attention > 0 else ("pending" if pending > 0 else "none")
        self.setProperty("count", int(pending))
        self.setProperty("attention", int(attention))
        self.setProperty("level", level)
        # one language even in bilingual mode (the bar must fit 1366 px); both in the tool tip
        self.setText(
            tr_short(f"{pending} belum terkirim", f"{pending} pending") if pending else "0"
        )
        tip = tr(
            f"{pending} penjualan belum terkirim ke Scalev; dikirim otomatis saat online. "
            "Klik untuk melihat.",
            f"{pending} sales not sent to Scalev yet; sent automatically when online. "
            "Click to see them.",
        )
        if attention:
            tip += "\n" + tr(
                f"{attention} perlu keputusan Anda (Coba lagi / Batalkan).",
                f"{attention} need your decision (Retry / Abandon).",
            )
        self.setToolTip(tip)
        self.setAccessibleName(tr(f"{pending} penjualan tertunda", f"{pending} pending sales"))
        self.setVisible(pending > 0)
        style = self.style()
        style.unpolish(self)
        style.polish(self)
        self.update()


# --- after an offline checkout -------------------------------------------------------------


class QueuedPage(QWidget):
    """``queuedPage``: the sale is kept; the cashier can start the next one.

    ``state`` property: ``queued`` (will be sent automatically), ``confirming`` (a timed-out
    send is being confirmed) or ``created`` (the outbox created it meanwhile: show its QR).

    Signals:
        new_sale_requested(), history_requested(), show_qr_requested(str pos_ref).
    """

    new_sale_requested = Signal()
    history_requested = Signal()
    show_qr_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuedPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.pos_ref: str | None = None
        self.title = QLabel(self)
        self.title.setObjectName("queuedTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("queuedBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.new_sale_button = QPushButton(
            with_label(tr("Penjualan baru", "New sale"), "new_sale"), self
        )
        self.new_sale_button.setObjectName("queuedNewSale")
        self.new_sale_button.setAccessibleName(tr("Penjualan baru", "New sale"))
        self.new_sale_button.setProperty("role", "primary")
        self.new_sale_button.setMinimumSize(260, 52)
        self.qr_button = QPushButton(tr("Tampilkan QR", "Show QR"), self)
        self.qr_button.setObjectName("queuedShowQr")
        self.qr_button.setAccessibleName(tr("Tampilkan QR pembayaran", "Show the payment QR"))
        self.qr_button.setMinimumSize(220, 52)
        self.qr_button.hide()
        self.history_button = QPushButton(tr("Riwayat", "History") + "  (F4)", self)
        self.history_button.setObjectName("queuedHistory")
        self.history_button.setAccessibleName(tr("Buka riwayat", "Open history"))
        self.history_button.setMinimumSize(200, 52)
        self.new_sale_button.clicked.connect(self.new_sale_requested)
        self.history_button.clicked.connect(self.history_requested)
        self.qr_button.clicked.connect(self._show_qr)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        buttons.addWidget(self.qr_button)
        buttons.addWidget(self.new_sale_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.setProperty("state", "queued")

    def show_sale(
        self, pos_ref: str, queued: bool, customer: str, total: int, *, why: str = ""
    ) -> None:
        """``why``: ``offline`` / ``rate_limited`` (queued) or ``confirming`` /
        ``needs_decision`` (may exist); empty: from ``queued``."""
        self.pos_ref = pos_ref
        who = f"{customer} · {format_idr(total)}" if customer else format_idr(total)
        why = why or ("offline" if queued else "confirming")
        if why == "rate_limited":
            self._set_state(
                "queued",
                tr("Antre: Scalev membatasi permintaan", "Queued: Scalev is limiting requests"),
                tr(
                    f"{who}\n\nServer Scalev sedang membatasi jumlah permintaan, jadi pesanan "
                    "ini belum diproses (belum dibuat). Penjualan ini aman tersimpan dan "
                    "dikirim otomatis begitu batasnya mengizinkan, biasanya dalam hitungan "
                    "detik. Anda bisa lanjut ke penjualan berikutnya.",
                    "Scalev is limiting the number of requests, so this order was not "
                    "processed (not created). The sale is safely saved and sent automatically "
                    "as soon as the limit allows, usually within seconds. You can go on with "
                    "the next sale.",
                    "\n\n",
                ),
            )
        elif why == "offline":
            self._set_state(
                "queued",
                tr("Tersimpan, akan dikirim otomatis", "Saved, will be sent automatically"),
                tr(
                    f"{who}\n\nServer Scalev tidak bisa dihubungi. Penjualan ini aman tersimpan "
                    "di komputer ini dan dikirim otomatis begitu koneksi kembali. Setelah "
                    "pesanan dibuat, kirim tautan pembayaran lewat WhatsApp dari Riwayat (F4) "
                    "atau tampilkan QR-nya. Anda bisa lanjut ke penjualan berikutnya.",
                    "Scalev cannot be reached. This sale is safely saved on this computer and "
                    "is sent automatically as soon as the connection returns. Once the order "
                    "is created, send the payment link by WhatsApp from History (F4) or show "
                    "its QR. You can go on with the next sale.",
                    "\n\n",
                ),
            )
        elif why == "needs_decision":
            self._set_state(
                "needs_decision",
                tr("Perlu keputusan Anda", "Needs your decision"),
                tr(
                    f"{who}\n\nPesanan ini tidak ditemukan di server setelah lama diperiksa. "
                    "Buka Riwayat (F4) untuk mengirimnya ulang atau membatalkannya.",
                    "This order was not found on the server after a long check. Open History "
                    "(F4) to send it again or abandon it.",
                    "\n\n",
                ),
            )
        else:
            self._set_state(
                "confirming",
                tr("Sedang dipastikan…", "Confirming…"),
                tr(
                    f"{who}\n\nServer belum memastikan pesanan ini. Kasir memeriksanya "
                    "otomatis selama beberapa menit dan tidak akan membuatnya dua kali — "
                    "jangan buat pesanan ini lagi. Anda bisa lanjut ke penjualan berikutnya; "
                    "hasilnya muncul di Riwayat (F4).",
                    "The server has not confirmed this order yet. Kasir checks it "
                    "automatically for a few minutes and never creates it twice — do not ring "
                    "it up again. You can go on with the next sale; the result shows in "
                    "History (F4).",
                    "\n\n",
                ),
            )

    def mark_created(self, pos_ref: str) -> None:
        if pos_ref != self.pos_ref:
            return
        self._set_state(
            "created",
            tr("Pesanan sudah dibuat ✓", "Order created ✓"),
            tr(
                "Koneksi kembali dan pesanan sudah dibuat di Scalev. Tampilkan QR-nya bila "
                "pelanggan masih di sini, atau kirim tautannya via WhatsApp dari Riwayat.",
                "The connection is back and the order is created in Scalev. Show its QR if "
                "the customer is still here, or send the link by WhatsApp from History.",
                "\n\n",
            ),
        )

    def _set_state(self, state: str, title: str, body: str) -> None:
        self.setProperty("state", state)
        self.title.setText(title)
        self.body.setText(body)
        self.qr_button.setVisible(state == "created")
        style = self.style()
        style.unpolish(self)
        style.polish(self)
        self.update()

    def state(self) -> str:
        return str(self.property("state"))

    def _show_qr(self) -> None:
        if self.pos_ref:
            self.show_qr_requested.emit(self.pos_ref)


def created_message(record: Any) -> str:
    """The notifier's rich text for a sale the outbox just created (with its history link)."""
    import html  # when a sale is created, not at start-up

    name = html.escape(record.customer_name or "")
    number = html.escape(record.order_number or record.order_id or "")
    text = tr(
        f"Pesanan {number} ({name}) sudah dibuat — kirim tautan pembayaran.",
        f"Order {number} ({name}) is created — send the payment link.",
    )
    link = tr("Buka di riwayat", "Open in history")
    return f'{text} <a href="history:{html.escape(record.pos_ref)}">{link}</a>'


__all__ = [
    "RECONCILE_PROGRESS_DELAY_S",
    "OutboxBridge",
    "PendingBadge",
    "QueuedPage",
    "created_message",
    "reconcile_with_progress",
]
