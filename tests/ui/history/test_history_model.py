"""The history table's model under pytest-qt's ``qtmodeltester`` (its Python tester: a broken rule
fails the test) with real journal rows of every kind, through a refresh, a filter and a reset."""

from __future__ import annotations

from typing import Any

from tests.ui.history.history_support import Kasir, created_order, named_draft


def test_history_model_passes_modeltester(kasir: Kasir, qtbot: Any, qtmodeltester: Any) -> None:
    spec = kasir.spec()
    paid = kasir.seed(
        named_draft(spec, "Siti Rahmawati", "6281234567890"),
        "created",
        created_order(1, "261126KSRAAA1"),
    )
    kasir.seed(
        named_draft(spec, "Budi Santoso", "6285712345678"),
        "created",
        created_order(2, "261126KSRBBB2", total=125000),
    )
    kasir.seed(named_draft(spec, "Eka Retry", "6281311112222"), "failed")
    stale = kasir.seed(named_draft(spec, "Gita Lama", "6281355556666"), "queued")
    kasir.age(stale, 30)  # needs a decision
    kasir.start()
    h = kasir.window.history
    h.show_all()
    qtbot.waitUntil(lambda: h.model.rowCount() == 4, timeout=3000)
    # the Python tester: every check at once, then again on each of the model's signals
    qtmodeltester.check(h.model, force_py=True)
    row = h.model.row_at(h.model.find(paid))
    h.model.replace_row(row)  # what a refreshed status does (dataChanged)
    h.pending_only.setChecked(True)  # a reload with fewer rows (a reset)
    qtbot.waitUntil(lambda: h.model.rowCount() == 2, timeout=3000)
    h.model.set_rows([])
