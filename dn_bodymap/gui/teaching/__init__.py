"""Trainer screens: the library browser, pattern views, comparison and reverse lookup."""
