"""The sale journal (outbox): one row per sale, written BEFORE the order request.

States::

    draft ──> sending ──> created
                 │  ├──> unknown ──> reconciled (found by lookup) | sending (resend)
                 │  ├──> queued  ──> sending (network back)
                 │  ├──> rejected (400/422, final)
                 │  └──> failed  (401/403/…: fix the setup, then resend)

    any open state ──> needs_decision (pending > 24 h: no longer sent automatically;
                                       a human retries it or abandons it)
    any open state ──> abandoned (the cashier gave the sale up; only while not created)

``created``, ``reconciled``, ``rejected`` and ``abandoned`` are final. ``draft`` is open too: a
sale journaled just before a crash is picked up by the outbox like ``queued``. Every transition
is one transaction and checks the current state, so a stale caller can never move a finished
sale.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from .db import Database
from .errors import StorageError

log = logging.getLogger(__name__)


def new_pos_ref() -> str:
    """A new sale reference (uuid4). ``uuid`` loads on the first sale, not at start-up."""
    import uuid

    return str(uuid.uuid4())


class SaleState(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    CREATED = "created"
    UNKNOWN = "unknown"
    RECONCILED = "reconciled"
    REJECTED = "rejected"
    FAILED = "failed"
    QUEUED = "queued"
    NEEDS_DECISION = "needs_decision"
    ABANDONED = "abandoned"


FINAL = frozenset(
    {SaleState.CREATED, SaleState.RECONCILED, SaleState.REJECTED, SaleState.ABANDONED}
)
DONE = frozenset({SaleState.CREATED, SaleState.RECONCILED})
UNFINISHED = (SaleState.SENDING, SaleState.UNKNOWN, SaleState.QUEUED)
#: States the outbox drives automatically (``draft``: journaled, then the process died).
DRAINABLE = (SaleState.DRAFT, SaleState.SENDING, SaleState.UNKNOWN, SaleState.QUEUED)
#: Not created and not final: what the "pending" badge counts.
PENDING = (*DRAINABLE, SaleState.FAILED, SaleState.NEEDS_DECISION)
_OPEN = PENDING


class JournalStateError(StorageError):
    """A transition the sale's current state does not allow (or an unknown pos_ref)."""

    def __init__(self, pos_ref: str, state: str | None, wanted: str) -> None:
        super().__init__("sale_state_invalid", f"{pos_ref}: {state} -> {wanted}")
        self.pos_ref = pos_ref
        self.state = state
        self.wanted = wanted


class DraftLike(Protocol):
    @property
    def store_id(self) -> int: ...
    @property
    def store_unique_id(self) -> str: ...
    @property
    def store_name(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def customer(self) -> Any: ...


class OrderLike(Protocol):
    id: str
    order_id: str | None
    payment_url: str | None
    payment_status: str | None

    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SaleRecord:
    pos_ref: str
    created_at: str
    updated_at: str
    state: SaleState
    store_id: int
    store_unique_id: str
    store_name: str
    customer_name: str
    customer_phone: str | None
    total: int
    body: dict[str, Any]
    attempts: int
    last_error: str | None
    order_id: str | None
    order_number: str | None
    payment_url: str | None
    payment_status: str | None
    order: dict[str, Any] | None
    #: start of the attempt in flight (epoch seconds), when the state is ``sending``
    sending_at: float | None = None
    #: the first attempt that may have reached Scalev (epoch seconds), or None
    first_sent_at: float | None = None
    #: the latest attempt that may have reached Scalev (epoch seconds), or None
    last_sent_at: float | None = None

    @property
    def maybe_sent_at(self) -> float | None:
        """When the latest attempt that may have reached Scalev started, or None when no
        attempt can have reached it (never sent, or every attempt certainly refused). A sale
        still ``sending`` (the process died mid-request) counts its attempt in flight."""
        if self.state == SaleState.SENDING and self.sending_at is not None:
            return max(self.sending_at, self.last_sent_at or 0.0)
        return self.last_sent_at

    @property
    def first_maybe_sent_at(self) -> float | None:
        """When the first attempt that may have reached Scalev started, or None."""
        if self.first_sent_at is not None:
            return self.first_sent_at
        return self.maybe_sent_at

    @property
    def is_done(self) -> bool:
        return self.state in DONE

    @property
    def is_final(self) -> bool:
        return self.state in FINAL


_COLUMNS = (
    "pos_ref, created_at, updated_at, state, store_id, store_unique_id, store_name, "
    "customer_name, customer_phone, total, body, attempts, last_error, order_id, "
    "order_number, payment_url, payment_status, order_json, sending_at, first_sent_at, "
    "last_sent_at"
)


def _epoch(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _iso(ts: float | None) -> str:
    """UTC ISO text of epoch ``ts`` (now when None), as every journal timestamp."""
    if ts is None:
        return _now()
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


def _row(r: tuple[Any, ...]) -> SaleRecord:
    return SaleRecord(
        pos_ref=r[0],
        created_at=r[1],
        updated_at=r[2],
        state=SaleState(r[3]),
        store_id=int(r[4]),
        store_unique_id=r[5],
        store_name=r[6],
        customer_name=r[7],
        customer_phone=r[8],
        total=int(r[9]),
        body=json.loads(r[10]),
        attempts=int(r[11]),
        last_error=r[12],
        order_id=r[13],
        order_number=r[14],
        payment_url=r[15],
        payment_status=r[16],
        order=json.loads(r[17]) if r[17] else None,
        sending_at=_epoch(r[18]),
        first_sent_at=_epoch(r[19]),
        last_sent_at=_epoch(r[20]),
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _err(err: BaseException | str | None) -> str | None:
    if err is None:
        return None
    text = err if isinstance(err, str) else f"{type(err).__name__}: {err}"
    return text[:2000]


class SaleJournal:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- writing ---------------------------------------------------------------------

    def new_sale(self, draft: DraftLike, body: dict[str, Any], pos_ref: str | None = None) -> str:
        """Record a sale (state ``draft``) with its frozen request body; returns the pos_ref.

        The pos_ref is ``body["metadata"]["pos_ref"]`` when present, else ``pos_ref`` or a
        new UUID4 — and it is written into the stored body's metadata either way.
        """
        meta = dict(body.get("metadata") or {})
        ref = str(meta.get("pos_ref") or pos_ref or new_pos_ref())
        if pos_ref is not None and pos_ref != ref:
            raise ValueError("pos_ref differs from the body's metadata.pos_ref")
        meta["pos_ref"] = ref
        frozen = {**body, "metadata": meta}
        now = _now()
        customer = draft.customer
        with self._db.transaction() as c:
            c.execute(
                f"INSERT INTO sales ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, NULL, NULL, NULL, NULL, "
                "NULL, NULL, NULL)",
                (
                    ref,
                    now,
                    now,
                    SaleState.DRAFT.value,
                    draft.store_id,
                    draft.store_unique_id,
                    draft.store_name,
                    getattr(customer, "name", "") or "",
                    getattr(customer, "phone", None),
                    int(draft.total),
                    json.dumps(frozen, ensure_ascii=False, separators=(",", ":")),
                ),
            )
        return ref

    def _transition(
        self,
        pos_ref: str,
        to: SaleState,
        allowed: tuple[SaleState, ...],
        extra_sql: str = "",
        params: tuple[Any, ...] = (),
    ) -> None:
        with self._db.transaction() as c:
            row = c.execute("SELECT state FROM sales WHERE pos_ref = ?", (pos_ref,)).fetchone()
            if row is None or SaleState(row[0]) not in allowed:
                raise JournalStateError(pos_ref, row[0] if row else None, to.value)
            c.execute(
                f"UPDATE sales SET state = ?, updated_at = ?{extra_sql} WHERE pos_ref = ?",
                (to.value, _now(), *params, pos_ref),
            )

    def mark_sending(self, pos_ref: str, at: float | None = None) -> None:
        """About to send the request (counts an attempt; ``at``: epoch seconds, default now).

        From here until :meth:`mark_unknown` / :meth:`mark_queued` the attempt is in flight: a
        process that dies now leaves the sale ``sending`` and the attempt counts as maybe-sent.
        """
        self._transition(
            pos_ref,
            SaleState.SENDING,
            _OPEN,
            ", attempts = attempts + 1, last_error = NULL, sending_at = ?",
            (_iso(at),),
        )

    def mark_created(self, pos_ref: str, order: OrderLike, *, adopted: bool = False) -> None:
        """The order exists (``adopted``: found by reconcile -> state ``reconciled``)."""
        to = SaleState.RECONCILED if adopted else SaleState.CREATED
        self._transition(
            pos_ref,
            to,
            _OPEN,
            ", order_id = ?, order_number = ?, payment_url = ?, payment_status = ?, "
            "order_json = ?, last_error = NULL",
            (
                order.id,
                order.order_id,
                order.payment_url,
                order.payment_status,
                json.dumps(order.model_dump(mode="json"), ensure_ascii=False),
            ),
        )

    def mark_unknown(self, pos_ref: str, err: BaseException | str | None = None) -> None:
        """The attempt in flight (if any) may have reached Scalev: it becomes the latest
        maybe-sent attempt, which starts (or restarts) the sale's confirmation window."""
        self._transition(
            pos_ref,
            SaleState.UNKNOWN,
            _OPEN,
            ", last_error = ?, first_sent_at = COALESCE(first_sent_at, sending_at), "
            "last_sent_at = COALESCE(sending_at, last_sent_at), sending_at = NULL",
            (_err(err),),
        )

    def mark_queued(self, pos_ref: str, err: BaseException | str | None = None) -> None:
        """The attempt in flight certainly did not reach Scalev (connection refused, 429):
        earlier maybe-sent attempts, if any, still count."""
        self._transition(
            pos_ref, SaleState.QUEUED, _OPEN, ", last_error = ?, sending_at = NULL", (_err(err),)
        )

    def mark_rejected(self, pos_ref: str, err: BaseException | str | None = None) -> None:
        self._transition(pos_ref, SaleState.REJECTED, _OPEN, ", last_error = ?", (_err(err),))

    def mark_failed(self, pos_ref: str, err: BaseException | str | None = None) -> None:
        self._transition(pos_ref, SaleState.FAILED, _OPEN, ", last_error = ?", (_err(err),))

    def mark_needs_decision(self, pos_ref: str, err: BaseException | str | None = None) -> None:
        """Pending too long: stop sending it automatically and ask the cashier."""
        self._transition(
            pos_ref, SaleState.NEEDS_DECISION, _OPEN, ", last_error = COALESCE(?, last_error)",
            (_err(err),),
        )  # fmt: skip

    def mark_abandoned(self, pos_ref: str, reason: str | None = None) -> None:
        """The cashier gave the sale up (only while it is not created; final)."""
        self._transition(
            pos_ref, SaleState.ABANDONED, _OPEN, ", last_error = COALESCE(?, last_error)",
            (_err(reason),),
        )  # fmt: skip

    def update_order(self, pos_ref: str, order: OrderLike) -> None:
        """Refresh a finished sale's order snapshot (payment status changes)."""
        with self._db.transaction() as c:
            c.execute(
                "UPDATE sales SET updated_at = ?, payment_status = ?, payment_url = "
                "COALESCE(?, payment_url), order_json = ? WHERE pos_ref = ?",
                (
                    _now(),
                    order.payment_status,
                    order.payment_url,
                    json.dumps(order.model_dump(mode="json"), ensure_ascii=False),
                    pos_ref,
                ),
            )

    # --- reading ---------------------------------------------------------------------

    def _decode(self, r: tuple[Any, ...]) -> SaleRecord | None:
        """:func:`_row`, but a row that cannot be decoded is set aside (quarantined, raw
        columns kept) and skipped: one damaged row never blanks the history, blocks the outbox
        or stops start-up."""
        try:
            rec = _row(r)
            if not isinstance(rec.body, dict) or not isinstance(rec.order, dict | None):
                raise TypeError("body or order is not a JSON object")
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
            from .quarantine import Quarantine

            key = r[0] if r and isinstance(r[0], str) else repr(r[0] if r else None)
            log.error("journal row %s set aside: %s", key, type(exc).__name__)
            Quarantine(self._db).add("sales", key, f"{type(exc).__name__}: {exc}", list(r))
            return None
        return rec

    def _decoded(self, rows: Iterable[tuple[Any, ...]]) -> list[SaleRecord]:
        return [rec for rec in map(self._decode, rows) if rec is not None]

    def quarantined(self) -> list[Any]:
        """Rows set aside (``pos.storage.quarantine.QuarantineEntry``), oldest first."""
        from .quarantine import Quarantine

        return Quarantine(self._db).entries()

    def get(self, pos_ref: str) -> SaleRecord | None:
        with self._db.reading() as c:
            r = c.execute(f"SELECT {_COLUMNS} FROM sales WHERE pos_ref = ?", (pos_ref,)).fetchone()
        return None if r is None else self._decode(r)

    def by_order_id(self, order_id: str) -> SaleRecord | None:
        with self._db.reading() as c:
            r = c.execute(
                f"SELECT {_COLUMNS} FROM sales WHERE order_id = ?", (order_id,)
            ).fetchone()
        return None if r is None else self._decode(r)

    def unfinished(self) -> list[SaleRecord]:
        """Sales whose outcome is still open (sending / unknown / queued), oldest first."""
        marks = ",".join("?" * len(UNFINISHED))
        with self._db.reading() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM sales WHERE state IN ({marks}) ORDER BY created_at, rowid",
                tuple(s.value for s in UNFINISHED),
            ).fetchall()
        return self._decoded(rows)

    def in_states(self, states: Iterable[SaleState]) -> list[SaleRecord]:
        """Sales in any of ``states``, oldest first."""
        wanted = tuple(SaleState(s).value for s in states)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        with self._db.reading() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM sales WHERE state IN ({marks}) ORDER BY created_at, rowid",
                wanted,
            ).fetchall()
        return self._decoded(rows)

    def changed_since(
        self, since: str, states: Iterable[SaleState] | None = None
    ) -> list[SaleRecord]:
        """Sales updated at or after ``since`` (UTC ISO), optionally only in ``states``; oldest
        change first."""
        sql = f"SELECT {_COLUMNS} FROM sales WHERE updated_at >= ?"
        params: list[Any] = [since]
        if states is not None:
            wanted = [SaleState(s).value for s in states]
            sql += f" AND state IN ({','.join('?' * len(wanted))})" if wanted else " AND 0"
            params += wanted
        with self._db.reading() as c:
            rows = c.execute(sql + " ORDER BY updated_at, rowid", params).fetchall()
        return self._decoded(rows)

    def count_in_states(self, states: Iterable[SaleState]) -> int:
        wanted = tuple(SaleState(s).value for s in states)
        if not wanted:
            return 0
        marks = ",".join("?" * len(wanted))
        with self._db.reading() as c:
            row = c.execute(f"SELECT COUNT(*) FROM sales WHERE state IN ({marks})", wanted)
            return int(row.fetchone()[0])

    def recent(
        self,
        search: str | None = None,
        limit: int = 200,
        *,
        since: str | None = None,
        until: str | None = None,
        phone_digits: str | None = None,
    ) -> list[SaleRecord]:
        """Newest first; ``search`` matches customer name, phone or order number.

        ``since``/``until`` bound ``created_at`` (UTC ISO strings, ``since <= t < until``);
        ``phone_digits`` (a normalised ``62…`` fragment) also matches the phone.
        """
        sql = f"SELECT {_COLUMNS} FROM sales"
        params: list[Any] = []
        where: list[str] = []
        if since is not None:
            where.append("created_at >= ?")
            params.append(since)
        if until is not None:
            where.append("created_at < ?")
            params.append(until)
        text = (search or "").strip()
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            digits = "".join(ch for ch in text if ch.isdigit())
            clauses = [
                "customer_name LIKE ? ESCAPE '\\'",
                "order_number LIKE ? ESCAPE '\\'",
                "customer_phone LIKE ? ESCAPE '\\'",
            ]
            params += [like, like, like]
            if digits and digits.startswith("0"):
                clauses.append("customer_phone LIKE ?")
                params.append("%" + digits[1:] + "%")
            if phone_digits:
                clauses.append("customer_phone LIKE ?")
                params.append("%" + "".join(ch for ch in phone_digits if ch.isdigit()) + "%")
            where.append("(" + " OR ".join(clauses) + ")")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at DESC, rowid DESC LIMIT ?"
        params.append(int(limit))
        with self._db.reading() as c:
            rows = c.execute(sql, params).fetchall()
        return self._decoded(rows)
