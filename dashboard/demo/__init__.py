"""The demo council and start-up: migrate the database and seed the demo on first run.

Nothing in the running app depends on this package except the start-up hook.
"""
