"""Exports: the portable data dump, the public portal's data and its static site."""
