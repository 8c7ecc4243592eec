"""The quarterly exception report and meeting minutes: the data, and exports.

- `exceptions`: `build_report(session, quarter, audience)` -> `ExceptionReport`.
- `xlsx`, `pdf`, `pptx`: `render(report, ...) -> bytes` in each format.
- `charts`: SPC chart images (kaleido, with the installed Chromium) or None.
- `minutes`: a meeting's minutes as .docx and PDF.
"""
