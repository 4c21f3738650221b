"""One module per network. Adding a network = one new module here + one line in ../registry.py."""
