"""custody: ownership diagnostics for X07 (CLI and language server)."""
