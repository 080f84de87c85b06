"""A Scalev-API-v3-compatible sandbox server for demo mode and tests (see README.md here).

Written independently of ``pos.api``: both sides are checked against the published contract.
"""

from pos.sandbox.app import DEMO_API_KEY, RESTRICTED_DEMO_KEY
from pos.sandbox.faults import FaultConfig, OneShot
from pos.sandbox.server import SandboxServer

__all__ = ["DEMO_API_KEY", "RESTRICTED_DEMO_KEY", "FaultConfig", "OneShot", "SandboxServer"]
