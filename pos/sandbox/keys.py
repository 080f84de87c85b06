"""The sandbox's two API keys (a light module: the app needs them before the server runs)."""

#: full access (demo mode uses it)
DEMO_API_KEY = "sk_demo_kasir_2026"
#: store, product and bundle reads only (tests of 403 handling)
RESTRICTED_DEMO_KEY = "rk_demo_readonly"
#: everything but ``order:change_status`` (marking an order paid -> 403; cash-at-the-counter tests)
NO_CHANGE_STATUS_DEMO_KEY = "rk_demo_no_change_status"
