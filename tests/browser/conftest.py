"""pytest fixtures of the browser test (the machinery is in browser_book.py), and its tables."""

from browser_book import REPORTS, book  # noqa: F401  (the session fixture: served book + headless Chromium)


def pytest_terminal_summary(terminalreporter):
    """The figures the tests measured (page weights, Tab walks), printed even with -q."""
    for title, text in REPORTS:
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)
