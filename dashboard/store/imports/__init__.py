"""The store side of spreadsheet imports: every read a check makes and every write a save makes.

One module per import kind (measures, actions, benchmarks, staff) plus ``uploads`` (the
all-or-nothing transaction, the `Upload` row, telling a lost race from a real failure).
"""
