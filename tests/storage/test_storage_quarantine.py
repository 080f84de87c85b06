"""One damaged journal row or print-queue line never blanks the history, blocks the queue or
stops start-up: it is set aside (raw kept) and reported. A damaged or empty database file is
never silently replaced: it is renamed aside with a timestamp, what can be read is recovered,
and the report says exactly what happened."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from pos.doctor import journal_report
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.receipts.queue import PrintQueue, QueuedPrint
from pos.services.history import HistoryService
from pos.storage import Database, SaleJournal, SaleState, StorageError

REFS = [f"0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f4{i}" for i in range(4)]


def draft(name: str) -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_X",
        store_name="Toko",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 85000, 2),),
        customer=Customer(name, "6281234567890", None),
        payment_method="qris",
    )


def fill(db: Database) -> SaleJournal:
    """Four sales: two queued (pending), one created... all readable."""
    journal = SaleJournal(db)
    for i, ref in enumerate(REFS):
        d = draft(f"Pelanggan {i}")
        journal.new_sale(d, build_order_body(d, pos_ref=ref, terminal="K1"))
        journal.mark_sending(ref)
        journal.mark_queued(ref, "offline")
    return journal


def test_damaged_rows_are_set_aside_and_the_rest_keeps_working(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "kasir.sqlite3")
    journal = fill(db)
    with db.transaction() as c:
        c.execute("UPDATE sales SET state = 'no-such-state' WHERE pos_ref = ?", (REFS[0],))
        c.execute("UPDATE sales SET body = '{not json' WHERE pos_ref = ?", (REFS[1],))
        c.execute("UPDATE sales SET body = '[1, 2]' WHERE pos_ref = ?", (REFS[2],))
    good = {REFS[3]}
    assert {r.pos_ref for r in journal.recent()} == good  # the history is not blank
    assert {r.pos_ref for r in journal.unfinished()} == good  # the outbox goes on
    assert {r.pos_ref for r in journal.in_states([SaleState.QUEUED])} == good
    assert journal.get(REFS[0]) is None and journal.get(REFS[3]) is not None
    journal.recent()  # seen again: recorded once
    entries = journal.quarantined()
    assert sorted(e.key for e in entries) == sorted(REFS[:3])
    raw = {e.key: json.loads(e.raw) for e in entries}
    assert raw[REFS[0]][3] == "no-such-state" and raw[REFS[1]][10] == "{not json"  # kept as is
    notes = HistoryService(journal, client=None).set_aside("en")
    assert notes and "3 damaged sales rows" in notes[0]
    db.close()
    # kasir doctor reports it (read-only) as a problem
    lines = journal_report(tmp_path)
    assert lines[0][0] == "Sales journal" and lines[0][2] is True
    assert "4 sale(s); 3 damaged row(s) set aside" in lines[0][1]


def test_print_queue_sets_unreadable_lines_aside(tmp_path: Path) -> None:
    queue = PrintQueue.in_dir(tmp_path)
    good = QueuedPrint(id="a", label="A1", created_at="2026-12-04T10:00:00+00:00", data=b"\x1b@hi")
    bad = [
        "{truncated",
        json.dumps({"id": "b", "label": "B", "created_at": "x", "data": "!!not base64!!"}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": 5, "label": None, "created_at": 1, "data": ""}),
        "[" * 100_000,
    ]
    queue.path.write_text("\n".join([bad[0], good.to_json(), *bad[1:]]) + "\n")
    assert [e.id for e in queue.pending()] == ["a"]
    assert queue.quarantined() == bad
    queue.add(b"next", label="C")  # rewrites the queue: the bad lines survive aside
    assert [e.label for e in queue.pending()] == ["A1", "C"]
    assert queue.quarantined() == bad
    assert "unreadable" not in queue.path.read_text()
    out = io.StringIO()
    from pos.doctor import main

    main(
        [], env={"KASIR_DATA_DIR": str(tmp_path), "KASIR_CONFIG_DIR": str(tmp_path / "c")}, out=out
    )
    assert "5 unreadable line(s) set aside" in out.getvalue()


def test_an_empty_database_file_is_set_aside_and_said(tmp_path: Path) -> None:
    path = tmp_path / "kasir.sqlite3"
    path.write_bytes(b"")
    db = Database.open_or_recover(path)
    report = db.recovery
    assert report is not None and report.reason == "empty"
    old = Path(report.old_path)
    assert (
        old.exists() and old.stat().st_size == 0 and old.name.startswith("kasir.sqlite3.damaged-")
    )
    assert str(old) in report.describe("en") and "0 bytes" in report.describe("en")
    SaleJournal(db).recent()  # a working database
    db.close()
    again = Database.open_or_recover(path)  # the next start: nothing to recover
    assert again.recovery is None
    assert [e.source for e in SaleJournal(again).quarantined()] == ["database"]
    again.close()


def test_a_damaged_database_is_recovered_row_by_row_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "kasir.sqlite3"
    db = Database.open(path)
    journal = fill(db)
    journal.mark_abandoned(REFS[0], "test")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with path.open("r+b") as fh:  # a torn write of page 1: the header is gone
        fh.write(b"\x00" * 16)
    damaged = path.read_bytes()
    with pytest.raises(StorageError) as e:
        Database.open(path)
    assert e.value.message_id == "storage_corrupt"

    db = Database.open_or_recover(path)
    report = db.recovery
    assert report is not None and report.reason == "damaged"
    assert report.recovered_sales == 4 and report.recovered_pending == 3
    assert report.unreadable_rows == 0
    assert Path(report.old_path).read_bytes() == damaged  # kept exactly as it was
    assert {r.pos_ref for r in SaleJournal(db).unfinished()} == set(REFS[1:])  # will be sent
    text = report.describe("en")
    assert "4 sales were recovered (3 not yet sent" in text and report.old_path in text
    db.close()


def test_an_unreadable_database_says_what_was_lost(tmp_path: Path) -> None:
    path = tmp_path / "kasir.sqlite3"
    path.write_bytes(b"garbage, not a database " * 200)
    db = Database.open_or_recover(path)
    report = db.recovery
    assert report is not None and report.recovered_sales == 0 and report.unreadable_rows is None
    assert "could not be read" in report.describe("en")
    assert Path(report.old_path).read_bytes().startswith(b"garbage")
    db.close()


def test_other_storage_errors_are_not_treated_as_damage(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageError):
        Database.open_or_recover(tmp_path / "file" / "kasir.sqlite3")
    assert (tmp_path / "file").read_text() == "x"


def test_quarantine_survives_a_read_only_database(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "kasir.sqlite3")
    fill(db)
    with db.transaction() as c:
        c.execute("UPDATE sales SET total = 'lots' WHERE pos_ref = ?", (REFS[0],))
    db.close()
    ro = Database.open(tmp_path / "kasir.sqlite3", read_only=True)
    assert len(SaleJournal(ro).recent()) == 3  # skipped; recording it fails quietly
    ro.close()
    assert sqlite3.connect(tmp_path / "kasir.sqlite3").execute(
        "SELECT count(*) FROM quarantine"
    ).fetchone() == (0,)
