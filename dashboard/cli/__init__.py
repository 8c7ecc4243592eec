"""The ``vitalsigns`` command line: set-up, imports, exports, reminders and check-in jobs.

``main`` builds the parser; each other module adds the commands of one concern.
"""
