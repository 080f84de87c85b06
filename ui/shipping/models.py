"""Qt side of the shipping quote: the item models of the panel and :class:`ShippingSignals`.

The state itself is :class:`~pos.services.shipping_quote.ShippingQuote` (Qt-free), built from the
sale by :func:`quote_state`; :class:`ShippingSignals` turns its change reports into Qt signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from pos.services.shipping import courier_name, location_text
from pos.services.shipping_quote import ShippingQuote
from ui.common.i18n import tr
from ui.common.money import format_idr

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from pos.api.models import CourierServiceResult, Location, WarehouseResult

__all__ = [
    "CourierModel",
    "LocationModel",
    "ShippingSignals",
    "courier_name",
    "courier_row_text",
    "etd_text",
    "location_text",
    "quote_state",
    "warehouse_text",
]

_Index = QModelIndex | QPersistentModelIndex


def etd_text(etd: str | None) -> str:
    if not etd:
        return ""
    return f"{etd} " + tr("hari", "days")


def courier_row_text(result: CourierServiceResult) -> str:
    """One line per courier service: name + service, cost, ETD, COD marker."""
    parts = [courier_name(result), format_idr(result.cost)]
    etd = etd_text(result.etd)
    if etd:
        parts.append(etd)
    if result.is_cod:
        parts.append("COD")
    return "  ·  ".join(parts)


def warehouse_text(result: WarehouseResult) -> str:
    w = result.warehouse
    where = ""
    if w.warehouse_address is not None:
        a = w.warehouse_address
        where = ", ".join(p for p in (a.subdistrict, a.city) if p)
    text = w.name or w.unique_id
    if where:
        text += f" — {where}"
    if result.distance_km is not None:
        text += f" ({float(result.distance_km):.0f} km)"
    return text


# --- item models ------------------------------------------------------------------------


class LocationModel(QAbstractListModel):
    """Kecamatan search results. ``DisplayRole`` = "Kecamatan, City, Province";
    ``LocationRole`` = the :class:`~pos.api.models.Location`; ``IdRole`` = its id."""

    LocationRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Location] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        loc = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return location_text(loc)
        if role == Qt.ItemDataRole.ToolTipRole:
            return location_text(loc)
        if role == self.LocationRole:
            return loc
        if role == self.IdRole:
            return loc.id
        return None

    def set_locations(self, rows: list[Location]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def location(self, row: int) -> Location | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def locations(self) -> list[Location]:
        return list(self._rows)


class CourierModel(QAbstractListModel):
    """Courier services, cheapest first. ``DisplayRole`` = "JNE Reguler · Rp19.000 · 2-3 hari ·
    COD"; ``CheckStateRole`` marks the chosen one; ``ResultRole`` = the
    :class:`~pos.api.models.CourierServiceResult`; ``ServiceIdRole``; ``CostRole`` (int rupiah);
    ``CodRole`` (bool)."""

    ResultRole = Qt.ItemDataRole.UserRole + 1
    ServiceIdRole = Qt.ItemDataRole.UserRole + 2
    CostRole = Qt.ItemDataRole.UserRole + 3
    CodRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[CourierServiceResult] = []
        self._chosen: int | None = None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        chosen = r.courier_service.id == self._chosen
        if role == Qt.ItemDataRole.DisplayRole:
            return courier_row_text(r)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = courier_row_text(r)
            return text + (" — " + tr("dipilih", "chosen") if chosen else "")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.FontRole and chosen:
            font = QFont()
            font.setBold(True)
            return font
        if role == self.ResultRole:
            return r
        if role == self.ServiceIdRole:
            return r.courier_service.id
        if role == self.CostRole:
            return int(r.cost)
        if role == self.CodRole:
            return bool(r.is_cod)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_results(self, rows: list[CourierServiceResult], chosen: int | None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._chosen = chosen
        self.endResetModel()

    def set_chosen(self, service_id: int | None) -> None:
        if service_id == self._chosen:
            return
        self._chosen = service_id
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def row_of(self, service_id: int | None) -> int:
        for i, r in enumerate(self._rows):
            if r.courier_service.id == service_id:
                return i
        return -1

    def result(self, row: int) -> CourierServiceResult | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None


# --- the state and its signals -----------------------------------------------------------


def quote_state(sale: Any) -> ShippingQuote:
    """The shipping quote of ``sale`` (the :class:`~ui.controllers.SaleController`): its
    shipping service, lookups run through its task runner, texts in the UI's language."""
    runner = sale.runner

    def spawn(key: str, coro: Coroutine[Any, Any, None]) -> Any:
        # the quote shows a failure as a problem; the runner only logs it
        return runner.start(key, coro, on_error=lambda _exc: True)

    return ShippingQuote(sale, getattr(sale, "shipping", None), spawn=spawn, tr=tr)


class ShippingSignals(QObject):
    """The change reports of a :class:`ShippingQuote` (``state``) as Qt signals.

    Signals:
        locations_changed(list): new kecamatan search results (``list[Location]``).
        location_changed(object): the chosen ``Location`` or None.
        postal_codes_changed(list): the chosen kecamatan's postal codes (``list[str]``).
        warehouses_changed(list, int): ``list[WarehouseResult]`` and the chosen index (-1).
        couriers_changed(list, object): ``list[CourierServiceResult]`` (cheapest first) and the
            chosen service id (or None).
        choice_changed(): the usable ``choice()`` may have changed (totals, submit state).
        problem_changed(): ``problems()`` changed.
        busy_changed(str, bool): a stage (``search``, ``postal``, ``warehouses``, ``couriers``)
            started / ended.
    """

    locations_changed = Signal(list)
    location_changed = Signal(object)
    postal_codes_changed = Signal(list)
    warehouses_changed = Signal(list, int)
    couriers_changed = Signal(list, object)
    choice_changed = Signal()
    problem_changed = Signal()
    busy_changed = Signal(str, bool)

    def __init__(self, state: ShippingQuote, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.destroyed.connect(state.subscribe(self._relay))

    def _relay(self, event: str, stage: str | None) -> None:
        s = self.state
        if event == "locations":
            self.locations_changed.emit(s.locations)
        elif event == "location":
            self.location_changed.emit(s.location)
        elif event == "postal_codes":
            self.postal_codes_changed.emit(s.postal_codes)
        elif event == "warehouses":
            self.warehouses_changed.emit(s.warehouses, s.warehouse_index)
        elif event == "couriers":
            self.couriers_changed.emit(s.couriers, s.chosen_service_id)
        elif event == "choice":
            self.choice_changed.emit()
        elif event == "problems":
            self.problem_changed.emit()
        elif event == "busy" and stage is not None:
            self.busy_changed.emit(stage, s.is_busy(stage))
