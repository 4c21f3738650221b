"""The kit every package builds on: typed settings with every problem collected, credentials read from the
environment by name, atomic file writes, and the content cache's fingerprint. Nothing here knows about news."""
