"""The API key never shows up in logs, exception text or reprs — including failures."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from pos.api.errors import ScalevError
from tests.api.scalev_mock import API_KEY, FakeClock, MockAPI, load_fixture, make_client, respond


def _chain_text(exc: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts += [str(current), repr(current), repr(vars(current))]
        cause = getattr(current, "cause", None)
        if isinstance(cause, BaseException):
            parts += [str(cause), repr(cause)]
        current = current.__cause__ or current.__context__
    parts.append("".join(traceback.format_exception(exc)))
    return "\n".join(parts)


@pytest.mark.asyncio
async def test_key_absent_from_logs_errors_and_reprs(
    api: MockAPI, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    def echo_auth(request: httpx.Request) -> httpx.Response:
        # A hostile server echoing the header back in an error body must not leak it either
        # into our *logs*; the error object holds what the server said, so we only check logs.
        return httpx.Response(200, json={"id": "o1"})

    api.add("GET", "/v3/orders/ok", echo_auth)
    api.add("GET", "/v3/orders/t", httpx.ReadTimeout("read timed out"))
    api.add("GET", "/v3/orders/c", httpx.ConnectError("refused"))
    api.add("GET", "/v3/orders/401", respond(401, {"error": "Invalid API key"}))
    api.add("GET", "/v3/orders/429", respond(429, text="Too many requests"))
    api.add("GET", "/v3/orders/bad", respond(200, content=b"not json"))
    api.add(
        "POST",
        "/v3/orders",
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        respond(422, {"error": "bad", "errors": [{"field": "x"}]}),
        respond(503, text="upstream"),
        httpx.ConnectTimeout("connect timed out"),
    )
    caplog.set_level(logging.DEBUG)  # every logger, httpx/httpcore included
    errors: list[BaseException] = []
    async with make_client(api, clock, max_retries=1) as client:
        assert API_KEY not in repr(client)
        assert API_KEY not in str(client.__dict__.get("limiter"))
        await client.get_order("ok")
        for oid in ("t", "c", "401", "429", "bad"):
            with pytest.raises(ScalevError) as info:
                await client.get_order(oid)
            errors.append(info.value)
        for _ in range(4):
            with pytest.raises(ScalevError) as info:
                await client.create_order(load_fixture("order_create_digital"))
            errors.append(info.value)
    assert len(errors) == 9
    for err in errors:
        assert API_KEY not in _chain_text(err)
    text = caplog.text + "\n".join(repr(r.__dict__) for r in caplog.records)
    assert API_KEY not in text
    assert "Bearer" not in text
    assert any(r.name == "pos.api" for r in caplog.records)
    debug = [r.getMessage() for r in caplog.records if r.name == "pos.api"]
    assert any("GET /v3/orders/ok -> 200" in m for m in debug)
    # Requests we log carry the header only in redacted form.
    request = api.requests[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in repr(request.headers)
    assert API_KEY not in repr(request)
