"""A damaged journal row and a damaged database file, seen by the cashier: start-up goes on,
the history shows every other sale and says what was set aside; a recovered database is
announced at start with where the old file is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.storage import Database, SaleJournal
from tests.ui.wiring.wiring_support import Counter
from ui.main_window import PAGE_HISTORY


def _sales(path: Path, names: list[str]) -> list[str]:
    db = Database.open(path)
    journal = SaleJournal(db)
    refs = []
    for i, name in enumerate(names):
        d = SaleDraft(
            store_id=1,
            store_unique_id="store_X",
            store_name="Toko",
            lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 85000, 1),),
            customer=Customer(name, "6281234567890", None),
            payment_method="qris",
        )
        ref = f"0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f5{i}"
        journal.new_sale(d, build_order_body(d, pos_ref=ref, terminal="K1"))
        journal.mark_abandoned(ref, "test")
        refs.append(ref)
    db.close()
    return refs


def test_a_damaged_row_is_reported_in_the_history(counter: Counter, qtbot: Any) -> None:
    path = counter.data_dir / "kasir.sqlite3"
    refs = _sales(path, ["Ayu", "Budi", "Citra"])
    db = Database.open(path)
    with db.transaction() as c:
        c.execute("UPDATE sales SET body = 'garbage' WHERE pos_ref = ?", (refs[1],))
    db.close()
    counter.start()
    w = counter.window
    qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=15000)  # fully started
    w.show_history()
    assert w.page() == PAGE_HISTORY
    qtbot.waitUntil(lambda: w.history.model.rowCount() == 2)
    names = {w.history.model.row_at(i).customer_name for i in range(2)}
    assert names == {"Ayu", "Citra"}
    note = w.history.set_aside
    assert note.isVisibleTo(w) and "1 damaged sales rows" in note.text()


def test_an_empty_database_is_announced_at_start(counter: Counter, qtbot: Any) -> None:
    path = counter.data_dir / "kasir.sqlite3"
    path.write_bytes(b"")
    counter.start()
    w = counter.window
    qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=15000)  # fully started
    kept = sorted(counter.data_dir.glob("kasir.sqlite3.damaged-*"))
    assert len(kept) == 1
    qtbot.waitUntil(lambda: str(kept[0]) in w.banner.text(), timeout=5000)
    assert "0 bytes" in w.banner.text() or "0 byte" in w.banner.text()
    w.show_history()
    qtbot.waitUntil(lambda: w.history.set_aside.isVisibleTo(w), timeout=5000)
    assert str(kept[0]) in w.history.set_aside.text()
