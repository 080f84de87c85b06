"""Shipping state for the checkout: item models and the :class:`ShippingController`.

The controller owns the inputs of a shipping quote (street address, kecamatan, postal code,
warehouse, payment method, and the cart's physical lines) and the answers the services gave for
them. Every answer is stored together with the inputs it was asked for (a :class:`QuoteKey`);
:meth:`ShippingController.choice` only returns a :class:`~pos.domain.sale.ShippingChoice` when the
key of the courier list it comes from equals the key of the current inputs and no re-quote is in
flight. So a quote for an old cart, destination, warehouse or payment method can never reach an
order body. All service calls run through the one :class:`~ui.common.tasks.TaskRunner`, keyed, so a
newer request cancels the older one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from ui.common.errors import describe_error, is_connection_error
from ui.common.i18n import tr
from ui.common.money import format_idr

if TYPE_CHECKING:
    from pos.api.models import CourierServiceResult, Location, WarehouseResult
    from pos.domain.cart import Cart
    from pos.domain.sale import ShippingChoice
    from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

POSTAL_CODE = re.compile(r"^\d{5}$")

#: Task-runner keys (a newer task with the same key cancels the older one).
TASK_LOCATIONS = "shipping-locations"
TASK_POSTAL = "shipping-postal"
TASK_WAREHOUSES = "shipping-warehouses"
TASK_COURIERS = "shipping-couriers"

_Index = QModelIndex | QPersistentModelIndex


class ShippingServiceLike(Protocol):
    async def search_locations(self, text: str) -> list[Location]: ...
    async def postal_codes(self, location_id: int) -> list[str]: ...
    async def warehouses(
        self, store_id: int, location_id: int, cart: Cart
    ) -> list[WarehouseResult]: ...
    async def couriers(
        self,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        postal_code: str | None = None,
    ) -> list[CourierServiceResult]: ...


def location_text(loc: Location) -> str:
    """``"Kecamatan, City, Province"`` (the API's ``display``, else built from the parts)."""
    if loc.display:
        return loc.display
    return ", ".join(p for p in (loc.subdistrict_name, loc.city_name, loc.province_name) if p)


def etd_text(etd: str | None) -> str:
    if not etd:
        return ""
    return f"{etd} " + tr("hari", "days")


def courier_name(result: CourierServiceResult) -> str:
    service = result.courier_service
    courier = service.courier.name if service.courier and service.courier.name else ""
    return " ".join(p for p in (courier, service.name or service.code or "") if p)


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


def valid_postal_code(text: str) -> bool:
    return bool(POSTAL_CODE.match(text.strip()))


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


# --- the controller ---------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteKey:
    """Everything a courier quote depends on."""

    store_id: int
    location_id: int
    warehouse_id: int
    payment_method: str
    weight: int
    postal_code: str | None
    variants: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class ShippingProblem:
    """A failure shown in the panel. ``kind``: ``no_location`` / ``no_warehouse`` /
    ``no_courier`` / ``api`` / ``network``; ``stage``: ``search`` / ``postal`` / ``warehouses`` /
    ``couriers``."""

    kind: str
    stage: str
    text: str


class ShippingController(QObject):
    """Inputs, quotes and the chosen courier of the sale on screen.

    Signals:
        locations_changed(list): new kecamatan search results (``list[Location]``).
        location_changed(object): the chosen ``Location`` or None.
        postal_codes_changed(list): the chosen kecamatan's postal codes (``list[str]``).
        warehouses_changed(list, int): ``list[WarehouseResult]`` and the chosen index (-1).
        couriers_changed(list, object): ``list[CourierServiceResult]`` (cheapest first) and the
            chosen service id (or None).
        choice_changed(): the usable :meth:`choice` may have changed (totals, submit state).
        problem_changed(): :meth:`problems` changed.
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

    def __init__(
        self,
        sale: Any,
        service: ShippingServiceLike | None,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sale = sale  # SaleController: .cart, .store
        self.service = service
        self.runner = runner
        self.address = ""
        self.location: Location | None = None
        self.postal_code: str | None = None
        self.payment_method = ""
        self.search_text = ""
        self.locations: list[Location] = []
        self.postal_codes: list[str] = []
        self.warehouses: list[WarehouseResult] = []
        self.warehouse_index = -1
        self.couriers: list[CourierServiceResult] = []
        self.chosen_service_id: int | None = None
        self._warehouse_key: tuple[Any, ...] | None = None
        self._quote_key: QuoteKey | None = None
        self._generation = 0
        self._busy: set[str] = set()
        self._problems: dict[str, ShippingProblem] = {}

    # --- derived state --------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.service is not None

    @property
    def needed(self) -> bool:
        return bool(self._sale.cart.needs_shipping)

    @property
    def generation(self) -> int:
        """Bumped on every input change; answers to older generations are dropped."""
        return self._generation

    def is_busy(self, stage: str | None = None) -> bool:
        return bool(self._busy) if stage is None else stage in self._busy

    @property
    def quoting(self) -> bool:
        return bool(self._busy & {"warehouses", "couriers"})

    def problems(self) -> list[ShippingProblem]:
        order = ("search", "postal", "warehouses", "couriers")
        return [self._problems[s] for s in order if s in self._problems]

    def failed(self) -> bool:
        """A failure that blocks the sale (search/quote), not just missing input."""
        return any(p.stage in ("warehouses", "couriers") for p in self._problems.values()) or (
            "search" in self._problems and self.location is None
        )

    def warehouse(self) -> WarehouseResult | None:
        if 0 <= self.warehouse_index < len(self.warehouses):
            return self.warehouses[self.warehouse_index]
        return None

    def _variants(self) -> tuple[tuple[int, int], ...]:
        return tuple(sorted(self._sale.cart.shipping_variants()))

    def _store_id(self) -> int | None:
        store = self._sale.store
        return None if store is None else int(store.id)

    def current_key(self) -> QuoteKey | None:
        """The key a quote for the current inputs must have (None while inputs are missing)."""
        store_id = self._store_id()
        warehouse = self.warehouse()
        if (
            store_id is None
            or self.location is None
            or warehouse is None
            or not self.payment_method
            or not self.needed
            or self._warehouse_key != self._warehouse_inputs()
        ):
            return None
        return QuoteKey(
            store_id=store_id,
            location_id=self.location.id,
            warehouse_id=warehouse.warehouse.id,
            payment_method=self.payment_method,
            weight=max(1, int(self._sale.cart.weight)),
            postal_code=self.postal_code or None,
            variants=self._variants(),
        )

    def _warehouse_inputs(self) -> tuple[Any, ...] | None:
        store_id = self._store_id()
        if store_id is None or self.location is None:
            return None
        return (store_id, self.location.id, self._variants())

    def chosen_result(self) -> CourierServiceResult | None:
        return next(
            (r for r in self.couriers if r.courier_service.id == self.chosen_service_id), None
        )

    def fresh(self) -> bool:
        """The courier list on screen was quoted for exactly the current inputs."""
        key = self.current_key()
        return key is not None and key == self._quote_key and not self.quoting

    def choice(self) -> ShippingChoice | None:
        """The chosen quote as a :class:`ShippingChoice` — only when it is fresh (never stale)
        and the street address is filled in."""
        from pos.services.shipping import make_choice

        result = self.chosen_result()
        warehouse = self.warehouse()
        if (
            result is None
            or warehouse is None
            or self.location is None
            or not self.address.strip()
            or not self.fresh()
        ):
            return None
        if self.payment_method == "cod" and not result.is_cod:
            return None
        return make_choice(
            address=self.address,
            location_id=self.location.id,
            postal_code=self.postal_code,
            warehouse=warehouse,
            courier=result,
        )

    def quoted_cost(self) -> int | None:
        """The chosen courier's cost while the quote is fresh (for totals)."""
        result = self.chosen_result()
        if result is None or not self.fresh():
            return None
        return int(result.cost)

    def missing(self) -> str | None:
        """Why :meth:`choice` is None, as cashier text (None when it is not)."""
        if not self.available:
            return tr(
                "Pengiriman tidak tersedia di koneksi ini.",
                "Shipping is not available on this connection.",
            )
        problems = self.problems()
        if problems and self.failed():
            return problems[0].text
        if not self.address.strip():
            return tr("Isi alamat jalan pengiriman.", "Fill in the street address for shipping.")
        if self.location is None:
            return tr("Pilih kecamatan tujuan.", "Choose the destination kecamatan.")
        if self.quoting or not self.fresh():
            return tr(
                "Ongkir sedang dihitung ulang — tunggu sebentar.",
                "The shipping cost is being re-quoted — wait a moment.",
            )
        if self.chosen_result() is None:
            return tr("Pilih kurir.", "Choose a courier.")
        return None

    # --- inputs ---------------------------------------------------------------------
    def set_address(self, text: str) -> None:
        if text != self.address:
            self.address = text
            self.choice_changed.emit()

    def search(self, text: str) -> None:
        """Search kecamatan now (the panel debounces typing)."""
        self.search_text = " ".join(text.split())
        self._clear_problem("search")
        if self.service is None or len(self.search_text) < 2:
            self.runner.cancel(TASK_LOCATIONS)
            self._set_busy("search", False)
            self.locations = []
            self.locations_changed.emit([])
            return
        self._start(TASK_LOCATIONS, "search", self._search(self.search_text))

    async def _search(self, text: str) -> None:
        assert self.service is not None
        rows = await self.service.search_locations(text)
        if text != self.search_text:
            return  # an older search that finished late
        self.locations = list(rows)
        self.locations_changed.emit(self.locations)
        if not rows:
            self._set_problem(
                "search",
                "no_location",
                tr(
                    f"Kecamatan “{text}” tidak ditemukan. Periksa ejaan atau ketik nama lain.",
                    f"No kecamatan matches “{text}”. Check the spelling or type another name.",
                ),
            )

    def clear_location(self) -> None:
        """The cashier edits the destination: the chosen kecamatan no longer holds."""
        if self.location is None:
            return
        self.location = None
        self.postal_codes = []
        self.runner.cancel(TASK_POSTAL)
        self._set_busy("postal", False)
        self._clear_problem("postal")
        self.location_changed.emit(None)
        self.postal_codes_changed.emit([])
        self._refresh()

    def choose_location(self, loc: Location) -> None:
        if self.location is not None and self.location.id == loc.id:
            return
        self.location = loc
        self.search_text = location_text(loc)
        self.locations = []
        self.runner.cancel(TASK_LOCATIONS)
        self._set_busy("search", False)
        self._clear_problem("search")
        self.locations_changed.emit([])
        self.postal_codes = []
        self.location_changed.emit(loc)
        self.postal_codes_changed.emit([])
        if self.service is not None:
            self._start(TASK_POSTAL, "postal", self._postal_codes(loc.id))
        self._refresh()

    async def _postal_codes(self, location_id: int) -> None:
        assert self.service is not None
        codes = await self.service.postal_codes(location_id)
        if self.location is None or self.location.id != location_id:
            return
        self.postal_codes = list(codes)
        self.postal_codes_changed.emit(self.postal_codes)

    def set_postal_code(self, code: str | None) -> None:
        """A validated 5-digit code, or None for none."""
        code = (code or "").strip() or None
        if code is not None and not valid_postal_code(code):
            raise ValueError("postal code must be 5 digits")
        if code != self.postal_code:
            self.postal_code = code
            self._refresh()

    def choose_warehouse(self, index: int) -> None:
        if index == self.warehouse_index or not 0 <= index < len(self.warehouses):
            return
        self.warehouse_index = index
        self._refresh()

    def set_payment_method(self, code: str) -> None:
        code = code or ""
        if code != self.payment_method:
            self.payment_method = code
            self._refresh()

    def choose_courier(self, service_id: int) -> bool:
        result = next((r for r in self.couriers if r.courier_service.id == service_id), None)
        if result is None:
            return False
        if self.payment_method == "cod" and not result.is_cod:
            return False
        self.chosen_service_id = service_id
        self.couriers_changed.emit(self.couriers, self.chosen_service_id)
        self.choice_changed.emit()
        return True

    def cart_changed(self) -> None:
        self._refresh()

    def store_changed(self) -> None:
        self._warehouse_key = None
        self._refresh()

    def retry(self) -> None:
        """Ask again for whatever failed (search, postal codes, warehouses, couriers)."""
        stages = {p.stage for p in self._problems.values()}
        if "search" in stages and self.location is None and self.search_text:
            self.search(self.search_text)
        if "postal" in stages and self.location is not None and self.service is not None:
            self._clear_problem("postal")
            self._start(TASK_POSTAL, "postal", self._postal_codes(self.location.id))
        if "warehouses" in stages:
            self._warehouse_key = None
        if "couriers" in stages:
            self._quote_key = None
        self._refresh()

    def requote(self) -> None:
        """Ask for a fresh courier quote for the same inputs (the chosen service is kept when
        it is still offered)."""
        self._quote_key = None
        self._refresh()

    def reset(self) -> None:
        """A new sale: forget everything."""
        for key in (TASK_LOCATIONS, TASK_POSTAL, TASK_WAREHOUSES, TASK_COURIERS):
            self.runner.cancel(key)
        self._generation += 1
        self.address = ""
        self.location = None
        self.postal_code = None
        self.search_text = ""
        self.locations = []
        self.postal_codes = []
        self.warehouses = []
        self.warehouse_index = -1
        self.couriers = []
        self.chosen_service_id = None
        self._warehouse_key = None
        self._quote_key = None
        self._problems.clear()
        for stage in list(self._busy):
            self._set_busy(stage, False)
        self.locations_changed.emit([])
        self.location_changed.emit(None)
        self.postal_codes_changed.emit([])
        self.warehouses_changed.emit([], -1)
        self.couriers_changed.emit([], None)
        self.problem_changed.emit()
        self.choice_changed.emit()

    # --- quoting --------------------------------------------------------------------
    def _refresh(self) -> None:
        """Bring the warehouse list and the courier quote in line with the inputs."""
        self._generation += 1
        if self.service is None or not self.needed or self._store_id() is None:
            self._drop_quotes(warehouses=True)
            return
        winputs = self._warehouse_inputs()
        if winputs is None:  # no destination yet
            self._drop_quotes(warehouses=True)
            return
        if self._warehouse_key != winputs:
            self._drop_quotes(warehouses=True, emit=False)
            self._start(
                TASK_WAREHOUSES, "warehouses", self._load_warehouses(winputs, self._generation)
            )
            self.choice_changed.emit()
            return
        key = self.current_key()
        if key is None:
            self._drop_quotes(warehouses=False)
            return
        if key != self._quote_key:
            self.runner.cancel(TASK_COURIERS)
            self._clear_problem("couriers")
            self._start(TASK_COURIERS, "couriers", self._load_couriers(key, self._generation))
        self.choice_changed.emit()

    def _drop_quotes(self, *, warehouses: bool, emit: bool = True) -> None:
        self.runner.cancel(TASK_COURIERS)
        self._set_busy("couriers", False)
        self._clear_problem("couriers")
        self._quote_key = None
        had_couriers = bool(self.couriers)
        self.couriers = []
        if warehouses:
            self.runner.cancel(TASK_WAREHOUSES)
            self._set_busy("warehouses", False)
            self._clear_problem("warehouses")
            self._warehouse_key = None
            had = bool(self.warehouses)
            self.warehouses = []
            self.warehouse_index = -1
            if had:
                self.warehouses_changed.emit([], -1)
        if had_couriers:
            self.couriers_changed.emit([], self.chosen_service_id)
        if emit:
            self.choice_changed.emit()

    async def _load_warehouses(self, winputs: tuple[Any, ...], generation: int) -> None:
        assert self.service is not None and self.location is not None
        store_id, location_id, _variants = winputs
        previous = self.warehouse()
        previous_id = previous.warehouse.id if previous is not None else None
        rows = await self.service.warehouses(store_id, location_id, self._sale.cart)
        if self._warehouse_inputs() != winputs:
            return  # the inputs moved on; a newer request is (or will be) running
        self.warehouses = list(rows)
        self._warehouse_key = winputs
        index = -1
        if rows:
            index = 0  # the API's first (nearest) warehouse by default ...
            for i, r in enumerate(rows):  # ... unless the cashier's choice can still ship
                if r.warehouse.id == previous_id:
                    index = i
        self.warehouse_index = index
        self._clear_problem("warehouses")
        self.warehouses_changed.emit(self.warehouses, index)
        if not rows:
            self._set_problem(
                "warehouses",
                "no_warehouse",
                tr(
                    "Tidak ada gudang yang bisa mengirim semua barang ini ke tujuan tersebut. "
                    "Keluarkan barang yang tidak tersedia atau pilih tujuan lain.",
                    "No warehouse can ship all of these items to this destination. Remove "
                    "the unavailable item or choose another destination.",
                ),
            )
            self.choice_changed.emit()
            return
        self._refresh()

    async def _load_couriers(self, key: QuoteKey, generation: int) -> None:
        assert self.service is not None
        rows = await self.service.couriers(
            key.store_id,
            key.location_id,
            key.warehouse_id,
            key.payment_method,
            key.weight,
            key.postal_code,
        )
        if self.current_key() != key:
            return  # stale: the inputs changed while the quote was on its way
        if key.payment_method == "cod":
            rows = [r for r in rows if r.is_cod]
        self.couriers = list(rows)
        self._quote_key = key
        if self.chosen_result() is None:
            self.chosen_service_id = None
        self._clear_problem("couriers")
        self.couriers_changed.emit(self.couriers, self.chosen_service_id)
        if not rows:
            if key.payment_method == "cod":
                text = tr(
                    "Tidak ada kurir COD untuk tujuan ini. Pilih metode pembayaran lain.",
                    "No COD courier serves this destination. Choose another payment method.",
                )
            else:
                text = tr(
                    "Tidak ada kurir yang melayani tujuan ini dari gudang terpilih.",
                    "No courier serves this destination from the chosen warehouse.",
                )
            self._set_problem("couriers", "no_courier", text)
        self.choice_changed.emit()

    # --- plumbing -------------------------------------------------------------------
    def _start(self, task_key: str, stage: str, coro: Any) -> None:
        self._set_busy(stage, True)

        def done(_result: Any) -> None:
            self._set_busy(stage, False)
            self.choice_changed.emit()

        def failed(exc: BaseException) -> bool:
            self._set_busy(stage, False)
            self._fail(stage, exc)
            return True

        task = self.runner.start(task_key, coro, on_success=done, on_error=failed)

        def finished(t: Any) -> None:
            # cancelled by a newer task with the same key: that one keeps the stage busy
            if t.cancelled() and self.runner.task(task_key) is None:
                self._set_busy(stage, False)

        task.add_done_callback(finished)

    def _fail(self, stage: str, exc: BaseException) -> None:
        kind = "network" if is_connection_error(exc) else "api"
        what_id, what_en = {
            "search": ("Pencarian kecamatan gagal", "The kecamatan search failed"),
            "postal": ("Kode pos tidak bisa dimuat", "Postal codes could not be loaded"),
            "warehouses": ("Gudang pengirim tidak bisa dicari", "Could not find a warehouse"),
            "couriers": ("Ongkir tidak bisa dihitung", "Could not quote the couriers"),
        }[stage]
        try:
            from pos.services.errors import user_message

            text = tr(
                f"{what_id}. {user_message(exc, 'id')}",
                f"{what_en}. {user_message(exc, 'en')}",
                "\n",
            )
        except Exception:  # pragma: no cover - the mapper must never take the panel down
            text = f"{tr(what_id, what_en)}. {describe_error(exc)}"
        # what was on screen for the old inputs is not a quote any more (the chosen service id
        # stays, so Retry brings the cashier's courier back)
        if stage == "couriers" and self.couriers:
            self.couriers = []
            self._quote_key = None
            self.couriers_changed.emit([], self.chosen_service_id)
        if stage == "warehouses" and self.warehouses:
            self.warehouses = []
            self.warehouse_index = -1
            self._warehouse_key = None
            self.warehouses_changed.emit([], -1)
        self._set_problem(stage, kind, text)
        self.choice_changed.emit()

    def _set_busy(self, stage: str, busy: bool) -> None:
        if busy == (stage in self._busy):
            return
        if busy:
            self._busy.add(stage)
        else:
            self._busy.discard(stage)
        self.busy_changed.emit(stage, busy)

    def _set_problem(self, stage: str, kind: str, text: str) -> None:
        self._problems[stage] = ShippingProblem(kind, stage, text)
        self.problem_changed.emit()

    def _clear_problem(self, stage: str) -> None:
        if self._problems.pop(stage, None) is not None:
            self.problem_changed.emit()
