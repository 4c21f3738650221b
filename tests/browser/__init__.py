"""Browser tests: the built sample newsroom in Debian's Chromium, checked with axe-core and the Nu HTML Checker.

A package (not a plain folder) so that its conftest.py does not shadow tests/conftest.py's `conftest` module.
"""
