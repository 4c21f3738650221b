"""The newsroom: audiences, content checks and leak-safe editions for a corporate Pelican site."""

from newsroom.site.plugin import register

__all__ = ["register"]
