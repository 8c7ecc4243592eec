"""The examples in the docstrings of the rules modules run and pass."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import core.deadlines
import core.legend
import core.periods
import core.status
import core.ytd

MODULES = [core.periods, core.status, core.ytd, core.deadlines, core.legend]


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_docstring_examples_pass(module: ModuleType) -> None:
    results = doctest.testmod(module, verbose=False, report=True)
    assert results.attempted > 0
    assert results.failed == 0


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_every_public_name_has_a_docstring(module: ModuleType) -> None:
    assert module.__doc__
    undocumented = [
        name
        for name in module.__all__
        if callable(getattr(module, name)) and not getattr(module, name).__doc__
    ]
    assert undocumented == []
