"""Cached reads for the pages: the scorecard, a measure's history, the delivery plan.

Each read goes through the store and the pure rules in ``core``; nothing here writes.
"""
