"""Use cases the UI calls: catalog sync, checkout (exactly-once), offline outbox, history,
payment watch, shipping."""

from .catalog import CatalogService
from .checkout import CheckoutService, SubmitResult
from .errors import (
    BackendUnavailable,
    SaleConfirming,
    SaleNeedsDecision,
    SaleRejected,
    user_message,
)
from .history import HistoryRow, HistoryService
from .order_lookup import ConfirmPolicy
from .outbox import OutboxEvent, OutboxService, SaleAlreadyCreated
from .payment import PaymentWatcher
from .shipping import ShippingService

__all__ = [
    "BackendUnavailable",
    "CatalogService",
    "CheckoutService",
    "ConfirmPolicy",
    "HistoryRow",
    "HistoryService",
    "OutboxEvent",
    "OutboxService",
    "PaymentWatcher",
    "SaleAlreadyCreated",
    "SaleConfirming",
    "SaleNeedsDecision",
    "SaleRejected",
    "ShippingService",
    "SubmitResult",
    "user_message",
]
