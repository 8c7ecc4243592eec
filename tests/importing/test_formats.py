"""Every format people send: title rows, synonyms, encodings, number styles, XLSX
percent cells, merged cells, several sheets, the wide layout; and files that cannot be read."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from dashboard.importing.registry import UnreadableFile
from dashboard.store.models import Observation, Target
from tests.importing.conftest import messages, warnings, write_csv, write_xlsx


def stored(world, code: str) -> dict[str, tuple]:
    with Session(world.engine) as s:
        mid = world.measures[code].id
        obs = s.exec(select(Observation).where(Observation.measure_id == mid)).all()
        return {o.period: (o.value, o.numerator, o.denominator, o.commentary) for o in obs}


def targets(world, code: str) -> dict[str, float]:
    with Session(world.engine) as s:
        mid = world.measures[code].id
        return {t.period: t.value for t in s.exec(select(Target).where(Target.measure_id == mid))}


def test_title_rows_synonym_headers_blank_rows_and_trailing_notes_are_read(world, tmp_path):
    path = write_csv(
        tmp_path / "return.csv",
        "Housing monthly return,,,\n"
        "Prepared by the lead,,,\n"
        "\n"
        " KPI  Code ,MONTH,Actual,Comments\n"
        "HOU-01,Oct-25,51,fine\n"
        ",,,\n"
        "HOU-04,October 2025,7,\n"
        "\n"
        "Notes: October figures are provisional,,,\n",
    )
    result = world.run(path)
    assert messages(result) == []
    assert result.committed
    assert (result.checked.rows, result.checked.added) == (2, 2)
    assert stored(world, "HOU-01")["2025-10"] == (51.0, None, None, "fine")
    assert stored(world, "HOU-04")["2025-10"] == (7.0, None, None, "")


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", ""), ("utf-8", "\ufeff"), ("cp1252", "")], ids=str
)
def test_csv_in_utf8_with_or_without_bom_and_windows_1252(world, tmp_path, encoding, bom):
    path = write_csv(
        tmp_path / "f.csv",
        f'{bom}code,period,value,commentary\nHOU-04,2025-10,"£1,234.50",Café – rent arrears\n',
        encoding,
    )
    result = world.run(path)
    assert messages(result) == []
    assert stored(world, "HOU-04")["2025-10"] == (1234.5, None, None, "Café – rent arrears")


def test_numbers_as_people_write_them(world, tmp_path):
    path = write_csv(
        tmp_path / "f.csv",
        "code,period,value,numerator,denominator\n"
        'HOU-04,2025-06,"1,234",,\n'
        'HOU-04,2025-07,"GBP 1,234.50",,\n'
        "HOU-04,2025-08, 12 ,,\n"
        "HOU-04,2025-09,(5),,\n"
        "HOU-02,2025-10,85%,,\n"
        "HOU-02,2025-09,,17,20\n",
    )
    result = world.run(path)
    assert messages(result) == []
    hou04 = stored(world, "HOU-04")
    assert [hou04[p][0] for p in ("2025-06", "2025-07", "2025-08", "2025-09")] == [
        1234.0,
        1234.5,
        12.0,
        -5.0,
    ]
    assert stored(world, "HOU-02") == {
        "2025-10": (85.0, None, None, ""),
        "2025-09": (85.0, 17.0, 20.0, ""),
    }


def test_no_value_words_store_nothing_and_a_blank_never_clears_a_stored_value(world, tmp_path):
    path = write_csv(
        tmp_path / "f.csv",
        "code,period,value,commentary\n"
        "HOU-01,2025-09,n/a,Kept the value\n"
        "HOU-04,2025-08,-,\n"
        "HOU-04,2025-07,tbc,\n"
        "HOU-04,2025-06,,\n",
    )
    result = world.run(path)
    assert messages(result) == []
    assert stored(world, "HOU-01")["2025-09"] == (50.0, None, None, "Kept the value")
    assert stored(world, "HOU-04") == {}


def test_xlsx_percent_cell_holding_085_means_85_and_merged_code_cells_fill_down(world, tmp_path):
    rows = [
        ["Quarter 2 return"],
        [],
        ["Code", "Period", "Value", "Target"],
        ["HOU-02", "2025-09", 0.85, 0.9],
        [None, "2025-10", 0.8, None],
        ["HOU-04", "2025-10", 3, None],
    ]
    path = write_xlsx(
        tmp_path / "f.xlsx",
        {"Return": rows},
        percent_cells={("Return", 3, 2), ("Return", 3, 3), ("Return", 4, 2)},
        merges={"Return": [(3, 0, 4, 0)]},
    )
    result = world.run(path)
    assert messages(result) == []
    # amber against its target, then worsening without one: not "did you mean 85%?"
    assert [w[:2] for w in warnings(result)] == [(4, "commentary"), (5, "commentary")]
    assert stored(world, "HOU-02") == {
        "2025-09": (85.0, None, None, ""),
        "2025-10": (80.0, None, None, ""),
    }
    assert targets(world, "HOU-02") == {"2025-09": 90.0}


def test_the_first_sheet_that_fits_is_read_or_the_one_named(world, tmp_path):
    sheets = {
        "Cover": [["How to fill this in"], ["Ask the performance team"]],
        "Housing": [["code", "period", "value"], ["HOU-04", "2025-10", 4]],
        "Planning": [["code", "period", "value"], ["HOU-04", "2025-09", 9]],
    }
    path = write_xlsx(tmp_path / "f.xlsx", sheets)
    first = world.run(path)
    assert first.checked.sheet == "Housing"
    named = world.run(path, sheet="planning")
    assert named.checked.sheet == "Planning"
    assert stored(world, "HOU-04") == {
        "2025-10": (4.0, None, None, ""),
        "2025-09": (9.0, None, None, ""),
    }
    with pytest.raises(UnreadableFile) as err:
        world.run(path, sheet="Finance")
    assert str(err.value) == (
        "There is no sheet called 'Finance': the workbook has Cover, Housing, Planning."
    )


def test_wide_layout_with_date_and_text_headers_and_a_target_row(world, tmp_path):
    rows = [
        ["Indicator", "Type", date(2025, 8, 1), date(2025, 9, 1), "Oct-25", "Dec-25"],
        ["HOU-04", "Actual", 10, 11, 12, None],
        ["HOU-04", "Target", None, None, 13, 14],
        ["HOU-03", "Actual", None, 40, None, None],
    ]
    path = write_xlsx(tmp_path / "wide.xlsx", {"Data": rows})
    result = world.run(path)
    assert messages(result) == []
    assert result.checked.layout == "wide"
    assert stored(world, "HOU-04") == {
        "2025-08": (10.0, None, None, ""),
        "2025-09": (11.0, None, None, ""),
        "2025-10": (12.0, None, None, ""),
    }
    assert targets(world, "HOU-04") == {"2025-10": 13.0, "2025-12": 14.0}
    assert stored(world, "HOU-03") == {"2025/26 Q2": (40.0, None, None, "")}


def test_wide_layout_quarterly_value_under_a_month_that_ends_no_quarter_is_an_error(
    world, tmp_path
):
    rows = [["code", "Aug-25", "Sep-25"], ["HOU-03", 30, None]]
    result = world.run(write_xlsx(tmp_path / "wide.xlsx", {"Data": rows}))
    assert messages(result) == [
        (
            2,
            "Aug-25",
            "Aug-25 is not the last month of a quarter: a quarterly measure's figure goes "
            "under the month its quarter ends (Mar, Jun, Sep, Dec).",
        )
    ]
    assert not result.committed


UNREADABLE = [
    (
        "notes.txt",
        b"\x00\x01binary",
        "This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.",
    ),
    ("empty.csv", b"", "The file is empty."),
    ("blank.csv", b",,\n,,\n", "The file is empty."),
    (
        "noheader.csv",
        b"a,b,c\n1,2,3\n",
        "No recognisable header in the first 20 rows: the template's header is code, measure, "
        "period, value, numerator, denominator, target, commentary, action_note (or one row "
        "per measure with a column per period).",
    ),
    (
        "macro.xlsm",
        b"PK\x03\x04whatever",
        "Macro-enabled workbooks (.xlsm) are not accepted: save it as an Excel workbook "
        "(.xlsx) without macros and upload that.",
    ),
    (
        "old.xls",
        b"\xd0\xcf\x11\xe0rest",
        "This is an old-style Excel file (.xls) or not a spreadsheet: save it as an Excel "
        "workbook (.xlsx) or CSV and upload that.",
    ),
    ("broken.xlsx", b"PK\x03\x04broken", "This workbook is damaged and cannot be read."),
]


@pytest.mark.parametrize(("name", "data", "message"), UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_a_file_that_cannot_be_read_gets_one_clear_message(world, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as err:
        world.run(path)
    assert str(err.value) == message


def test_a_file_over_the_size_limit_is_refused(world, tmp_path, monkeypatch):
    from dashboard import config as settings_module

    monkeypatch.setenv("VITALSIGNS_UPLOAD_MAX_MB", "0.001")
    settings_module.get_settings.cache_clear()
    path = write_csv(tmp_path / "big.csv", "code,period,value\n" + "HOU-04,2025-10,1\n" * 200)
    with pytest.raises(UnreadableFile) as err:
        world.run(path)
    assert str(err.value) == (
        "The file is 0.0 MB, larger than the 0.001 MB limit: split it into smaller files."
    )


def test_a_workbook_with_macros_inside_is_refused_even_when_named_xlsx(world, tmp_path):
    import zipfile

    path = tmp_path / "sneaky.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(UnreadableFile) as err:
        world.run(path)
    assert "contains macros" in str(err.value)


def test_dates_in_the_period_column_are_read_as_periods(world, tmp_path):
    rows = [["code", "period", "value"], ["HOU-04", date(2025, 10, 1), 5]]
    result = world.run(write_xlsx(tmp_path / "f.xlsx", {"S": rows}))
    assert messages(result) == []
    assert stored(world, "HOU-04") == {"2025-10": (5.0, None, None, "")}
