"""The sandbox's own layout: small modules, every route module registered with its scopes."""

from __future__ import annotations

import re
from pathlib import Path

from pos.sandbox import app

SANDBOX = Path(app.__file__).parent


def test_every_module_is_under_500_lines() -> None:
    sizes = {p.name: len(p.read_text("utf-8").splitlines()) for p in SANDBOX.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n >= 500} == {}


def test_every_route_module_is_registered() -> None:
    modules = {p.stem for p in SANDBOX.glob("routes_*.py")}
    assert {m.__name__.rsplit(".", 1)[1] for m in app.ROUTE_GROUPS} == modules


def test_every_v3_route_has_a_scope() -> None:
    """The restricted key is checked against the scope table: a /v3 route without a scope would
    be refused to it by accident (or its scope never checked)."""
    table = app.scopes()
    for group in app.ROUTE_GROUPS:
        for route in group.ROUTES:
            path = getattr(route, "path", "")
            if not path.startswith("/v3/"):
                continue
            concrete = re.sub(r"\{[^}]+\}", "x1", path)
            for method in sorted(getattr(route, "methods", None) or {"GET"}):
                if method == "HEAD":
                    continue
                assert table.scope_for(method, concrete) != "unknown", (method, path)


def test_literal_paths_are_tried_before_parametrised_ones() -> None:
    """A group may add ``GET /v3/orders/statistics`` next to ``GET /v3/orders/{order_id}``:
    the literal path must win whatever the order of ``ROUTE_GROUPS``."""
    paths = [str(getattr(r, "path", "")) for r in app.routes()]
    params = [p.count("{") for p in paths[:-1]]
    assert params == sorted(params)
    assert paths[-1] == "/v3/{rest:path}"
