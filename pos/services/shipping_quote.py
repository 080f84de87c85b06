"""The shipping quote of the sale on screen: a Qt-free state machine.

:class:`ShippingQuote` owns the inputs of a quote (street address, kecamatan, postal code,
warehouse, payment method, and the cart's physical lines) and the answers
:class:`~pos.services.shipping.ShippingService` gave for them. Every answer is stored together
with the inputs it was asked for (a :class:`~pos.services.shipping.QuoteKey`);
:meth:`ShippingQuote.choice` only returns a :class:`~pos.domain.sale.ShippingChoice` when the key
of the courier list it comes from equals the key of the current inputs and no re-quote is in
flight: a quote for an old cart, destination, warehouse or payment method never reaches an order.

Lookups run as one task per stage (``search``, ``postal``, ``warehouses``, ``couriers``;
:class:`~pos.services.shipping_lookups.StageTasks`): a newer lookup cancels the older one, and
an answer is dropped unless the inputs it was asked for are still the current ones. The running
tasks are the one record of what is busy. Listeners hear ``listener(event, stage)``; ``event``
is one of :data:`EVENTS` (``stage`` is set for ``"busy"`` only).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from pos.services.shipping import (
    QuoteKey,
    ShippingProblem,
    Translate,
    failure_problem,
    location_text,
    make_choice,
    shipping_text,
    valid_postal_code,
)
from pos.services.shipping_lookups import Spawn, StageTasks, spawn_task

if TYPE_CHECKING:
    from pos.api.models import CourierServiceResult, Location, Store, WarehouseResult
    from pos.domain.cart import Cart
    from pos.domain.sale import ShippingChoice
    from pos.services.shipping import ShippingService

STAGES = ("search", "postal", "warehouses", "couriers")
#: What a listener hears: the search results, the chosen kecamatan, its postal codes, the
#: warehouses, the couriers, the usable choice (may have changed), the problems, a busy stage.
EVENTS = (
    *("locations", "location", "postal_codes", "warehouses", "couriers"),
    *("choice", "problems", "busy"),
)

Listener = Callable[[str, str | None], None]


class SaleLike(Protocol):
    """What the quote reads of the sale: the cart and the store it is sold from."""

    @property
    def cart(self) -> Cart: ...
    @property
    def store(self) -> Store | None: ...


def both_languages(id_text: str, en_text: str, sep: str = " / ") -> str:
    """The default :data:`Translate`: Indonesian, then English."""
    return id_text if id_text == en_text else f"{id_text}{sep}{en_text}"


class ShippingQuote:
    """Inputs, quotes and the chosen courier of the sale on screen."""

    def __init__(
        self,
        sale: SaleLike,
        service: ShippingService | None,
        *,
        spawn: Spawn = spawn_task,
        tr: Translate = both_languages,
    ) -> None:
        self._sale = sale
        self.service = service
        self._tr = tr
        self._lookups = StageTasks(spawn, lambda s: self._emit("busy", s), self._lookup_done)
        self._listeners: list[Listener] = []
        self._forget()

    def _forget(self) -> None:
        """No inputs, no answers, no problems (a new sale)."""
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
        self._problems: dict[str, ShippingProblem] = {}

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, stage)`` on every change; returns the unsubscribe function."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # --- derived state --------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.service is not None

    @property
    def needed(self) -> bool:
        return bool(self._sale.cart.needs_shipping)

    def is_busy(self, stage: str | None = None) -> bool:
        return self._lookups.is_busy(stage)

    def task(self, stage: str) -> asyncio.Future[Any] | None:
        """The running lookup of ``stage`` (None when idle)."""
        return self._lookups.task(stage)

    @property
    def quoting(self) -> bool:
        return self.is_busy("warehouses") or self.is_busy("couriers")

    def problems(self) -> list[ShippingProblem]:
        return [self._problems[s] for s in STAGES if s in self._problems]

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
            return self._say("unavailable")
        problems = self.problems()
        if problems and self.failed():
            return problems[0].text
        if not self.address.strip():
            return self._say("need_address")
        if self.location is None:
            return self._say("need_location")
        if self.quoting or not self.fresh():
            return self._say("requoting")
        if self.chosen_result() is None:
            return self._say("need_courier")
        return None

    # --- inputs ---------------------------------------------------------------------
    def set_address(self, text: str) -> None:
        if text != self.address:
            self.address = text
            self._emit("choice")

    def search(self, text: str) -> None:
        """Search kecamatan now (the panel debounces typing)."""
        self.search_text = " ".join(text.split())
        self._clear_problem("search")
        if self.service is None or len(self.search_text) < 2:
            self._lookups.cancel("search")
            self.locations = []
            self._emit("locations")
            return
        self._lookups.start("search", self._search, self.search_text)

    async def _search(self, text: str) -> None:
        assert self.service is not None
        rows = await self.service.search_locations(text)
        if text != self.search_text:
            return  # an older search that finished late
        self.locations = list(rows)
        self._emit("locations")
        if not rows:
            self._set_problem("search", "no_location", self._say("no_location", text=text))

    def clear_location(self) -> None:
        """The cashier edits the destination: the chosen kecamatan no longer holds."""
        if self.location is None:
            return
        self.location = None
        self.postal_codes = []
        self._lookups.cancel("postal")
        self._clear_problem("postal")
        self._emit("location")
        self._emit("postal_codes")
        self._refresh()

    def choose_location(self, loc: Location) -> None:
        if self.location is not None and self.location.id == loc.id:
            return
        self.location = loc
        self.search_text = location_text(loc)
        self.locations = []
        self._lookups.cancel("search")
        self._clear_problem("search")
        self._emit("locations")
        self.postal_codes = []
        self._emit("location")
        self._emit("postal_codes")
        if self.service is not None:
            self._lookups.start("postal", self._postal_codes, loc.id)
        self._refresh()

    async def _postal_codes(self, location_id: int) -> None:
        assert self.service is not None
        codes = await self.service.postal_codes(location_id)
        if self.location is None or self.location.id != location_id:
            return
        self.postal_codes = list(codes)
        self._emit("postal_codes")

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
        self._emit("couriers")
        self._emit("choice")
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
            self._lookups.start("postal", self._postal_codes, self.location.id)
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
        busy = self._lookups.cancel_all()
        payment_method = self.payment_method
        self._forget()
        self.payment_method = payment_method
        for stage in busy:
            self._emit("busy", stage)
        for event in ("locations", "location", "postal_codes", "warehouses", "couriers"):
            self._emit(event)
        self._emit("problems")
        self._emit("choice")

    # --- quoting --------------------------------------------------------------------
    def _refresh(self) -> None:
        """Bring the warehouse list and the courier quote in line with the inputs."""
        if self.service is None or not self.needed or self._store_id() is None:
            self._drop_quotes(warehouses=True)
            return
        winputs = self._warehouse_inputs()
        if winputs is None:  # no destination yet
            self._drop_quotes(warehouses=True)
            return
        if self._warehouse_key != winputs:
            self._drop_quotes(warehouses=True, emit=False)
            self._lookups.start("warehouses", self._load_warehouses, winputs)
            self._emit("choice")
            return
        key = self.current_key()
        if key is None:
            self._drop_quotes(warehouses=False)
            return
        if key != self._quote_key:
            self._clear_problem("couriers")
            self._lookups.start("couriers", self._load_couriers, key)
        self._emit("choice")

    def _drop_quotes(self, *, warehouses: bool, emit: bool = True) -> None:
        self._lookups.cancel("couriers")
        self._clear_problem("couriers")
        self._quote_key = None
        had_couriers = bool(self.couriers)
        self.couriers = []
        if warehouses:
            self._lookups.cancel("warehouses")
            self._clear_problem("warehouses")
            self._warehouse_key = None
            had = bool(self.warehouses)
            self.warehouses = []
            self.warehouse_index = -1
            if had:
                self._emit("warehouses")
        if had_couriers:
            self._emit("couriers")
        if emit:
            self._emit("choice")

    async def _load_warehouses(self, winputs: tuple[Any, ...]) -> None:
        assert self.service is not None and self.location is not None
        store_id, location_id, _variants = winputs
        rows = await self.service.warehouses(store_id, location_id, self._sale.cart)
        if self._warehouse_inputs() != winputs:
            return  # the inputs moved on; a newer request is (or will be) running
        self.warehouses = list(rows)
        self._warehouse_key = winputs
        # the API's first (nearest) warehouse; the cashier may pick another. (A new search always
        # starts from an empty list, so there is no earlier choice to keep.)
        self.warehouse_index = 0 if rows else -1
        self._clear_problem("warehouses")
        self._emit("warehouses")
        if not rows:
            self._set_problem("warehouses", "no_warehouse", self._say("no_warehouse"))
            self._emit("choice")
            return
        self._refresh()

    async def _load_couriers(self, key: QuoteKey) -> None:
        assert self.service is not None
        rows = await self.service.quote(key)
        if self.current_key() != key:
            return  # stale: the inputs changed while the quote was on its way
        if key.payment_method == "cod":
            rows = [r for r in rows if r.is_cod]
        self.couriers = list(rows)
        self._quote_key = key
        if self.chosen_result() is None:
            self.chosen_service_id = None
        self._clear_problem("couriers")
        self._emit("couriers")
        if not rows:
            why = "no_cod_courier" if key.payment_method == "cod" else "no_courier"
            self._set_problem("couriers", "no_courier", self._say(why))
        self._emit("choice")

    # --- plumbing -------------------------------------------------------------------
    def _lookup_done(self, stage: str, exc: BaseException | None) -> None:
        if exc is None:
            self._emit("choice")
        else:
            self._fail(stage, exc)

    def _fail(self, stage: str, exc: BaseException) -> None:
        # what was on screen for the old inputs is not a quote any more (the chosen service id
        # stays, so Retry brings the cashier's courier back)
        if stage == "couriers" and self.couriers:
            self.couriers = []
            self._quote_key = None
            self._emit("couriers")
        if stage == "warehouses" and self.warehouses:
            self.warehouses = []
            self.warehouse_index = -1
            self._warehouse_key = None
            self._emit("warehouses")
        self._problems[stage] = failure_problem(stage, exc, self._tr)
        self._emit("problems")
        self._emit("choice")

    def _set_problem(self, stage: str, kind: str, text: str) -> None:
        self._problems[stage] = ShippingProblem(kind, stage, text)
        self._emit("problems")

    def _clear_problem(self, stage: str) -> None:
        if self._problems.pop(stage, None) is not None:
            self._emit("problems")

    def _say(self, key: str, **values: str) -> str:
        id_text, en_text = shipping_text(key)
        return self._tr(id_text.format(**values), en_text.format(**values))

    def _emit(self, event: str, stage: str | None = None) -> None:
        for listener in list(self._listeners):
            listener(event, stage)
