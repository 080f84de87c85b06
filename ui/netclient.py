"""The network stack, made on first use (after the window's first paint): the API client
behind a :class:`LazyClient`, the :class:`Outcomes` of its requests, one shared SSL context,
and the CDN image fetcher."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ssl

_SSL_CONTEXT: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One certifi SSL context for every HTTPS client (loading the CA bundle costs 30–50 ms
    each time), created on first use — after the first paint."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        import httpx

        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


class Outcomes:
    """Every finished API request's outcome (``pos.api.ratelimit.RequestOutcome``, the
    client's ``on_outcome`` constructor argument) handed to each listener in turn: the one
    connectivity, the outbox's poke (see ``ui.session.build_window``)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Any], None]] = []

    def listen(self, listener: Callable[[Any], None]) -> None:
        self._listeners.append(listener)

    def __call__(self, outcome: Any) -> None:
        for listener in self._listeners:
            listener(outcome)


class LazyClient:
    """Stands in for the ``ScalevClient`` until the first attribute is used.

    The window, the services and the cached catalog come up without importing httpx/pydantic
    or building an SSL context; the real client is made by ``factory`` on first use (after
    the grid's first paint, when the store list is fetched)."""

    def __init__(self, factory: Callable[[], Any], *, read_timeout: float = 15.0) -> None:
        self.__dict__["_factory"] = factory
        self.__dict__["_client"] = None
        self.__dict__["read_timeout"] = read_timeout

    @property
    def created(self) -> bool:
        return self.__dict__["_client"] is not None

    def real(self) -> Any:
        client = self.__dict__["_client"]
        if client is None:
            client = self.__dict__["_client"] = self.__dict__["_factory"]()
        return client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.real(), name, value)

    def __repr__(self) -> str:
        client = self.__dict__["_client"]
        return f"LazyClient({client!r})" if client is not None else "LazyClient(<not created>)"

    async def aclose(self) -> None:
        client = self.__dict__["_client"]
        if client is not None:
            await client.aclose()


def make_api_client(base_url: str, api_key: str, on_outcome: Any = None, **options: Any) -> Any:
    """The ``ScalevClient`` (imports httpx and pydantic) on a transport with the shared SSL
    context (httpx would otherwise load the CA bundle for each client, even a plain-HTTP one);
    ``options``: more of its constructor's keyword arguments (``hourly_limit``, …)."""
    import httpx

    from pos.api.client import ScalevClient

    transport = httpx.AsyncHTTPTransport(verify=shared_ssl_context())
    return ScalevClient(base_url, api_key, transport=transport, on_outcome=on_outcome, **options)


class ImageFetcher:
    """Thumbnails from the CDN: its own HTTP client (never the Scalev key), made on the first
    image, with the shared SSL context. Fetches wait for :meth:`start` (called after the
    grid's first paint), so the tiles of the first paint import no httpx."""

    def __init__(self) -> None:
        self._http: Any = None
        self._started = asyncio.Event()

    def start(self) -> None:
        self._started.set()

    async def __call__(self, url: str) -> bytes:
        await self._started.wait()
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=10.0, follow_redirects=True, verify=shared_ssl_context()
            )
        response = await self._http.get(url)
        response.raise_for_status()
        return bytes(response.content)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
