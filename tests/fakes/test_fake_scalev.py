"""The tests' fake Scalev stays a stand-in for ``ScalevClient``: the same public methods with
the same signatures, so a service cannot be tested against a call the real client lacks."""

from __future__ import annotations

import inspect

from pos.api.client import ScalevClient
from tests.fakes.scalev import FakeScalev


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_the_fake_has_every_client_method_with_its_signature() -> None:
    fake = _public(FakeScalev)
    for name, signature in _public(ScalevClient).items():
        assert name in fake, f"FakeScalev lacks ScalevClient.{name}{signature}"
        assert str(fake[name]) == str(signature), (name, str(fake[name]), str(signature))
