"""Vital Signs, the app around the pure rules in ``core``: see ARCHITECTURE.md for the layers.

``app`` routes; ``config`` holds the settings; the packages hold one concern each.
"""
