"""Vital Signs' pure rules: periods, status, year to date, deadlines, SPC, benchmarking.

Nothing here imports streamlit, a database or does I/O; every function takes plain
values or DataFrames and returns plain values, frozen dataclasses or DataFrames.
"""
