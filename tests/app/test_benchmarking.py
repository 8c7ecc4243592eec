"""The benchmarking page on the demo council (as of 14 November 2025).

Worked out from the demo seed: our value is our own outturn for the year (the figures
the measure page shows); for the KPMs cast as red or failing (CUS-03, FIN-01, HOU-03,
PLN-01, QOL-01, QOL-04; REV-01 is not benchmarked) every neighbour is drawn around a
level 35 % better than ours (0.7 to 1.3 times it, +-4 %), so ours is 35 % worse than that
level, as before, and they rank last (16 of 16, or 15 of 15 where E07000046 has not
published) in 2024/25: the bottom quartile. The ranks below did not change when our
value became our own outturn.
"""

from __future__ import annotations

from tests.apptest import open_page, texts

WORST = ["CUS-03", "FIN-01", "HOU-03", "PLN-01", "QOL-04"]


def test_the_worst_quartile_list_comes_first_and_names_the_measures(app_env):
    at = open_page("benchmarking.py", username="demo.executive")
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert (
        "**5 measures** in the bottom quartile of CIPFA nearest neighbours: "
        "CUS-03, FIN-01, HOU-03, PLN-01, QOL-04."
    ) in said
    assert at.subheader[0].value.endswith("Worst quartile: needs a management report")
    worst = at.dataframe[0].value
    assert list(worst["Code"]) == WORST
    assert set(worst["Quartile"]) == {"❹ Bottom quartile"}
    assert list(worst["Rank"]) == ["16 of 16", "15 of 15", "16 of 16", "15 of 15", "16 of 16"]


def test_every_benchmarked_measure_is_listed_with_rank_quartile_and_trend(app_env):
    at = open_page("benchmarking.py", username="demo.member")
    assert not at.exception
    table = at.dataframe[1].value
    assert len(table) == 17
    assert list(table["Code"])[:5] == WORST  # worst first
    assert set(table.columns) >= {"Rank", "Quartile", "Trend against the group", "No value from"}
    fin = table[table["Code"] == "FIN-01"].iloc[0]
    assert fin["No value from"] == "E07000046"
    assert all(q.split(" ", 1)[0] in "❶❷❸❹⌀" for q in table["Quartile"])


def test_a_measure_link_opens_its_charts_with_data_tables_and_the_missing_council(app_env):
    at = open_page("benchmarking.py", username="demo.executive", query={"measure": "FIN-01"})
    assert not at.exception
    said = texts(at)
    assert "ranked 15 of 15 in CIPFA nearest neighbours (bottom quartile)" in said
    assert "No value for 2024/25 from:" in said
    assert "(E07000046). They are not ranked." in said
    ranked = at.dataframe[2].value  # worst, all measures, then the charts' tables
    assert len(ranked) == 15
    assert ranked.iloc[-1]["Council"] == "North Coast ◀ our council"
    assert ranked.iloc[-1]["Quartile"] == "❹ Bottom quartile"
    over_time = at.dataframe[3].value
    assert list(over_time["Period"]) == ["2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]
    assert over_time.iloc[-1]["Councils with a value"] == "15 of 16"


def test_only_an_administrator_sees_the_group_admin_and_import(app_env):
    member = open_page("benchmarking.py", username="demo.member")
    assert [t.label for t in member.tabs] == []
    admin = open_page("benchmarking.py", username="demo.admin")
    assert [t.label for t in admin.tabs] == [
        "Where we stand",
        "Comparator groups",
        "Import benchmark data",
    ]


def test_an_administrator_creates_a_second_comparator_group(app_env):
    at = open_page("benchmarking.py", username="demo.admin")
    at.text_input(key="new_name").input("County districts")
    at.text_input(key="new_own_code").input("e07000147")
    at.text_input(key="new_source").input("County")
    at.button[[b.label for b in at.button].index("Create group")].click()
    at.run()
    assert not at.exception
    assert "Created 'County districts'." in texts(at)
    assert at.selectbox(key="benchmark_group").options == [
        "CIPFA nearest neighbours",
        "County districts",
    ]


def test_a_group_without_a_name_is_refused_with_a_plain_message(app_env):
    at = open_page("benchmarking.py", username="demo.admin")
    at.text_input(key="new_own_code").input("E07000147")
    at.button[[b.label for b in at.button].index("Create group")].click()
    at.run()
    assert "A comparator group needs a name and our own area code." in [e.value for e in at.error]


COMPLAINTS = "Number of complaints (LG Inform)"
TIDY = (
    "area_code,area_name,metric,period,value,unit\n"
    f"E07000147,North Coast,{COMPLAINTS},2025-26,850,count\n"
    f'E07000143,Breckland,{COMPLAINTS},2025/26,"1,020",count\n'
)


def test_an_administrator_imports_a_tidy_benchmark_file_through_the_import_flow(app_env):
    from dashboard.importing.registry import SourceFile

    at = open_page("benchmarking.py", username="demo.admin")
    at.session_state["benchmark_import.source"] = SourceFile("lginform.csv", TIDY.encode())
    at.run()
    assert not at.exception
    assert "What will be saved" in texts(at)
    preview = next(d.value for d in at.dataframe if "outcome" in d.value.columns)
    assert preview[["code", "period", "outcome"]].values.tolist() == [
        ["E07000147", "2025/26", "➕ New"],
        ["E07000143", "2025/26", "➕ New"],
    ]
    next(b for b in at.button if b.label == "Import all of it").click().run()
    assert not at.exception
    assert "lginform.csv saved: 2 new, 0 changed, 0 unchanged values." in texts(at)
    assert not any(b.label == "Import all of it" for b in at.button)
