"""Spreadsheet imports: read, check, preview and save all-or-nothing (see ``registry``)."""
