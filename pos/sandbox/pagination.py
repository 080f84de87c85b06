"""Opaque cursor pagination (base64url JSON), bound to the route and filters it was made for."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

MAX_PAGE_SIZE = 25
_RESERVED = {"page_size", "next_cursor", "previous_cursor"}


class CursorError(ValueError):
    pass


def filter_hash(path: str, params: Mapping[str, str]) -> str:
    items = sorted((k, v) for k, v in params.items() if k not in _RESERVED)
    raw = json.dumps([path, items], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, expected_hash: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise CursorError("Invalid cursor") from exc
    if not isinstance(payload, dict):
        raise CursorError("Invalid cursor")
    if payload.get("f") != expected_hash:
        raise CursorError("Cursor does not match the current filters")
    return payload


def page_size_of(params: Mapping[str, str]) -> int:
    raw = params.get("page_size")
    if raw in (None, ""):
        return MAX_PAGE_SIZE
    try:
        value = int(str(raw))
    except ValueError as exc:
        raise CursorError("page_size must be an integer") from exc
    return max(1, min(MAX_PAGE_SIZE, value))


def envelope(
    data: list[Any],
    *,
    has_next: bool,
    has_previous: bool,
    next_cursor: str | None,
    previous_cursor: str | None,
    page_size: int,
) -> dict[str, Any]:
    return {
        "data": data,
        "is_paginated": True,
        "has_next": has_next,
        "has_previous": has_previous,
        "next_cursor": next_cursor,
        "previous_cursor": previous_cursor,
        "page_size": page_size,
    }


def paginate_offset(
    items: Sequence[Any], path: str, params: Mapping[str, str]
) -> tuple[Sequence[Any], dict[str, Any]]:
    """Offset cursors over a static, already-filtered sequence.

    Returns the page slice and the envelope fields (without ``data``).
    """
    size = page_size_of(params)
    fh = filter_hash(path, params)
    nxt = params.get("next_cursor")
    prv = params.get("previous_cursor")
    if nxt and prv:
        raise CursorError("Send either next_cursor or previous_cursor, not both")
    offset = 0
    token = nxt or prv
    if token:
        payload = decode_cursor(token, fh)
        raw_offset = payload.get("o")
        if not isinstance(raw_offset, int) or raw_offset < 0 or raw_offset > len(items):
            raise CursorError("Invalid cursor")
        offset = raw_offset
    chunk = items[offset : offset + size]
    end = offset + len(chunk)
    has_next = end < len(items)
    has_previous = offset > 0
    meta = {
        "has_next": has_next,
        "has_previous": has_previous,
        "next_cursor": encode_cursor({"o": end, "f": fh}) if has_next else None,
        "previous_cursor": (
            encode_cursor({"o": max(0, offset - size), "f": fh}) if has_previous else None
        ),
        "page_size": size,
    }
    return chunk, meta
