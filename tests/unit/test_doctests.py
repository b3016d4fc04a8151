"""The public API's docstring examples run as tests (only these modules: --doctest-modules would collect the pages)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["calc", "calc.api", "calc.catalogue.price_check", "calc.catalogue.generations", "calc.costs.reasoning",
           "calc.tokenizers"]  # fmt: skip


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{module_name} has no examples"
    assert result.failed == 0
