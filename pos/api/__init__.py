"""Scalev API v3 client: one async client (:mod:`pos.api.client`), typed errors
(:mod:`pos.api.errors`), the rate limiter and hourly budget (:mod:`pos.api.ratelimit`) and the
pydantic models (:mod:`pos.api.models`) — imported from their modules.

The package itself imports nothing: ``import pos.api.errors`` (or ``pos.api.ratelimit``) must
not import httpx and pydantic through ``pos.api.client`` — the app paints its cached catalog
before it needs either.
"""
