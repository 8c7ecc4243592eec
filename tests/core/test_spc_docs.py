"""The examples in core.spc's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import core.spc

MODULES = ["core.spc"] + [
    f"core.spc.{info.name}" for info in pkgutil.iter_modules(core.spc.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_hold(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0


def test_every_public_name_is_documented() -> None:
    for name in core.spc.__all__:
        item = getattr(core.spc, name)
        if callable(item):
            assert item.__doc__, name
