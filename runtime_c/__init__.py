"""Bundled C runtime."""
