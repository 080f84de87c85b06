"""The shipping quote state machine without Qt: a scripted ShippingService answers each lookup
when the test says so, so the order of answers (and stale ones) is the test's to choose."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pos.api.errors import APIConnectionError, ServerError
from pos.api.models import CourierServiceResult, Location, Store, WarehouseResult
from pos.domain.cart import Cart
from pos.services.shipping import QuoteKey
from pos.services.shipping_quote import ShippingQuote
from tests.domain import catalog_samples as samples

STORE = Store(id=3288, unique_id="store_X", name="Toko Kopi", payment_methods=["qris", "cod"])
CEMPAKA = Location(id=2005, display="Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta")
RUNGKUT = Location(id=3101, display="Rungkut, Kota Surabaya, Jawa Timur")
BEKASI = WarehouseResult.model_validate(
    {"warehouse": {"id": 741, "unique_id": "warehouse_B", "name": "Gudang Bekasi"}}
)
SURABAYA = WarehouseResult.model_validate(
    {"warehouse": {"id": 742, "unique_id": "warehouse_S", "name": "Gudang Surabaya"}}
)


def courier(cid: int, cost: int, *, cod: bool = False) -> CourierServiceResult:
    return CourierServiceResult.model_validate(
        {
            "courier_service": {"id": cid, "code": "REG", "name": f"Svc{cid}",
                                "courier": {"name": "JNE"}},
            "cost": cost,
            "etd": "2-3",
            "is_cod": cod,
            "shipment_provider_code": "lincah",
        }
    )  # fmt: skip


class Sale:
    """What the quote reads of the SaleController."""

    def __init__(self, cart: Cart, store: Store | None = STORE) -> None:
        self.cart = cart
        self.store = store


class Ask:
    """One lookup the service was asked, answered through ``answer``."""

    def __init__(self, what: str, arg: Any, answer: asyncio.Future[Any]) -> None:
        self.what, self.arg, self.answer = what, arg, answer


class ScriptedShipping:
    """A ShippingService whose every lookup waits until the test answers it."""

    def __init__(self) -> None:
        self.asked: list[Ask] = []

    async def _ask(self, what: str, arg: Any) -> Any:
        ask = Ask(what, arg, asyncio.get_running_loop().create_future())
        self.asked.append(ask)
        return await ask.answer

    async def search_locations(self, text: str) -> list[Location]:
        return await self._ask("search", text)  # type: ignore[no-any-return]

    async def postal_codes(self, location_id: int) -> list[str]:
        return await self._ask("postal", location_id)  # type: ignore[no-any-return]

    async def warehouses(self, store_id: int, location_id: int, cart: Cart) -> Any:
        return await self._ask("warehouses", (store_id, location_id))

    async def quote(self, key: QuoteKey) -> list[CourierServiceResult]:
        return await self._ask("couriers", key)  # type: ignore[no-any-return]

    def last(self, what: str) -> Ask:
        return [a for a in self.asked if a.what == what][-1]

    async def answer(self, what: str, value: Any) -> None:
        """Answer the newest ``what`` lookup (a value, or an exception to raise)."""
        ask = self.last(what)
        if isinstance(value, BaseException):
            ask.answer.set_exception(value)
        else:
            ask.answer.set_result(value)
        await settle()


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def physical_cart() -> Cart:
    cart = Cart()
    cart.add(samples.item(1, weight=280), 2)
    return cart


@pytest.fixture
def service() -> ScriptedShipping:
    return ScriptedShipping()


@pytest.fixture
def sale() -> Sale:
    return Sale(cart=physical_cart())


@pytest.fixture
def quote(sale: Sale, service: ScriptedShipping) -> ShippingQuote:
    state = ShippingQuote(sale, service)  # type: ignore[arg-type]
    state.set_payment_method("qris")
    return state


async def quoted(quote: ShippingQuote, service: ScriptedShipping) -> None:
    """Cempaka Putih chosen, Bekasi and Surabaya can ship, two couriers offered."""
    quote.set_address("Jl. Cempaka Putih Tengah No. 17")
    quote.search("cempaka put")
    await settle()
    await service.answer("search", [CEMPAKA])
    quote.choose_location(CEMPAKA)
    await settle()
    await service.answer("postal", ["10510", "10520"])
    await service.answer("warehouses", [BEKASI, SURABAYA])
    await service.answer("couriers", [courier(11, 9000), courier(12, 18000)])


@pytest.mark.asyncio
async def test_search_location_postal_warehouses_couriers_choice(
    quote: ShippingQuote, service: ScriptedShipping
) -> None:
    heard: list[tuple[str, str | None]] = []
    quote.subscribe(lambda event, stage: heard.append((event, stage)))
    assert quote.needed and quote.available
    quote.set_address("Jl. Cempaka Putih Tengah No. 17")
    assert quote.missing() == "Pilih kecamatan tujuan. / Choose the destination kecamatan."

    quote.search("  cempaka   put ")
    assert quote.is_busy("search") and ("busy", "search") in heard
    await settle()
    assert service.last("search").arg == "cempaka put"
    await service.answer("search", [CEMPAKA, RUNGKUT])
    assert quote.locations == [CEMPAKA, RUNGKUT] and not quote.is_busy()

    quote.choose_location(CEMPAKA)
    assert quote.location == CEMPAKA and quote.locations == []
    assert quote.search_text == CEMPAKA.display
    assert quote.is_busy("postal") and quote.is_busy("warehouses") and quote.quoting
    await settle()
    await service.answer("postal", ["10510", "10520"])
    assert quote.postal_codes == ["10510", "10520"]

    await service.answer("warehouses", [BEKASI, SURABAYA])
    assert quote.warehouse() == BEKASI  # the nearest by default
    assert service.last("couriers").arg.postal_code is None
    quote.set_postal_code("10510")  # a new quote for the postal code; the older is cancelled
    await settle()
    key = service.last("couriers").arg
    assert key == QuoteKey(3288, 2005, 741, "qris", 560, "10510", ((1, 2),))
    assert quote.choice() is None and quote.missing() is not None  # still quoting

    await service.answer("couriers", [courier(11, 9000), courier(12, 18000)])
    assert not quote.is_busy() and quote.fresh()
    assert quote.missing() == "Pilih kurir. / Choose a courier."
    assert quote.choose_courier(12)
    choice = quote.choice()
    assert choice is not None
    assert (choice.location_id, choice.postal_code, choice.warehouse_id) == (2005, "10510", 741)
    assert (choice.courier_service_id, choice.shipping_cost) == (12, 18000)
    assert choice.address == "Jl. Cempaka Putih Tengah No. 17"
    assert quote.quoted_cost() == 18000 and quote.missing() is None
    assert {e for e, _s in heard} >= {"locations", "location", "postal_codes", "warehouses"}
    assert ("busy", "couriers") in heard and heard[-1] == ("choice", None)


@pytest.mark.asyncio
async def test_a_changed_input_drops_the_answer_for_the_old_one(
    quote: ShippingQuote, service: ScriptedShipping, sale: Sale
) -> None:
    await quoted(quote, service)
    assert quote.choose_courier(12) and quote.choice() is not None

    # the cart changes while the new quote is on its way: the old quote is not usable
    sale.cart.add(samples.item(2, weight=1000))
    quote.cart_changed()
    assert quote.choice() is None and quote.quoted_cost() is None
    await settle()
    first = service.last("warehouses")
    # ... and again before the warehouses answered
    sale.cart.add(samples.item(3, weight=500))
    quote.cart_changed()
    await settle()
    second = service.last("warehouses")
    assert second is not first and first.answer.cancelled()  # the older lookup is cancelled
    await service.answer("warehouses", [BEKASI, SURABAYA])
    assert quote.warehouse() == BEKASI and quote.chosen_service_id == 12
    stale = service.last("couriers")
    quote.set_payment_method("cod")
    await settle()
    assert stale.answer.cancelled()
    await service.answer("couriers", [courier(12, 25000), courier(13, 30000, cod=True)])
    assert service.last("couriers").arg.payment_method == "cod"
    assert [r.courier_service.id for r in quote.couriers] == [13]  # COD couriers only
    assert quote.chosen_service_id is None  # 12 is not offered for COD
    assert not quote.choose_courier(12) and quote.choose_courier(13)
    choice = quote.choice()
    assert choice is not None and choice.shipping_cost == 30000


@pytest.mark.asyncio
async def test_an_older_search_never_shows(quote: ShippingQuote, service: ScriptedShipping) -> None:
    quote.search("tegalsari")
    await settle()
    older = service.last("search")
    quote.search("sukajadi")
    await settle()
    assert older.answer.cancelled() and quote.is_busy("search")
    await service.answer("search", [RUNGKUT])
    assert quote.locations == [RUNGKUT] and not quote.is_busy()
    quote.search("x")  # too short: no lookup, no results
    assert quote.locations == [] and not quote.is_busy()


@pytest.mark.asyncio
async def test_a_failing_lookup_sets_a_problem_and_retry_clears_it(
    quote: ShippingQuote, service: ScriptedShipping
) -> None:
    quote.set_address("Jl. Cempaka Putih Tengah No. 17")
    quote.search("cempaka")
    await settle()
    await service.answer("search", ServerError(503))
    [problem] = quote.problems()
    assert (problem.stage, problem.kind) == ("search", "api")
    assert problem.text.startswith("Pencarian kecamatan gagal.")
    assert quote.failed() and not quote.is_busy()
    quote.retry()
    await settle()
    await service.answer("search", [CEMPAKA])
    assert quote.problems() == [] and quote.locations == [CEMPAKA]

    quote.choose_location(CEMPAKA)
    await settle()
    await service.answer("postal", [])
    await service.answer("warehouses", [BEKASI])
    await service.answer("couriers", APIConnectionError("offline"))
    [problem] = quote.problems()
    assert (problem.stage, problem.kind) == ("couriers", "network")
    assert quote.failed() and quote.choice() is None
    assert quote.missing() == problem.text
    quote.retry()
    assert quote.problems() == [] and quote.is_busy("couriers")
    await settle()
    await service.answer("couriers", [courier(11, 9000)])
    assert quote.problems() == [] and not quote.failed()
    assert quote.choose_courier(11) and quote.choice() is not None


@pytest.mark.asyncio
async def test_no_courier_and_no_warehouse_are_problems_without_retry(
    quote: ShippingQuote, service: ScriptedShipping
) -> None:
    quote.search("cempaka")
    await settle()
    await service.answer("search", [])
    assert [p.kind for p in quote.problems()] == ["no_location"]
    assert "“cempaka”" in quote.problems()[0].text
    quote.choose_location(CEMPAKA)
    await settle()
    await service.answer("postal", [])
    await service.answer("warehouses", [])
    assert [p.kind for p in quote.problems()] == ["no_warehouse"]
    assert quote.failed() and quote.current_key() is None


@pytest.mark.asyncio
async def test_a_cart_without_physical_goods_needs_no_shipping(service: ScriptedShipping) -> None:
    cart = Cart()
    cart.add(samples.item(5, item_type="digital"))
    quote = ShippingQuote(Sale(cart=cart), service)  # type: ignore[arg-type]
    quote.set_payment_method("qris")
    quote.set_address("Jl. Cempaka Putih Tengah No. 17")
    quote.choose_location(CEMPAKA)
    await settle()
    assert not quote.needed
    await service.answer("postal", ["10510"])
    assert [a.what for a in service.asked] == ["postal"]  # no warehouse or courier lookups
    assert quote.current_key() is None and quote.choice() is None and not quote.quoting


@pytest.mark.asyncio
async def test_reset_forgets_the_sale_and_cancels_its_lookups(
    quote: ShippingQuote, service: ScriptedShipping
) -> None:
    await quoted(quote, service)
    quote.requote()
    assert quote.is_busy("couriers")
    await settle()
    asked = len(service.asked)
    heard: list[tuple[str, str | None]] = []
    quote.subscribe(lambda event, stage: heard.append((event, stage)))
    quote.reset()
    assert not quote.is_busy() and quote.location is None and quote.couriers == []
    assert quote.address == "" and quote.problems() == [] and quote.payment_method == "qris"
    assert heard[0] == ("busy", "couriers") and heard[-1] == ("choice", None)
    await settle()
    assert service.last("couriers").answer.cancelled() and len(service.asked) == asked


def test_without_a_service_shipping_is_unavailable() -> None:
    quote = ShippingQuote(Sale(cart=physical_cart()), None)
    quote.search("cempaka")
    assert not quote.available and not quote.is_busy()
    assert quote.missing() == (
        "Pengiriman tidak tersedia di koneksi ini. / Shipping is not available on this connection."
    )
