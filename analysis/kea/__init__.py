"""Kea's front-end: Unique values, borrow parameters, auto-borrow and `@fip` (docs/kea.md)."""
