"""Staff records, objectives and quarterly check-ins, with who may see and change what.

- Staff see and edit only their own objectives and check-ins.
- A line manager sees and agrees their direct reports'.
- Leads see completion figures, people and objectives (never check-in text) for their
  departments; executives for every department; admins see everything.
- Status moves ``draft`` -> ``submitted`` (by the member of staff) -> ``agreed`` (by the
  manager, never by the person themselves); re-opening needs a reason. The rules are
  ``core.checkins``; every change is audited in the same transaction.
- Check-ins hold personal data: `purge_leavers` deletes a leaver's check-ins once the
  retention period has passed, one audit entry per deletion.

One module per concept: `access`, `staff`, `objectives`, `quarterly` (the check-ins),
`completion`, `retention`, `golden_thread`.
"""
