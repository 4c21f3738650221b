"""The newsroom: audiences, content checks and leak-safe editions for a corporate Pelican site."""

from .plugin import register

__all__ = ["register"]
