"""Browser fixtures live in tests/conftest.py (one Chromium per session)."""
