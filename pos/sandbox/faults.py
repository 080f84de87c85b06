"""Fault injection configuration and decisions (applies to /v3 routes only).

Spec string (``--faults`` / ``KASIR_SANDBOX_FAULTS``)::

    latency=50-200,5xx=0.05,reset=0.05,drop_after_commit=0.05,timeout=0.02,429=0.03,seed=1,hang_s=10
    slow_commit=0.1,commit_delay_s=20,trickle=0.05,trickle_ms=50,garbage=0.02,hang=0.02,burst429=6

JSON form (``GET/PUT /__sandbox/faults``)::

    {"latency_ms": [50, 200], "error_5xx": 0.05, "reset": 0.05, "drop_after_commit": 0.05,
     "timeout": 0.02, "rate_429": 0.03, "seed": 1, "hang_s": 10, "burst429": 6,
     "next": [{"method": "POST", "path": "/v3/orders", "fault": "slow_commit",
               "commit_delay_s": 5, "times": 1}]}

The spec-string keys (``latency``, ``5xx``, ``429``) are accepted in JSON too. See README.md here
for what every fault does.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field, fields
from typing import Any

FAULT_KINDS = (
    "latency",
    "5xx",
    "429",
    "reset",
    "timeout",
    "drop_after_commit",
    "delay_after_commit",  # one-shot only: commit, then hold the reply for hang_s seconds
    "slow_commit",  # POST /v3/orders: hold commit_delay_s, commit, then reply
    "trickle",  # the reply body in tiny chunks, trickle_ms apart
    "status",  # answer a given status / content type / body, without processing
    "garbage",  # a 200 whose body cannot be read (kind: not_json / truncated / wrong_shape)
    "hang",  # accept, never answer; the connection is dropped after hang_s
    "endless_pages",  # a list answers has_next: true with a fresh cursor forever
)
GARBAGE_KINDS = ("not_json", "truncated", "wrong_shape")

_FLOATS = ("hang_s", "burst_s", "commit_delay_s")
_INTS = ("trickle_ms", "trickle_bytes", "burst429")


@dataclass(slots=True)
class OneShot:
    """A deterministic fault for the next ``times`` requests matching method + path (glob).

    ``times < 0``: every matching request, until the config is replaced. ``rate`` < 1: only
    that share of the matching requests, picked by the seeded RNG (e.g. lookups refused 30 %
    of the time in a soak).
    """

    fault: str
    path: str = "*"
    method: str | None = None
    times: int = 1
    status: int = 503
    latency_ms: int = 0
    hang_s: float | None = None
    commit_delay_s: float | None = None
    trickle_ms: int | None = None
    content_type: str | None = None
    body: Any = None
    retry_after: int | None = None
    kind: str | None = None
    rate: float = 1.0  # chance that a matching request gets the fault (seeded RNG)

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
        if self.fault in ("5xx", "status"):
            out["status"] = self.status
        if self.rate != 1.0:
            out["rate"] = self.rate
        if self.fault == "latency":
            out["latency_ms"] = self.latency_ms
        for name in (
            "hang_s",
            "commit_delay_s",
            "trickle_ms",
            "content_type",
            "body",
            "retry_after",
            "kind",
        ):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
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
    slow_commit: float = 0.0
    trickle: float = 0.0
    garbage: float = 0.0
    hang: float = 0.0
    seed: int | None = None
    hang_s: float = 10.0
    burst_s: float = 1.0
    commit_delay_s: float = 20.0
    trickle_ms: int = 50
    trickle_bytes: int = 1
    burst429: int = 0
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
        elif name in _FLOATS:
            number = float(value)
            if number < 0:
                raise ValueError(f"{key} must not be negative")
            setattr(self, name, number)
        elif name in _INTS:
            whole = int(value)
            if whole < (1 if name == "trickle_bytes" else 0):
                raise ValueError(f"{key} is out of range")
            setattr(self, name, whole)
        elif name == "next":
            self.next = [_one_shot(item) for item in value]
        else:
            rate = float(value)
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{key} must be between 0 and 1")
            setattr(self, name, rate)

    def to_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["latency_ms"] = list(self.latency_ms) if self.latency_ms else None
        out["next"] = [n.to_json() for n in self.next]
        return out


#: keys accepted by FaultConfig.parse / from_json: every field name, plus the spec-string names
_ALIASES = {f.name: f.name for f in fields(FaultConfig)} | {
    "latency": "latency_ms",
    "5xx": "error_5xx",
    "429": "rate_429",
}


def _optional(item: dict[str, Any], key: str, kind: type[float] | type[int]) -> Any:
    value = item.get(key)
    if value is None:
        return None
    number = kind(value)
    if number < 0:
        raise ValueError(f"{key} must not be negative")
    return number


def _one_shot(item: Any) -> OneShot:
    if not isinstance(item, dict):
        raise ValueError("each 'next' entry must be an object")
    fault = str(item.get("fault", ""))
    if fault not in FAULT_KINDS:
        raise ValueError(f"unknown fault {fault!r}; expected one of {', '.join(FAULT_KINDS)}")
    kind = item.get("kind")
    if kind is not None and kind not in GARBAGE_KINDS:
        raise ValueError(f"unknown garbage kind {kind!r}; expected one of {GARBAGE_KINDS}")
    status = int(item.get("status", 500 if fault == "status" else 503))
    if not 200 <= status <= 599:
        raise ValueError("status must be an HTTP status with a body (200-599)")
    content_type = item.get("content_type")
    times = item.get("times", 1)  # null: every matching request
    rate = float(item.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
    return OneShot(
        fault=fault,
        path=str(item.get("path", "*")),
        method=item.get("method"),
        times=-1 if times is None else int(times),
        status=status,
        latency_ms=int(item.get("latency_ms", 0)),
        hang_s=_optional(item, "hang_s", float),
        commit_delay_s=_optional(item, "commit_delay_s", float),
        trickle_ms=_optional(item, "trickle_ms", int),
        content_type=None if content_type is None else str(content_type),
        body=item.get("body"),
        retry_after=_optional(item, "retry_after", int),
        kind=kind,
        rate=rate,
    )


@dataclass(slots=True)
class Decision:
    """What to do to one request. ``latency_ms`` applies first, then at most one other fault."""

    latency_ms: int = 0
    fault: str | None = None  # one of FAULT_KINDS except "latency"
    status: int = 503
    hang_s: float = 10.0
    commit_delay_s: float = 20.0
    trickle_ms: int = 50
    trickle_bytes: int = 1
    content_type: str | None = None
    body: Any = None
    retry_after: int | None = None
    kind: str = "truncated"


class FaultInjector:
    """Thread-safe holder of the current :class:`FaultConfig` and its RNG."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._endless_cursors: dict[str, str | None] = {}
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self.burst429_left = config.burst429

    # -- endless_pages bookkeeping (cursors the sandbox made up) ------------------------------
    def new_endless_cursor(self, real: str | None) -> str:
        """A never-seen cursor standing for ``real`` (``None``: the first page again)."""
        with self._lock:
            cursor = f"endless-{self._rng.getrandbits(64):016x}"
            self._endless_cursors[cursor] = real
            return cursor

    def endless_cursor(self, cursor: str) -> tuple[bool, str | None]:
        """``(True, real cursor or None)`` for a cursor made up by ``endless_pages``."""
        with self._lock:
            if cursor not in self._endless_cursors:
                return False, None
            return True, self._endless_cursors[cursor]

    def decide(self, method: str, path: str) -> Decision:
        with self._lock:
            cfg = self.config
            decision = Decision(
                hang_s=cfg.hang_s,
                commit_delay_s=cfg.commit_delay_s,
                trickle_ms=cfg.trickle_ms,
                trickle_bytes=cfg.trickle_bytes,
            )
            if self.burst429_left > 0:
                self.burst429_left -= 1
                decision.fault = "status"
                decision.status = 429
                decision.content_type = "text/plain; charset=utf-8"
                decision.body = "Too many requests"
                decision.retry_after = 1
                return decision
            for rule in cfg.next:
                if rule.times != 0 and rule.matches(method, path):
                    if rule.rate < 1.0 and self._rng.random() >= rule.rate:
                        continue  # not this time (the rule is not used up)
                    if rule.times > 0:
                        rule.times -= 1
                    self._apply(rule, decision)
                    cfg.next = [r for r in cfg.next if r.times != 0]
                    return decision
            rng = self._rng
            if cfg.latency_ms:
                lo, hi = cfg.latency_ms
                decision.latency_ms = rng.randint(min(lo, hi), max(lo, hi))
            roll = rng.random()
            is_create = method == "POST" and path == "/v3/orders"
            is_lookup = method == "GET"
            for name, rate in (
                ("5xx", cfg.error_5xx),
                ("429", cfg.rate_429),
                ("reset", cfg.reset),
                ("timeout", cfg.timeout),
                ("drop_after_commit", cfg.drop_after_commit if is_create else 0.0),
                ("slow_commit", cfg.slow_commit if is_create else 0.0),
                ("hang", cfg.hang if is_lookup else 0.0),
                ("trickle", cfg.trickle),
                ("garbage", cfg.garbage),
            ):
                if roll < rate:
                    decision.fault = name
                    if name == "garbage":
                        decision.kind = rng.choice(GARBAGE_KINDS)
                    break
                roll -= rate
            return decision

    @staticmethod
    def _apply(rule: OneShot, decision: Decision) -> None:
        if rule.fault == "latency":
            decision.latency_ms = rule.latency_ms
            return
        decision.fault = rule.fault
        decision.status = rule.status
        decision.content_type = rule.content_type
        decision.body = rule.body
        decision.retry_after = rule.retry_after
        for name in ("kind", "hang_s", "commit_delay_s", "trickle_ms"):  # None: keep the config's
            value = getattr(rule, name)
            if value is not None:
                setattr(decision, name, value)
