"""Async Scalev v3 client on one :class:`httpx.AsyncClient`.

What it does for every call:

- Bearer auth (the key lives only inside the auth object; it is never logged, never part of a
  repr or an exception message).
- A client-side sliding-window limiter (100 requests / 10 s by default) that also pauses when
  the server reports ``X-Ratelimit-Remaining: 0`` or answers ``429``.
- Retries with jittered exponential backoff for requests that are safe to repeat (every GET,
  the read-only shipping searches and check-payment) on connection errors, timeouts, ``429``
  and ``502/503/504``. ``429`` waits for ``Retry-After`` (seconds or HTTP date), else
  ``X-Ratelimit-Reset``, else the normal backoff.
- ``POST /v3/orders`` is never retried. A failure where the request provably never left the
  machine raises :class:`~pos.api.errors.APIConnectionError` with ``may_have_sent=False``; a
  failure where it may have reached Scalev (read/write timeout, reset, protocol error, 5xx)
  raises :class:`~pos.api.errors.OrderOutcomeUnknown`; the caller reconciles.
- Error statuses become the typed errors of :mod:`pos.api.errors` carrying Scalev's error body.
- 2xx bodies that are not JSON or do not fit the model raise
  :class:`~pos.api.errors.InvalidResponseError`.

List endpoints are async iterators that follow ``next_cursor`` until ``has_next`` is false,
resending the same filters with each cursor.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from pos.domain.urls import DEFAULT_BASE_URL, BaseUrlRefused, base_url_problem

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidResponseError,
    OrderOutcomeUnknown,
    RateLimitedError,
    ScalevError,
    ServerError,
    status_error_class,
)
from .models import (
    Bundle,
    CourierServiceResult,
    Location,
    Order,
    OrderCreate,
    OrderListItem,
    OrderStatistic,
    OrderStatusChange,
    PaymentInfo,
    Product,
    SimplifiedBundle,
    Store,
    StoreBundle,
    StoreProduct,
    WarehouseResult,
)
from .ratelimit import Clock, RateLimiter, RequestOutcome, Sleep

MAX_PAGE_SIZE = 25
#: A reply body larger than this is refused (InvalidResponseError), never parsed.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
#: Pages one listing may take (25 items each: 250,000 items) before paging stops.
MAX_PAGES = 10_000
#: ``on_invalid(what, reason)``: an item that does not fit its model was skipped, or paging
#: stopped early; ``reason`` names locations and kinds only, never values.
InvalidItem = Callable[[str, str], None]
#: requests of each rate-limit window catalog paging leaves to orders and payment checks;
#: clamped to a tenth of the window (none for tiny limits)
INTERACTIVE_RESERVE = 8

logger = logging.getLogger("pos.api")

M = TypeVar("M", bound=BaseModel)

# Statuses worth another try for a repeatable request.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Transport failures where the request provably never left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures raised before anything is written to the network, never worth a retry.
_LOCAL_FAILURES = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
_ERROR_TEXT_LIMIT = 300


class _BearerAuth(httpx.Auth):
    """Adds ``Authorization: Bearer …``; holds the key and never shows it."""

    __slots__ = ("_value",)

    def __init__(self, api_key: str) -> None:
        self._value = f"Bearer {api_key}"

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = self._value
        yield request

    def __repr__(self) -> str:
        return "_BearerAuth(<redacted>)"


_BASE_URL_PROBLEMS = {
    "invalid": "base_url is not a valid URL",
    "no_host": "base_url needs a host",
    "credentials": "base_url must not contain credentials",
    "http_not_loopback": (
        "base_url must use https unless the host is a loopback address "
        "(127.0.0.0/8, ::1, localhost)"
    ),
    "scheme": "base_url must be an https:// URL",
}


def _check_base_url(base_url: str) -> str:
    """Return the normalised base URL; the rule is :func:`pos.domain.urls.base_url_problem`."""
    problem = base_url_problem(base_url)
    if problem is not None:
        raise BaseUrlRefused(problem, _BASE_URL_PROBLEMS.get(problem, "base_url is not allowed"))
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise BaseUrlRefused("invalid", "base_url is not a valid URL") from exc
    return str(url.copy_with(query=None, fragment=None)).rstrip("/")


def _check_api_key(api_key: str) -> None:
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("API key is empty")
    if any(not (0x21 <= ord(ch) <= 0x7E) for ch in api_key):
        # Never echo the key: only say what is wrong with it.
        raise ValueError("API key contains whitespace or non-printable characters")


def _clamp_page_size(page_size: int) -> int:
    return max(1, min(int(page_size), MAX_PAGE_SIZE))


def _validate(model: type[M], data: Any, *, what: str, status: int | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Describe locations and kinds only: no input values in the text.
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['type']}"
            for err in exc.errors(include_input=False, include_url=False)[:5]
        )
        raise InvalidResponseError(
            f"{what}: response does not fit {model.__name__} ({problems})", status_code=status
        ) from None
    except (RecursionError, ValueError, TypeError) as exc:  # absurd nesting, huge numbers
        raise InvalidResponseError(
            f"{what}: response does not fit {model.__name__} ({type(exc).__name__})",
            status_code=status,
        ) from None


def _unwrap_object(body: Any, *, what: str, status: int) -> Any:
    """A single resource: bare object, or the older ``{code, status, data: {...}}`` envelope."""
    if (
        isinstance(body, dict)
        and isinstance(body.get("data"), dict)
        and ("code" in body or "status" in body)
        and "id" not in body
    ):
        return body["data"]
    if not isinstance(body, dict):
        raise InvalidResponseError(f"{what}: expected a JSON object", status_code=status)
    return body


def _unwrap_list(body: Any, *, what: str, status: int) -> tuple[list[Any], bool, str | None]:
    """Items, has_next and next_cursor of a (paginated or plain) collection response."""
    if isinstance(body, list):
        return body, False, None
    if not isinstance(body, dict):
        raise InvalidResponseError(f"{what}: expected a JSON object", status_code=status)
    data = body.get("data")
    container: Mapping[str, Any] = body
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        # Older envelope: {code, status, data: {results: [...]}}.
        container = data
        items = data["results"]
    elif isinstance(body.get("results"), list):
        items = body["results"]
    else:
        raise InvalidResponseError(f"{what}: response has no list of items", status_code=status)
    has_next = container.get("has_next", body.get("has_next", False)) is True
    cursor = container.get("next_cursor", body.get("next_cursor"))
    if not isinstance(cursor, str) or not cursor:
        cursor = None
    return items, has_next, cursor


def _error_fields(response: httpx.Response) -> dict[str, Any]:
    """Scalev's error body (JSON ``{error, error_code, message, errors}``, text, or nothing)."""
    fields: dict[str, Any] = {}
    raw = response.content
    if not raw.strip():
        return fields
    try:
        body = response.json()
    except ValueError:
        body = None
        text = response.text.strip()
        fields["error"] = text[:_ERROR_TEXT_LIMIT] if text else None
        return fields
    if isinstance(body, dict):
        fields["error"] = body.get("error")
        code = body.get("error_code")
        fields["error_code"] = code if isinstance(code, str) else None
        message = body.get("message")
        fields["message"] = message if isinstance(message, str) else None
        fields["errors"] = body.get("errors")
    else:
        fields["error"] = body
    return fields


class ScalevClient:
    """The Scalev v3 client. One instance per API key; use ``async with`` or :meth:`aclose`.

    ``clock``, ``sleep``, ``wall_clock`` and ``rng`` are injectable for tests (the limiter and
    the backoff both use them). ``event_hooks`` is passed to httpx (tests use it to validate
    every request body against the OpenAPI contract).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        max_retries: int = 3,
        rate_limit: tuple[int, float] = (100, 10.0),
        user_agent: str = "Kasir",
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        max_retry_wait: float = 60.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        wall_clock: Clock | None = None,
        rng: random.Random | None = None,
        event_hooks: Mapping[str, list[Callable[..., Awaitable[Any]]]] | None = None,
        interactive_reserve: int = INTERACTIVE_RESERVE,
        request_deadline: float = 25.0,
        on_outcome: Callable[[RequestOutcome], None] | None = None,
    ) -> None:
        self.base_url = _check_base_url(base_url)
        _check_api_key(api_key)
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = max_retries
        #: the longest one attempt may take from send to the last byte of the reply (a server
        #: that trickles its answer never trips the per-read timeout)
        self.request_deadline = request_deadline
        #: pages one listing may take (a server that pages forever cannot hold a sync)
        self.max_pages = MAX_PAGES
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._max_retry_wait = max_retry_wait
        self._sleep: Sleep = sleep or asyncio.sleep
        self._clock: Clock = clock or time.monotonic
        self._rng = rng or random.Random()
        self.limiter = RateLimiter(
            rate_limit[0],
            rate_limit[1],
            clock=self._clock,
            sleep=self._sleep,
            wall_clock=wall_clock or time.time,
            max_server_wait=max_retry_wait,
            reserve=min(interactive_reserve, rate_limit[0] // 10),
        )
        #: ``X-Ratelimit-Remaining`` of the last response that carried it.
        self.rate_limit_remaining: int | None = None
        #: called once per finished attempt (connectivity, budgets); must not raise
        self.on_outcome = on_outcome
        timeout = httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
        )
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            auth=_BearerAuth(api_key),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            event_hooks=dict(event_hooks) if event_hooks else None,
        )

    def __repr__(self) -> str:
        return f"ScalevClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> ScalevClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- core request loop -------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Jittered exponential backoff for retry number ``attempt`` (0-based)."""
        ceiling = min(self._backoff_max, self._backoff_base * (2**attempt))
        return ceiling * self._rng.uniform(0.5, 1.0)

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        delay = self.limiter.retry_after_delay(response.headers.get("retry-after"))
        if delay is None:
            delay = self.limiter.reset_delay(response.headers.get("x-ratelimit-reset"))
        if delay is None:
            delay = self._backoff(attempt)
        return delay

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry: bool,
        create: bool = False,
        interactive: bool = False,
        bulk: bool = False,
    ) -> httpx.Response:
        """Send one logical request (with retries if ``retry``); return a 2xx response.

        ``interactive`` requests (orders, payment checks) may take the limiter's reserved
        slots and never wait behind catalog paging; ``bulk`` ones (catalog paging) leave them.
        """
        attempt = 0
        while True:
            await self.limiter.acquire(interactive=interactive, bulk=bulk)
            started = self._clock()
            try:
                async with asyncio.timeout(self.request_deadline):
                    response = await self._http.request(
                        method, path, params=dict(params) if params else None, json=json
                    )
            except TimeoutError as exc:  # the overall deadline, not httpx's per-read timeout
                logger.debug("%s %s: no complete answer within the deadline", method, path)
                if self.on_outcome is not None:
                    self.on_outcome(RequestOutcome(method, path, error="DeadlineExceeded"))
                deadline_error = APITimeoutError(
                    f"{method} {path}: no complete answer within {self.request_deadline:.0f} s",
                    may_have_sent=True,
                )
                if create:
                    raise OrderOutcomeUnknown(
                        f"{method} {path}: no complete answer in time; the order may exist",
                        cause=deadline_error,
                    ) from exc
                if retry and attempt < self.max_retries:
                    delay = self._backoff(attempt)
                    attempt += 1
                    await self._sleep(delay)
                    continue
                raise deadline_error from exc
            except httpx.TransportError as exc:
                elapsed = (self._clock() - started) * 1000
                logger.debug(
                    "%s %s failed after %.0f ms: %s", method, path, elapsed, type(exc).__name__
                )
                error = self._transport_error(exc, method, path)
                if self.on_outcome is not None:
                    self.on_outcome(RequestOutcome(method, path, error=type(exc).__name__))
                if create and error.may_have_sent:
                    raise OrderOutcomeUnknown(
                        f"{method} {path}: no answer after sending ({type(exc).__name__}); "
                        "the order may exist",
                        cause=error,
                    ) from exc
                if retry and attempt < self.max_retries and not isinstance(exc, _LOCAL_FAILURES):
                    delay = self._backoff(attempt)
                    attempt += 1
                    logger.debug("retry %d of %s %s in %.2f s", attempt, method, path, delay)
                    await self._sleep(delay)
                    continue
                raise error from exc

            elapsed = (self._clock() - started) * 1000
            remaining = self.limiter.observe(response.headers)
            if remaining is not None:
                self.rate_limit_remaining = remaining
            logger.debug(
                "%s %s -> %d in %.0f ms (ratelimit remaining %s)",
                method,
                path,
                response.status_code,
                elapsed,
                "?" if remaining is None else remaining,
            )
            status = response.status_code
            if self.on_outcome is not None:
                retry_after = self.limiter.retry_after_delay(response.headers.get("retry-after"))
                self.on_outcome(
                    RequestOutcome(
                        method,
                        path,
                        status=status,
                        retry_after=retry_after,
                        headers=response.headers,
                    )
                )
            if 200 <= status < 300:
                return response

            await response.aread()
            if status == 429:
                delay = self._retry_after(response, attempt)
                self.limiter.block_for(delay)
                if retry and attempt < self.max_retries and delay <= self._max_retry_wait:
                    attempt += 1
                    logger.debug("429 on %s %s; retry %d in %.2f s", method, path, attempt, delay)
                    # The limiter holds every request (this one included) until the delay ends.
                    continue
                raise self._status_error(response, method, path, retry_after=delay)
            if retry and status in _RETRY_STATUSES and attempt < self.max_retries:
                delay = self._backoff(attempt)
                attempt += 1
                logger.debug(
                    "%d on %s %s; retry %d in %.2f s", status, method, path, attempt, delay
                )
                await self._sleep(delay)
                continue
            status_error = self._status_error(response, method, path)
            if create and isinstance(status_error, ServerError):
                raise OrderOutcomeUnknown(
                    f"{method} {path}: server error {status}; the order may exist",
                    cause=status_error,
                ) from status_error
            raise status_error

    @staticmethod
    def _transport_error(exc: httpx.TransportError, method: str, path: str) -> APIConnectionError:
        name = type(exc).__name__
        if isinstance(exc, _NOT_SENT + _LOCAL_FAILURES):
            cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
            return cls(f"{method} {path}: request not sent ({name})", may_have_sent=False)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"{method} {path}: timed out ({name})", may_have_sent=True)
        return APIConnectionError(
            f"{method} {path}: connection failed ({name})", may_have_sent=True
        )

    @staticmethod
    def _status_error(
        response: httpx.Response, method: str, path: str, *, retry_after: float | None = None
    ) -> APIStatusError:
        fields = _error_fields(response)
        cls = status_error_class(response.status_code, fields.get("error_code"))
        headers = {k.lower(): v for k, v in response.headers.items()}
        if cls is RateLimitedError:
            return RateLimitedError(
                response.status_code,
                retry_after=retry_after,
                method=method,
                path=path,
                headers=headers,
                **fields,
            )
        return cls(response.status_code, method=method, path=path, headers=headers, **fields)

    async def _get_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry: bool = True,
        create: bool = False,
        interactive: bool = False,
        bulk: bool = False,
    ) -> tuple[Any, int]:
        response = await self._request(
            method,
            path,
            params=params,
            json=json,
            retry=retry,
            create=create,
            interactive=interactive,
            bulk=bulk,
        )
        size = len(response.content)
        if size > MAX_RESPONSE_BYTES:
            raise InvalidResponseError(
                f"{method} {path}: response of {size} bytes is above the "
                f"{MAX_RESPONSE_BYTES}-byte limit",
                status_code=response.status_code,
            )
        try:
            return response.json(), response.status_code
        except (ValueError, RecursionError):
            raise InvalidResponseError(
                f"{method} {path}: response body is not JSON", status_code=response.status_code
            ) from None

    async def _get_object(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        json: Any = None,
        retry: bool = True,
        create: bool = False,
        interactive: bool = False,
    ) -> M:
        what = f"{method} {path}"
        body, status = await self._get_json(
            method, path, json=json, retry=retry, create=create, interactive=interactive
        )
        return _validate(
            model, _unwrap_object(body, what=what, status=status), what=what, status=status
        )

    async def _get_list(
        self, model: type[M], method: str, path: str, *, params: Any = None, json: Any = None
    ) -> list[M]:
        what = f"{method} {path}"
        body, status = await self._get_json(method, path, params=params, json=json)
        items, _, _ = _unwrap_list(body, what=what, status=status)
        return [_validate(model, item, what=what, status=status) for item in items]

    async def _paginate(
        self,
        model: type[M],
        path: str,
        filters: Mapping[str, Any],
        page_size: int,
        *,
        bulk: bool = False,
        on_invalid: InvalidItem | None = None,
    ) -> AsyncIterator[M]:
        """Every item of every page, at most :attr:`max_pages` pages (beyond that the listing
        fails with InvalidResponseError). With ``on_invalid`` an item that does not fit
        ``model`` is skipped and reported (logged without values) instead of failing the
        listing, and paging stops at the cap with a report instead of failing."""
        what = f"GET {path}"
        base = {k: v for k, v in filters.items() if v is not None}
        base["page_size"] = _clamp_page_size(page_size)
        cursor: str | None = None
        seen: set[str] = set()
        pages = 0
        while True:
            params = dict(base)
            if cursor is not None:
                params["next_cursor"] = cursor
            body, status = await self._get_json("GET", path, params=params, bulk=bulk)
            pages += 1
            items, has_next, next_cursor = _unwrap_list(body, what=what, status=status)
            for item in items:
                if on_invalid is None:
                    yield _validate(model, item, what=what, status=status)
                    continue
                try:
                    valid = _validate(model, item, what=what, status=status)
                except InvalidResponseError as exc:
                    logger.warning("skipped one item: %s", exc)
                    on_invalid(what, str(exc))
                    continue
                yield valid
            if not has_next or next_cursor is None:
                return
            if pages >= self.max_pages:
                logger.warning("%s: stopped after %d pages", what, pages)
                if on_invalid is None:
                    raise InvalidResponseError(
                        f"{what}: more than {self.max_pages} pages", status_code=status
                    )
                on_invalid(what, f"stopped after {pages} pages")
                return
            if next_cursor in seen:
                raise InvalidResponseError(
                    f"{what}: the server repeated a cursor", status_code=status
                )
            seen.add(next_cursor)
            cursor = next_cursor

    # --- stores ------------------------------------------------------------------------

    def list_stores(
        self, *, search: str | None = None, domain: str | None = None, page_size: int = 25
    ) -> AsyncIterator[Store]:
        """``GET /v3/stores/simplified`` (every page)."""
        return self._paginate(
            Store, "/v3/stores/simplified", {"search": search, "domain": domain}, page_size
        )

    async def get_payment_methods(self, store_id: int) -> list[str]:
        """``GET /v3/stores/{id}/payment-methods``: codes, from strings or objects."""
        path = f"/v3/stores/{int(store_id)}/payment-methods"
        body, status = await self._get_json("GET", path)
        items, _, _ = _unwrap_list(body, what=f"GET {path}", status=status)
        methods: list[str] = []
        for item in items:
            code: Any = item
            if isinstance(item, dict):
                code = next(
                    (
                        item[k]
                        for k in ("code", "payment_method", "name")
                        if isinstance(item.get(k), str) and item[k]
                    ),
                    None,
                )
            if not isinstance(code, str) or not code:
                raise InvalidResponseError(
                    f"GET {path}: payment method item has no code", status_code=status
                )
            if code not in methods:
                methods.append(code)
        return methods

    # --- catalog -----------------------------------------------------------------------

    def list_store_products(
        self, store_id: int | str, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreProduct]:
        """``GET /v3/stores/{id}/products`` (numeric id or ``store_…``). ``on_invalid``: skip
        and report a malformed product instead of failing (see :meth:`_paginate`)."""
        sid = quote(str(store_id), safe="")
        return self._paginate(
            StoreProduct,
            f"/v3/stores/{sid}/products",
            {},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    def list_store_bundles(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreBundle]:
        """``GET /v3/stores/{id}/bundles`` (numeric id)."""
        return self._paginate(
            StoreBundle,
            f"/v3/stores/{int(store_id)}/bundles",
            {},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    def list_bundles_simplified(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[SimplifiedBundle]:
        """``GET /v3/bundles/simplified?store_id=…``: price options with ``unique_id``."""
        return self._paginate(
            SimplifiedBundle,
            "/v3/bundles/simplified",
            {"store_id": int(store_id)},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    async def get_bundle(self, bundle_id: int) -> Bundle:
        """``GET /v3/bundles/{id}``: price options and bundle lines."""
        return await self._get_object(Bundle, "GET", f"/v3/bundles/{int(bundle_id)}")

    def list_products(
        self,
        *,
        store_id: int | None = None,
        search: str | None = None,
        item_type: str | None = None,
        page_size: int = 25,
        on_invalid: InvalidItem | None = None,
    ) -> AsyncIterator[Product]:
        """``GET /v3/products``: full products (item type, variant weights)."""
        filters = {
            "store_id": None if store_id is None else int(store_id),
            "search": search,
            "item_type": item_type,
        }
        return self._paginate(
            Product, "/v3/products", filters, page_size, bulk=True, on_invalid=on_invalid
        )

    # --- locations and shipping ----------------------------------------------------------

    def search_locations(self, search: str, *, page_size: int = 25) -> AsyncIterator[Location]:
        """``GET /v3/locations?search=…`` (kecamatan)."""
        return self._paginate(Location, "/v3/locations", {"search": search}, page_size)

    async def get_postal_codes(self, location_id: int) -> list[str]:
        """``GET /v3/locations/{id}/postal-codes``: strings or ``{postal_code}`` objects."""
        path = f"/v3/locations/{int(location_id)}/postal-codes"
        body, status = await self._get_json("GET", path)
        items, _, _ = _unwrap_list(body, what=f"GET {path}", status=status)
        codes: list[str] = []
        for item in items:
            value = item.get("postal_code") if isinstance(item, dict) else item
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                raise InvalidResponseError(
                    f"GET {path}: postal code item has no postal_code", status_code=status
                )
            if value.strip() not in codes:
                codes.append(value.strip())
        return codes

    async def search_warehouses(
        self, *, store_id: int, destination_id: int, variants: Iterable[tuple[int, int]]
    ) -> list[WarehouseResult]:
        """``POST /v3/shipping-costs/search-warehouse`` (read-only, so retried like a GET).

        ``variants`` are ``(numeric variant id, quantity)``; repeated ids are summed.
        """
        merged: dict[int, int] = {}
        for variant_id, qty in variants:
            qty = int(qty)
            if qty <= 0:
                raise ValueError("variant quantity must be positive")
            merged[int(variant_id)] = merged.get(int(variant_id), 0) + qty
        if not merged:
            raise ValueError("search_warehouses needs at least one variant")
        body = {
            "store_id": int(store_id),
            "destination_id": int(destination_id),
            "variants": [{"variant_id": v, "qty": q} for v, q in merged.items()],
        }
        return await self._get_list(
            WarehouseResult, "POST", "/v3/shipping-costs/search-warehouse", json=body
        )

    async def search_courier_services(
        self,
        *,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        postal_code: str | None = None,
    ) -> list[CourierServiceResult]:
        """``POST /v3/shipping-costs/search-courier-service``; ``weight`` in grams."""
        body: dict[str, Any] = {
            "store_id": int(store_id),
            "location_id": int(location_id),
            "warehouse_id": int(warehouse_id),
            "payment_method": payment_method,
            "weight": int(weight),
        }
        if postal_code:
            body["postal_code"] = str(postal_code)
        return await self._get_list(
            CourierServiceResult, "POST", "/v3/shipping-costs/search-courier-service", json=body
        )

    # --- orders ------------------------------------------------------------------------

    async def create_order(self, body: OrderCreate | dict[str, Any]) -> Order:
        """``POST /v3/orders``. Never retried.

        Raises :class:`OrderOutcomeUnknown` when the request may have reached the server
        without a usable answer; :class:`APIConnectionError` (``may_have_sent=False``) when it
        certainly did not leave; :class:`RateLimitedError` on 429 (refused, not processed);
        :class:`BadRequestError`/:class:`ValidationFailed` on 400/422.
        """
        model = body if isinstance(body, OrderCreate) else OrderCreate.model_validate(body)
        return await self._get_object(
            Order,
            "POST",
            "/v3/orders",
            json=model.to_json(),
            retry=False,
            create=True,
            interactive=True,
        )

    def list_orders(
        self,
        *,
        search: str | None = None,
        search_field: str | None = None,
        store_id: int | None = None,
        columns: Iterable[str] | None = None,
        page_size: int = 25,
        **filters: str,
    ) -> AsyncIterator[OrderListItem]:
        """``GET /v3/orders`` (newest first); ``columns`` selects the returned fields."""
        params: dict[str, Any] = dict(filters)
        params.update(
            search=search,
            search_field=search_field,
            store_id=None if store_id is None else int(store_id),
            columns=None if columns is None else ",".join(columns),
        )
        return self._paginate(OrderListItem, "/v3/orders", params, page_size)

    async def get_order(self, order_id: str) -> Order:
        """``GET /v3/orders/{id}``."""
        path = f"/v3/orders/{_order_path_id(order_id)}"
        return await self._get_object(Order, "GET", path, interactive=True)

    async def check_payment(self, order_id: str) -> Order:
        """``POST /v3/orders/{id}/check-payment``: read-only re-check, retried like a GET."""
        path = f"/v3/orders/{_order_path_id(order_id)}/check-payment"
        return await self._get_object(Order, "POST", path, interactive=True)

    # --- taking the money at the counter (issue 13) -------------------------------------

    async def change_order_status(
        self,
        ids: Iterable[str],
        *,
        payment_status: str | None = None,
        status: str | None = None,
        payment_method: str | None = None,
        transfer_time: str | None = None,
    ) -> list[OrderStatusChange]:
        """``POST /v3/orders/change-status`` (scope ``order:change_status``).

        Setting a status is idempotent, so the request is retried like a read. A key without
        the scope gets :class:`~pos.api.errors.PermissionDeniedError` (403).
        """
        if payment_status is None and status is None:
            raise ValueError("change_order_status needs status or payment_status")
        body: dict[str, Any] = {"ids": [str(i) for i in ids]}
        if not body["ids"]:
            raise ValueError("change_order_status needs at least one order id")
        for key, value in (
            ("status", status),
            ("payment_status", payment_status),
            ("payment_method", payment_method),
            ("transfer_time", transfer_time),
        ):
            if value is not None:
                body[key] = value
        what = "POST /v3/orders/change-status"
        data, code = await self._get_json(
            "POST", "/v3/orders/change-status", json=body, interactive=True
        )
        items, _, _ = _unwrap_list(data, what=what, status=code)
        return [_validate(OrderStatusChange, item, what=what, status=code) for item in items]

    async def mark_order_paid(
        self, order_id: str, *, payment_method: str, transfer_time: str | None = None
    ) -> OrderStatusChange:
        """Mark one order paid (cash taken at the counter); idempotent."""
        changes = await self.change_order_status(
            [order_id],
            payment_status="paid",
            payment_method=payment_method,
            transfer_time=transfer_time,
        )
        for change in changes:
            if change.id == str(order_id):
                return change
        raise InvalidResponseError(
            "POST /v3/orders/change-status: the order is missing from the reply", status_code=200
        )

    async def create_order_payment(self, order_id: str) -> PaymentInfo:
        """``POST /v3/orders/{id}/payment``: the gateway payment info (``qr_string`` for QRIS).

        Not retried: it may create a payment intent at the gateway.
        """
        path = f"/v3/orders/{_order_path_id(order_id)}/payment"
        return await self._get_object(PaymentInfo, "POST", path, retry=False, interactive=True)

    async def update_order_tags(self, order_id: str, tags: Iterable[str]) -> Order:
        """``POST /v3/orders/{id}/update-tags`` (replaces the tags; safe to repeat)."""
        path = f"/v3/orders/{_order_path_id(order_id)}/update-tags"
        return await self._get_object(Order, "POST", path, json={"tags": list(tags)})

    async def order_statistics(self, **params: str | int | None) -> list[OrderStatistic]:
        """``GET /v3/orders/statistics`` (``store_id``, ``status``, ``payment_status``,
        ``is_breakdown_status``, ``breakdown_date``, ``tz`` …; ``None`` values are left out)."""
        query = {k: v for k, v in params.items() if v is not None}
        return await self._get_list(OrderStatistic, "GET", "/v3/orders/statistics", params=query)


def _order_path_id(order_id: str | int) -> str:
    value = str(order_id).strip()
    if not value:
        raise ValueError("order id is empty")
    return quote(value, safe="")


__all__ = ["DEFAULT_BASE_URL", "MAX_PAGE_SIZE", "ScalevClient", "ScalevError"]
