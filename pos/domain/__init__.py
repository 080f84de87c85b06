"""Pure domain logic: money, customers, catalog items, carts, sale drafts. No I/O, no Qt."""
