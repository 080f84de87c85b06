"""The request loop under :class:`~pos.api.client.ScalevClient`, on one httpx.AsyncClient.

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
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Self

import httpx

from pos.domain.backoff import jittered_backoff
from pos.domain.urls import BaseUrlRefused, base_url_problem

from .errors import (
    APITimeoutError,
    InvalidResponseError,
    OrderOutcomeUnknown,
    ServerError,
)
from .ratelimit import Clock, HourlyBudget, RateLimiter, RequestOutcome, Sleep
from .responses import (
    LOCAL_FAILURES,
    InvalidItem,
    M,
    clamp_page_size,
    error_from_response,
    error_from_transport,
    read_json,
    unwrap_list,
    unwrap_object,
    validate_model,
)

#: Pages one listing may take (25 items each: 250,000 items) before paging stops.
MAX_PAGES = 10_000
#: requests of each rate-limit window catalog paging leaves to orders and payment checks;
#: clamped to a tenth of the window (none for tiny limits)
INTERACTIVE_RESERVE = 8

logger = logging.getLogger("pos.api")

# Statuses worth another try for a repeatable request.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})


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


def check_base_url(base_url: str) -> str:
    """Return the normalised base URL; the rule is :func:`pos.domain.urls.base_url_problem`."""
    problem = base_url_problem(base_url)
    if problem is not None:
        raise BaseUrlRefused(problem, _BASE_URL_PROBLEMS.get(problem, "base_url is not allowed"))
    try:
        url = httpx.URL(base_url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise BaseUrlRefused("invalid", "base_url is not a valid URL") from exc
    return str(url.copy_with(query=None, fragment=None)).rstrip("/")


def check_api_key(api_key: str) -> None:
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("API key is empty")
    if any(not (0x21 <= ord(ch) <= 0x7E) for ch in api_key):
        # Never echo the key: only say what is wrong with it.
        raise ValueError("API key contains whitespace or non-printable characters")


class ApiSession:
    """One httpx client, its auth, limiter, retries and deadline (see the module docstring);
    :class:`~pos.api.client.ScalevClient` adds the endpoints. Use ``async with`` or
    :meth:`aclose`.

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
        hourly_limit: int | None = None,
        hourly_reserve: float = 0.2,
    ) -> None:
        """``hourly_limit``: the key's requests per hour, tracked by an :class:`HourlyBudget`
        that keeps ``hourly_reserve`` of it for orders and payment checks (``None``: not
        tracked)."""
        self.base_url = check_base_url(base_url)
        check_api_key(api_key)
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
            budget=None
            if hourly_limit is None
            else HourlyBudget(
                hourly_limit, reserve_fraction=hourly_reserve, burst_limit=rate_limit[0]
            ),
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
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- core request loop -------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        """Jittered exponential backoff for retry number ``attempt`` (0-based)."""
        return jittered_backoff(attempt, self._backoff_base, self._backoff_max, self._rng)

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
                error = error_from_transport(exc, method, path)
                if self.on_outcome is not None:
                    self.on_outcome(RequestOutcome(method, path, error=type(exc).__name__))
                if create and error.may_have_sent:
                    raise OrderOutcomeUnknown(
                        f"{method} {path}: no answer after sending ({type(exc).__name__}); "
                        "the order may exist",
                        cause=error,
                    ) from exc
                if retry and attempt < self.max_retries and not isinstance(exc, LOCAL_FAILURES):
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
                raise error_from_response(response, method, path, retry_after=delay)
            if retry and status in _RETRY_STATUSES and attempt < self.max_retries:
                delay = self._backoff(attempt)
                attempt += 1
                logger.debug(
                    "%d on %s %s; retry %d in %.2f s", status, method, path, attempt, delay
                )
                await self._sleep(delay)
                continue
            status_error = error_from_response(response, method, path)
            if create and isinstance(status_error, ServerError):
                raise OrderOutcomeUnknown(
                    f"{method} {path}: server error {status}; the order may exist",
                    cause=status_error,
                ) from status_error
            raise status_error

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
        return read_json(response, method, path), response.status_code

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
        return validate_model(
            model, unwrap_object(body, what=what, status=status), what=what, status=status
        )

    async def _get_list(
        self, model: type[M], method: str, path: str, *, params: Any = None, json: Any = None
    ) -> list[M]:
        what = f"{method} {path}"
        body, status = await self._get_json(method, path, params=params, json=json)
        items, _, _ = unwrap_list(body, what=what, status=status)
        return [validate_model(model, item, what=what, status=status) for item in items]

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
        base["page_size"] = clamp_page_size(page_size)
        cursor: str | None = None
        seen: set[str] = set()
        pages = 0
        while True:
            params = dict(base)
            if cursor is not None:
                params["next_cursor"] = cursor
            body, status = await self._get_json("GET", path, params=params, bulk=bulk)
            pages += 1
            items, has_next, next_cursor = unwrap_list(body, what=what, status=status)
            for item in items:
                if on_invalid is None:
                    yield validate_model(model, item, what=what, status=status)
                    continue
                try:
                    valid = validate_model(model, item, what=what, status=status)
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
