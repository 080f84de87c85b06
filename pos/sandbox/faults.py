"""Fault injection configuration and decisions (applies to /v3 routes only).

Spec string (``--faults`` / ``KASIR_SANDBOX_FAULTS``)::

    latency=50-200,5xx=0.05,reset=0.05,drop_after_commit=0.05,timeout=0.02,429=0.03,seed=1,hang_s=10

JSON form (``GET/PUT /__sandbox/faults``)::

    {"latency_ms": [50, 200], "error_5xx": 0.05, "reset": 0.05, "drop_after_commit": 0.05,
     "timeout": 0.02, "rate_429": 0.03, "seed": 1, "hang_s": 10,
     "next": [{"method": "POST", "path": "/v3/orders", "fault": "drop_after_commit", "times": 1}]}

The spec-string keys (``latency``, ``5xx``, ``429``) are accepted in JSON too.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = (
    "latency",
    "5xx",
    "429",
    "reset",
    "timeout",
    "drop_after_commit",
    "delay_after_commit",  # one-shot only: commit, then hold the reply for hang_s seconds
)

_ALIASES = {
    "latency": "latency_ms",
    "5xx": "error_5xx",
    "429": "rate_429",
    "error_5xx": "error_5xx",
    "rate_429": "rate_429",
    "latency_ms": "latency_ms",
    "reset": "reset",
    "drop_after_commit": "drop_after_commit",
    "timeout": "timeout",
    "seed": "seed",
    "hang_s": "hang_s",
    "burst_s": "burst_s",
    "next": "next",
}


@dataclass(slots=True)
class OneShot:
    """A deterministic fault for the next ``times`` requests matching method + path (glob)."""

    fault: str
    path: str = "*"
    method: str | None = None
    times: int = 1
    status: int = 503
    latency_ms: int = 0
    hang_s: float | None = None

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fault": self.fault,
            "path": self.path,
            "method": self.method,
            "times": self.times,
        }
        if self.fault == "5xx":
            out["status"] = self.status
        if self.fault == "latency":
            out["latency_ms"] = self.latency_ms
        if self.hang_s is not None:
            out["hang_s"] = self.hang_s
        return out


@dataclass(slots=True)
class FaultConfig:
    """Random fault rates (0..1 per request) plus one-shot rules; all off by default."""

    latency_ms: tuple[int, int] | None = None
    error_5xx: float = 0.0
    rate_429: float = 0.0
    reset: float = 0.0
    timeout: float = 0.0
    drop_after_commit: float = 0.0
    seed: int | None = None
    hang_s: float = 10.0
    burst_s: float = 1.0
    next: list[OneShot] = field(default_factory=list)

    @classmethod
    def parse(cls, spec: str | None) -> FaultConfig:
        """Parse ``"latency=50-200,5xx=0.05,..."`` (empty/None -> no faults)."""
        cfg = cls()
        if not spec:
            return cfg
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"bad fault item {part!r} (expected key=value)")
            cfg._set(key.strip(), value.strip())
        return cfg

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> FaultConfig:
        if not isinstance(obj, dict):
            raise ValueError("fault config must be a JSON object")
        cfg = cls.parse(str(obj["spec"])) if "spec" in obj else cls()
        for key, value in obj.items():
            if key == "spec":
                continue
            cfg._set(key, value)
        return cfg

    def _set(self, key: str, value: Any) -> None:
        name = _ALIASES.get(key)
        if name is None:
            raise ValueError(f"unknown fault key {key!r}")
        if name == "latency_ms":
            if value is None:
                self.latency_ms = None
            elif isinstance(value, str):
                lo, _, hi = value.partition("-")
                self.latency_ms = (int(lo), int(hi or lo))
            elif isinstance(value, int | float):
                self.latency_ms = (int(value), int(value))
            else:
                lo, hi = value
                self.latency_ms = (int(lo), int(hi))
        elif name == "seed":
            self.seed = None if value is None else int(value)
        elif name in ("hang_s", "burst_s"):
            setattr(self, name, float(value))
        elif name == "next":
            self.next = [_one_shot(item) for item in value]
        else:
            rate = float(value)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{key} must be between 0 and 1")
            setattr(self, name, rate)

    def to_json(self) -> dict[str, Any]:
        return {
            "latency_ms": list(self.latency_ms) if self.latency_ms else None,
            "error_5xx": self.error_5xx,
            "rate_429": self.rate_429,
            "reset": self.reset,
            "timeout": self.timeout,
            "drop_after_commit": self.drop_after_commit,
            "seed": self.seed,
            "hang_s": self.hang_s,
            "burst_s": self.burst_s,
            "next": [n.to_json() for n in self.next],
        }


def _one_shot(item: Any) -> OneShot:
    if not isinstance(item, dict):
        raise ValueError("each 'next' entry must be an object")
    fault = str(item.get("fault", ""))
    if fault not in FAULT_KINDS:
        raise ValueError(f"unknown fault {fault!r}; expected one of {', '.join(FAULT_KINDS)}")
    hang = item.get("hang_s")
    return OneShot(
        fault=fault,
        path=str(item.get("path", "*")),
        method=item.get("method"),
        times=int(item.get("times", 1)),
        status=int(item.get("status", 503)),
        latency_ms=int(item.get("latency_ms", 0)),
        hang_s=None if hang is None else float(hang),
    )


@dataclass(slots=True)
class Decision:
    """What to do to one request. ``latency_ms`` applies first, then at most one other fault."""

    latency_ms: int = 0
    fault: str | None = None  # "5xx" | "429" | "reset" | "timeout" | "drop_after_commit"
    #                           | "delay_after_commit"
    status: int = 503
    hang_s: float = 10.0


class FaultInjector:
    """Thread-safe holder of the current :class:`FaultConfig` and its RNG."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            cfg = self.config
            decision = Decision(hang_s=cfg.hang_s)
            for rule in cfg.next:
                if rule.times > 0 and rule.matches(method, path):
                    rule.times -= 1
                    if rule.fault == "latency":
                        decision.latency_ms = rule.latency_ms
                    else:
                        decision.fault = rule.fault
                        decision.status = rule.status
                        if rule.hang_s is not None:
                            decision.hang_s = rule.hang_s
                    cfg.next = [r for r in cfg.next if r.times > 0]
                    return decision
            rng = self._rng
            if cfg.latency_ms:
                lo, hi = cfg.latency_ms
                decision.latency_ms = rng.randint(min(lo, hi), max(lo, hi))
            roll = rng.random()
            is_create = method == "POST" and path == "/v3/orders"
            for name, rate in (
                ("5xx", cfg.error_5xx),
                ("429", cfg.rate_429),
                ("reset", cfg.reset),
                ("timeout", cfg.timeout),
                ("drop_after_commit", cfg.drop_after_commit if is_create else 0.0),
            ):
                if roll < rate:
                    decision.fault = name
                    break
                roll -= rate
            return decision
