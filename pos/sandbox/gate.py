"""The ``/v3`` gate: request log -> faults -> auth -> rate limit -> scopes, then the router.

Everything outside ``/v3`` goes straight to the router (only logged to stderr when asked).
Faults that change the reply (``trickle``, ``garbage``, ``endless_pages``, the ``*_commit``
ones) run the route with its reply captured, then send a changed or delayed copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import re
import socket
import struct
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos.sandbox.core import SandboxCore
from pos.sandbox.faults import Decision
from pos.sandbox.keys import DEMO_API_KEY, NO_CHANGE_STATUS_DEMO_KEY, RESTRICTED_DEMO_KEY
from pos.sandbox.order_docs import now_iso

RESTRICTED_SCOPES = frozenset({"store:list", "store:read", "product:list", "bundle:list"})


class ScopeTable:
    """Which scope a ``/v3`` request needs: ``(method, path regex, scope)`` entries, first match
    wins; the route modules declare theirs in ``SCOPES`` (from
    :func:`pos.sandbox.common.v3_routes`)."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        self._entries = [(m, re.compile(p), s) for m, p, s in entries]

    def scope_for(self, method: str, path: str) -> str:
        for m, pattern, scope in self._entries:
            if m == method and pattern.match(path):
                return scope
        return "unknown"


# ---------------------------------------------------------------------------------------------
# low-level replies
# ---------------------------------------------------------------------------------------------
def _cycle_of(send: Send) -> Any:
    return getattr(send, "__self__", None)


def abort_connection(send: Send) -> None:
    """Abort the TCP connection with an RST (SO_LINGER 0) and no HTTP response."""
    cycle = _cycle_of(send)
    transport = getattr(cycle, "transport", None)
    if transport is None:  # pragma: no cover - only with a non-uvicorn server
        raise RuntimeError("cannot reach the transport to reset the connection")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    if cycle is not None and hasattr(cycle, "disconnected"):
        cycle.disconnected = True  # uvicorn must not try to send a 500 afterwards


def client_gone(send: Send) -> bool:
    return bool(getattr(_cycle_of(send), "disconnected", False))


@dataclass(slots=True)
class Reply:
    """A captured route reply."""

    status: int = 500
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""


DROPPED = Reply(0)  # no reply: the connection was reset


async def capture(app: ASGIApp, scope: Scope, receive: Receive) -> Reply:
    reply = Reply()
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            reply.status = message["status"]
            reply.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    reply.body = b"".join(chunks)
    return reply


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def json_reply(status: int, obj: Any) -> Reply:
    return Reply(status, [(b"content-type", b"application/json")], _json_bytes(obj))


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body, or ``None`` when the client disconnects first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def replaying(raw: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the already-read body once, then the real channel."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay


def _status_reply(decision: Decision) -> Reply:
    """The reply of a ``status`` fault (or a ``burst429`` one)."""
    status = decision.status
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body, ctype = decision.body, decision.content_type
    if ctype is None:
        ctype = "text/plain; charset=utf-8" if isinstance(body, str) else "application/json"
    if body is None:
        raw = _json_bytes({"error": phrase}) if "json" in ctype else phrase.encode()
    elif isinstance(body, str):
        raw = body.encode()
    else:
        raw = _json_bytes(body)
    headers = [(b"content-type", ctype.encode())]
    if decision.retry_after is not None:
        headers.append((b"retry-after", str(decision.retry_after).encode()))
    return Reply(status, headers, raw)


def garble(reply: Reply, kind: str) -> Reply:
    """A 200 that cannot be read: not JSON, cut in half, or JSON of the wrong shape."""
    if kind == "not_json":
        body = b"<html><body><h1>Welcome to Free WiFi</h1></body></html>"
    elif kind == "wrong_shape":
        try:
            original: Any = json.loads(reply.body)
        except ValueError:
            original = None
        body = _json_bytes([original, {"unexpected": True}])
    else:  # truncated
        body = reply.body[: max(1, len(reply.body) // 2)] if len(reply.body) > 1 else b"{"
    headers = [(b"content-type", b"application/json")]
    return Reply(200, headers, body)


class V3Gate:
    def __init__(self, app: ASGIApp, core: SandboxCore, scopes: ScopeTable) -> None:
        self.app = app
        self.core = core
        self.scopes = scopes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_box = {"status": 0}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            await send(message)

        try:
            if scope["path"].startswith("/v3/") or scope["path"] == "/v3":
                await self._v3(scope, receive, send, status_box)
            else:
                await self.app(scope, receive, logged_send)
        finally:
            if self.core.log_requests:
                ms = (time.perf_counter() - started) * 1000
                status = status_box["status"] or "RST"
                query = ("?" + scope["query_string"].decode()) if scope.get("query_string") else ""
                print(
                    f"{scope['method']} {scope['path']}{query} -> {status} ({ms:.0f} ms)",
                    file=sys.stderr,
                    flush=True,
                )

    async def _hold(self, seconds: float, send: Send | None = None) -> None:
        """Sleep ``seconds`` (cut short when the sandbox stops or, with ``send``, the client
        goes). ``core.stopping`` is a threading.Event set by stop() from another thread."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.core.stopping.is_set():
            if send is not None and client_gone(send):
                return
            await asyncio.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    async def _emit(
        self,
        send: Send,
        reply: Reply,
        status_box: dict[str, Any],
        extra: Iterable[tuple[str, str]] = (),
        decision: Decision | None = None,
    ) -> None:
        """Send ``reply`` (with ``extra`` headers); a ``trickle`` decision sends the body in
        ``trickle_bytes`` chunks ``trickle_ms`` apart."""
        headers = [(k, v) for k, v in reply.headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(reply.body)).encode()))
        headers += [(k.lower().encode(), v.encode()) for k, v in extra]
        status_box["status"] = reply.status
        await send({"type": "http.response.start", "status": reply.status, "headers": headers})
        if decision is None or decision.fault != "trickle" or not reply.body:
            await send({"type": "http.response.body", "body": reply.body})
            return
        step = decision.trickle_bytes
        for i in range(0, len(reply.body), step):
            if i:
                await self._hold(decision.trickle_ms / 1000, send)
                if client_gone(send) or self.core.stopping.is_set():
                    return
            last = i + step >= len(reply.body)
            chunk = reply.body[i : i + step]
            await send({"type": "http.response.body", "body": chunk, "more_body": not last})

    def _endless_scope(self, scope: Scope) -> Scope:
        """A request carrying a cursor made up by ``endless_pages`` gets the page that cursor
        stands for (the first page again after the last)."""
        pairs = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
        cursor = dict(pairs).get("next_cursor")
        made_up, real = self.core.faults.endless_cursor(cursor) if cursor else (False, None)
        if not made_up:
            return scope
        kept = [(k, v) for k, v in pairs if k != "next_cursor"]
        if real is not None:
            kept.append(("next_cursor", real))
        return {**scope, "query_string": urlencode(kept).encode()}

    def _endless(self, reply: Reply) -> Reply:
        if reply.status != 200:
            return reply
        try:
            doc = json.loads(reply.body)
        except ValueError:
            return reply
        if not isinstance(doc, dict) or not doc.get("is_paginated"):
            return reply
        real = doc.get("next_cursor") if doc.get("has_next") else None
        doc["next_cursor"] = self.core.faults.new_endless_cursor(real)
        doc["has_next"] = True
        return Reply(reply.status, reply.headers, _json_bytes(doc))

    async def _v3(
        self, scope: Scope, receive: Receive, send: Send, status_box: dict[str, Any]
    ) -> None:
        raw = await read_body(receive)
        if raw is None:  # the client left before sending its body
            return
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        decision = self.core.faults.decide(scope["method"], scope["path"])
        self._record(scope, raw, headers, decision)
        if decision.latency_ms:
            await asyncio.sleep(decision.latency_ms / 1000)
        early = await self._fault_before(decision, send)
        if early is DROPPED:
            return
        if early is not None:
            await self._emit(send, early, status_box)
            return
        refusal, rl_headers = self._admit(scope, headers, decision)
        if refusal is not None:
            await self._emit(send, refusal, status_box, rl_headers)
            return
        app_scope = self._endless_scope(scope) if scope["method"] == "GET" else scope
        replay = replaying(raw, receive)
        if decision.fault == "slow_commit":
            reply = await self._commit_later(app_scope, replay, decision.commit_delay_s)
        else:
            reply = await capture(self.app, app_scope, replay)
        if reply is None or decision.fault == "drop_after_commit":
            # committed (drop_after_commit), or nothing committed because the sandbox stops
            abort_connection(send)
            await asyncio.sleep(0)
            return
        if decision.fault == "delay_after_commit":
            await self._hold(decision.hang_s)  # committed; a slow network after the commit
        elif decision.fault == "garbage":
            reply = garble(reply, decision.kind)
        elif decision.fault == "endless_pages":
            reply = self._endless(reply)
        await self._emit(send, reply, status_box, rl_headers, decision)

    def _record(
        self, scope: Scope, raw: bytes, headers: dict[str, str], decision: Decision
    ) -> None:
        parsed: Any = None
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        query = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
        self.core.record(
            {
                "time": now_iso(),
                "method": scope["method"],
                "path": scope["path"],
                "query": dict(query),
                "json": parsed,
                "body": raw.decode("utf-8", "replace") if raw and parsed is None else None,
                "authorization": headers.get("authorization"),
                "fault": decision.fault,
            }
        )

    async def _fault_before(self, decision: Decision, send: Send) -> Reply | None:
        """Faults that strike before the request is processed: the reply to send,
        :data:`DROPPED` when the connection was dropped, or ``None`` to go on."""
        if decision.fault == "timeout":
            await self._hold(decision.hang_s)  # then processed normally
        elif decision.fault in ("hang", "reset"):
            if decision.fault == "hang":
                await self._hold(decision.hang_s, send)
            if not client_gone(send):
                abort_connection(send)
            await asyncio.sleep(0)
            return DROPPED
        elif decision.fault == "5xx":
            return json_reply(decision.status, {"error": "Service Unavailable"})
        elif decision.fault == "status":
            return _status_reply(decision)
        return None

    def _admit(
        self, scope: Scope, headers: dict[str, str], decision: Decision
    ) -> tuple[Reply | None, list[tuple[str, str]]]:
        """Auth, rate limit and scope check: ``(refusal or None, rate-limit headers)``."""
        core = self.core
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if token not in (DEMO_API_KEY, RESTRICTED_DEMO_KEY, NO_CHANGE_STATUS_DEMO_KEY):
            # Unauthenticated callers share a per-IP bucket, so 401s carry the headers too.
            client = scope.get("client") or ("?", 0)
            anon = core.limiter.hit(f"anon:{client[0]}")
            return json_reply(401, {"error": "Invalid API key"}), list(anon.headers().items())
        if decision.fault == "429":
            core.limiter.block(token, core.faults.config.burst_s)
        state = core.limiter.hit(token)
        rl_headers = list(state.headers().items())
        if not state.allowed:
            limited = Reply(
                429, [(b"content-type", b"text/plain; charset=utf-8")], b"Too many requests"
            )
            return limited, [*rl_headers, ("Retry-After", str(state.retry_after))]
        scope_needed = self.scopes.scope_for(scope["method"], scope["path"])
        if token == RESTRICTED_DEMO_KEY and scope_needed not in RESTRICTED_SCOPES:
            return json_reply(403, {"error": "Forbidden"}), rl_headers
        return None, rl_headers

    async def _commit_later(self, scope: Scope, receive: Receive, delay_s: float) -> Reply | None:
        """Hold ``delay_s``, then run the route (commit) in a task of its own: the commit happens
        even when the client has given up and closed the connection meanwhile."""

        async def work() -> Reply | None:
            await self._hold(delay_s)
            if self.core.stopping.is_set():
                return None
            return await capture(self.app, scope, receive)

        task = asyncio.get_running_loop().create_task(work())
        self.core.tasks.add(task)
        task.add_done_callback(self.core.tasks.discard)
        return await asyncio.shield(task)
