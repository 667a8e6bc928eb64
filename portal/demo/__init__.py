"""The demo: synthetic registry data, demo accounts, and `portal demo`."""
