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
from pos.sandbox.keys import DEMO_API_KEY, RESTRICTED_DEMO_KEY
from pos.sandbox.order_docs import now_iso

RESTRICTED_SCOPES = frozenset({"store:list", "store:read", "product:list", "bundle:list"})


class ScopeTable:
    """Which scope a ``/v3`` request needs: ``(method, path regex, scope)`` entries, first match
    wins; the route modules declare theirs in ``SCOPES``."""

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

    def content_type(self) -> str:
        for k, v in self.headers:
            if k.lower() == b"content-type":
                return v.decode("latin-1")
        return ""


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
        core = self.core
        method = scope["method"]
        path = scope["path"]
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        parsed: Any = None
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        decision = core.faults.decide(method, path)
        entry: dict[str, Any] = {
            "time": now_iso(),
            "method": method,
            "path": path,
            "query": dict(
                parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
            ),
            "json": parsed,
            "body": raw.decode("utf-8", "replace") if raw and parsed is None else None,
            "authorization": headers.get("authorization"),
            "fault": decision.fault,
        }
        core.record(entry)

        async def respond(
            status: int, body: bytes, ctype: str, extra: Iterable[tuple[str, str]] = ()
        ) -> None:
            reply = Reply(status, [(b"content-type", ctype.encode())], body)
            await self._emit(send, reply, status_box, extra)

        if decision.latency_ms:
            await asyncio.sleep(decision.latency_ms / 1000)
        if decision.fault == "timeout":
            await self._hold(decision.hang_s)
        if decision.fault == "hang":
            await self._hold(decision.hang_s, send)
            if not client_gone(send):
                abort_connection(send)
            await asyncio.sleep(0)
            return
        if decision.fault == "reset":
            abort_connection(send)
            await asyncio.sleep(0)
            return
        if decision.fault == "5xx":
            await respond(
                decision.status, _json_bytes({"error": "Service Unavailable"}), "application/json"
            )
            return
        if decision.fault == "status":
            await self._emit(send, _status_reply(decision), status_box)
            return

        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if token not in (DEMO_API_KEY, RESTRICTED_DEMO_KEY):
            # Unauthenticated callers share a per-IP bucket, so 401s carry the headers too.
            client = scope.get("client") or ("?", 0)
            anon = core.limiter.hit(f"anon:{client[0]}")
            await respond(
                401,
                _json_bytes({"error": "Invalid API key"}),
                "application/json",
                anon.headers().items(),
            )
            return
        if decision.fault == "429":
            core.limiter.block(token, core.faults.config.burst_s)
        state = core.limiter.hit(token)
        rl_headers = list(state.headers().items())
        if not state.allowed:
            await respond(
                429,
                b"Too many requests",
                "text/plain; charset=utf-8",
                [*rl_headers, ("Retry-After", str(state.retry_after))],
            )
            return
        if (
            token == RESTRICTED_DEMO_KEY
            and self.scopes.scope_for(method, path) not in RESTRICTED_SCOPES
        ):
            await respond(403, _json_bytes({"error": "Forbidden"}), "application/json", rl_headers)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        app_scope = self._endless_scope(scope) if method == "GET" else scope
        if decision.fault == "slow_commit":
            reply = await self._commit_later(app_scope, replay, decision.commit_delay_s)
            if reply is None:  # the sandbox is stopping: nothing committed
                abort_connection(send)
                return
        else:
            reply = await capture(self.app, app_scope, replay)
        if decision.fault == "drop_after_commit":
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
