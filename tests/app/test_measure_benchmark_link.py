"""The measure page links to the benchmarking page for that measure."""

from __future__ import annotations

from tests.apptest import open_page


def test_the_measure_page_links_to_its_benchmarking_comparison(app_env):
    at = open_page("measure.py", username="demo.executive", query={"code": "PLN-01"})
    assert not at.exception
    links = [el.proto for el in at.get("page_link")]
    bench = [p for p in links if p.label == "Compare with the group on the Benchmarking page"]
    assert len(bench) == 1
    assert "measure=PLN-01" in str(bench[0])
