"""Reminders: who owes which figures, check-ins and action updates, and the e-mails that chase them.

``gather`` works out what is owed (rules in ``core.deadlines``); ``send`` writes and sends the mail.
"""
