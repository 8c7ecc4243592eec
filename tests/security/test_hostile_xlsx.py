"""Hostile workbooks (built in `tests.security.hostile_files`) are read or refused
within 2 s of CPU (or 2 s per MB, for larger ones) and 500 MB of memory above where the
read started, never crash the process, and never hold other sessions up for longer.

Each is read in a child process (`tests.security.measure`), so a read that would crash
or run for minutes fails its test instead of taking the suite with it. The bounds are
CPU seconds, not wall-clock ones, so a busy machine does not fail them; they are
generous (the figures `bench/hostile.py` prints are far below them)."""

from __future__ import annotations

import pytest

from dashboard import config as settings_module
from dashboard.importing.layouts import DATA_COLUMNS, header_matcher
from dashboard.importing.reading import read_table
from dashboard.importing.registry import UnreadableFile
from tests.security import hostile_files as hostile
from tests.security.measure import Measured, measure

MB = 1024 * 1024
MAX_GROWTH_MB = 500


def cpu_bound(data: bytes) -> float:
    """2 s of CPU per MB of upload, and 2 s for any smaller file."""
    return max(2.0, 2.0 * len(data) / MB)


def within_bounds(data: bytes, measured: Measured) -> None:
    assert measured.crashed is None, measured.crashed
    assert measured.cpu < cpu_bound(data), f"took {measured.cpu:.1f} s of CPU"
    assert measured.blocked < cpu_bound(data), f"held other threads {measured.blocked:.1f} s"
    assert measured.grew_mb < MAX_GROWTH_MB, f"memory grew by {measured.grew_mb:.0f} MB"


def refused(data: bytes, **env: str) -> str:
    measured = measure("figures.xlsx", data, env=env, timeout=90)
    within_bounds(data, measured)
    assert measured.refused is not None, f"read {measured.rows} rows"
    assert "Traceback" not in measured.refused
    return measured.refused


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch):
    """Set small limits, so the files that pass them stay small."""

    def set_limits(rows: int, cells: int) -> None:
        monkeypatch.setenv("VITALSIGNS_IMPORT_MAX_ROWS", str(rows))
        monkeypatch.setenv("VITALSIGNS_IMPORT_MAX_CELLS", str(cells))
        settings_module.get_settings.cache_clear()

    yield set_limits
    settings_module.get_settings.cache_clear()


def read(data: bytes):
    return read_table("figures.xlsx", data, matcher=header_matcher(4), data_columns=DATA_COLUMNS)


def test_an_ordinary_workbook_reads_and_finds_its_percent_cell():
    table = read(hostile.ordinary())
    assert table.frame.to_dict("list") == {
        "row": [2],
        "code": ["HOU-01"],
        "period": ["2025-04"],
        "value": [0.5],
    }
    assert table.percent_cells == {(2, "value")}


def test_a_styles_part_repeating_one_attribute_40000_times_is_refused_within_two_seconds():
    data = hostile.styles_of_repeated_attributes()
    assert len(data) < 3_000
    assert refused(data) == "This workbook is damaged and cannot be read."


def test_a_relationship_of_one_100000_letter_word_is_refused_within_two_seconds():
    data = hostile.relationship_of_one_long_word()
    assert len(data) < 3_000
    assert refused(data) == "This workbook is damaged and cannot be read."


def test_20000_unfinished_cell_tags_in_a_comment_are_skipped_within_two_seconds():
    data = hostile.percent_cells_in_a_comment()
    measured = measure("figures.xlsx", data, timeout=90)
    within_bounds(data, measured)
    assert (measured.refused, measured.rows) == (None, 1)


def test_a_3kb_workbook_with_a_cell_at_xfd1048576_is_refused_and_the_process_survives():
    data = hostile.far_cell("XFD1048576", None)
    assert len(data) < 3_000
    assert refused(data) == (
        "The sheet 'Figures' has more than 300,000 rows, more than the 300,000 a file may "
        "have (the VITALSIGNS_IMPORT_MAX_ROWS setting): split it into smaller files."
    )


def test_a_cell_outside_the_declared_dimension_is_found_and_refused_by_the_cell_limit():
    # The sheet says it spans A1:C2; one cell sits at XFD1000 (16,384 columns).
    data = hostile.far_cell("XFD1000", "A1:C2")
    assert refused(data) == (
        "The sheet 'Figures' spans 1,000 rows by 16,384 columns (16,384,000 cells, from A1 "
        "to XFD1000), more than the 3,000,000 cells a file may have (the "
        "VITALSIGNS_IMPORT_MAX_CELLS setting): delete the rows and columns you do not need, "
        "or split it into smaller files."
    )


def test_a_merged_range_to_xfd1048576_fills_only_the_cells_the_sheet_has():
    merge = b'</sheetData><mergeCells><mergeCell ref="A2:XFD1048576"/></mergeCells>'
    part = b"".join(hostile.sheet([hostile.HEADER_ROW, hostile.ONE_ROW], "A1:C2"))
    data = hostile.workbook(part.replace(b"</sheetData>", merge))
    measured = measure("figures.xlsx", data, timeout=90)
    within_bounds(data, measured)
    assert (measured.refused, measured.rows) == (None, 1)


def test_five_million_empty_elements_in_21kb_are_refused_within_two_seconds():
    data = hostile.empty_elements()
    assert refused(data).startswith(
        "This workbook is built in a way that would take too long to check: open it in "
        "Excel, save it as an Excel workbook (.xlsx) and upload that."
    )


def test_four_and_a_half_million_cells_at_a1_are_counted_and_refused():
    data = hostile.cells_at_a1()
    assert refused(data) == (
        "The sheet 'Figures' holds more than 3,000,000 cells, more than a file may have (the "
        "VITALSIGNS_IMPORT_MAX_CELLS setting): delete the rows and columns you do not need, "
        "or split it into smaller files."
    )


def test_a_zip_bomb_of_a_million_rows_in_half_a_megabyte_is_refused_within_its_bounds():
    data = hostile.zip_bomb()
    assert len(data) < 0.5 * MB
    assert refused(data).startswith("This workbook is too large once unpacked (")


def test_a_sheet_unpacking_to_more_than_its_archive_declares_is_refused_before_it_is_read():
    data = hostile.lying_size()
    assert refused(data) == "This workbook is damaged and cannot be read."


def test_a_workbook_declaring_entities_is_refused_without_expanding_them():
    assert refused(hostile.entity_expansion()) == "This workbook is damaged and cannot be read."


@pytest.mark.parametrize(
    "build",
    [
        lambda: hostile.many_rows(1001),
        lambda: hostile.many_rows(1001, dimension=False),
        lambda: hostile.many_rows(1001, dimension=False, numbered=False),
    ],
    ids=["declared", "found-by-row-numbers", "found-by-counting-rows"],
)
def test_a_sheet_with_more_rows_than_the_setting_is_refused_naming_the_setting(limits, build):
    limits(rows=1000, cells=1_000_000)
    with pytest.raises(UnreadableFile) as refusal:
        read(build())
    assert "more than the 1,000 a file may have (the VITALSIGNS_IMPORT_MAX_ROWS setting)" in (
        str(refusal.value)
    )


def test_a_sheet_spanning_more_cells_than_the_setting_is_refused_naming_the_setting(limits):
    limits(rows=1000, cells=2000)
    with pytest.raises(UnreadableFile) as refusal:
        read(hostile.many_rows(700))  # 701 rows by 3 columns
    assert str(refusal.value) == (
        "The sheet 'Figures' spans 701 rows by 3 columns (2,103 cells, from A1 to C701), "
        "more than the 2,000 cells a file may have (the VITALSIGNS_IMPORT_MAX_CELLS "
        "setting): delete the rows and columns you do not need, or split it into smaller "
        "files."
    )


def test_a_sheet_within_the_settings_is_read_whole(limits):
    limits(rows=1000, cells=2000)
    table = read(hostile.many_rows(600, dimension=False))
    assert len(table.frame) == 600
    assert table.frame["row"].iloc[-1] == 601
