"""One module per network. Adding a network = one new module here, its type in ../channel_types.py (the settings
it takes) + one line in ../registry.py."""
