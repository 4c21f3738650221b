"""Syndication: announcing each newly published post on every channel that serves its audiences, exactly once."""
