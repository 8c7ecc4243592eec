"""Cached reads for the pages: the scorecard, a measure, the plan, meetings, reports, portal.

Every cached read is one `cache.cached_read` keyed by its arguments and the data version
in the database (every audited write moves it on); nothing here writes or holds SQL.
"""
