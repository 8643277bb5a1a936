"""pytest fixtures of the browser test (the machinery is in browser_book.py)."""

from browser_book import book  # noqa: F401  (the session fixture: served book + headless Chromium)
