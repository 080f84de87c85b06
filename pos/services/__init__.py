"""Use cases the UI calls: catalog sync, checkout (exactly-once), payment watch, shipping."""

from .catalog import CatalogService
from .checkout import CheckoutService, SubmitResult
from .errors import BackendUnavailable, SaleRejected, user_message
from .payment import PaymentWatcher
from .shipping import ShippingService

__all__ = [
    "BackendUnavailable",
    "CatalogService",
    "CheckoutService",
    "PaymentWatcher",
    "SaleRejected",
    "ShippingService",
    "SubmitResult",
    "user_message",
]
