"""Use cases the UI calls: catalog sync, checkout (exactly-once), offline outbox, history,
payment watch, shipping."""

from .catalog import CatalogService
from .checkout import CheckoutService, SubmitResult
from .errors import BackendUnavailable, SaleRejected, user_message
from .history import HistoryRow, HistoryService
from .outbox import OutboxEvent, OutboxService, SaleAlreadyCreated
from .payment import PaymentWatcher
from .shipping import ShippingService

__all__ = [
    "BackendUnavailable",
    "CatalogService",
    "CheckoutService",
    "HistoryRow",
    "HistoryService",
    "OutboxEvent",
    "OutboxService",
    "PaymentWatcher",
    "SaleAlreadyCreated",
    "SaleRejected",
    "ShippingService",
    "SubmitResult",
    "user_message",
]
