"""The shipping panel's item models pass Qt's model tester, filled with API answers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from pos.api.models import CourierServiceResult, Location
from tests.api.scalev_mock import load_fixture
from ui.shipping.models import CourierModel, LocationModel


def _locations() -> list[Location]:
    return [Location.model_validate(d) for d in load_fixture("locations")["data"]]


def _couriers() -> list[CourierServiceResult]:
    data = load_fixture("search_courier_service_response")["data"]
    return [CourierServiceResult.model_validate(d) for d in data]


def test_location_model_passes_modeltester(qtmodeltester: Any) -> None:
    model = LocationModel()
    rows = _locations()
    model.set_locations(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) == 2
    first = model.index(0, 0)
    assert first.data() == "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"
    assert first.data(LocationModel.IdRole) == 2087
    assert model.location(1) == rows[1] and model.location(2) is None
    model.set_locations([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_courier_model_passes_modeltester(qtmodeltester: Any) -> None:
    model = CourierModel()
    rows = _couriers()
    model.set_results(rows, None)
    qtmodeltester.check(model)
    checked = Qt.CheckState.Checked
    assert [model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) for r in range(2)] == [
        Qt.CheckState.Unchecked
    ] * 2
    model.set_chosen(12)
    qtmodeltester.check(model)
    row = model.row_of(12)
    assert model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == checked
    assert model.index(row, 0).data(CourierModel.CostRole) == 19000
    assert model.index(row, 0).data(CourierModel.CodRole) is True
    assert "JNE Reguler" in model.index(row, 0).data()
    model.set_results([], 12)
    qtmodeltester.check(model)
    assert model.row_of(12) == -1 and model.result(0) is None
