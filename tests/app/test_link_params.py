"""Every link-bound key of every page, found in the code, survives hostile values: reported, out of the URL, no crash."""

import ast
from functools import cache
from pathlib import Path

import pytest

from calc.inputs.querystring import PAGE_PARAMS, SCENARIO_PARAMS
from tests.app.conftest import run_page

ROOT = Path(__file__).resolve().parents[2]
HOME = "streamlit_app.py"
PAGES = (HOME, *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")))
HOSTILE = ("inf", "-inf", "nan", "1e309", "9" * 5_000, "", ["10", "inf"], "x" * 10_000)


def _module_names(tree: ast.Module) -> tuple[dict[str, str], set[str]]:
    """A module's top-level string constants, and the names bound to IN_LINK (the name itself and aliases of it)."""
    strings, link = {}, {"IN_LINK"}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                strings[target] = value.value
            elif isinstance(value, ast.Name) and value.id in link:
                link.add(target)
    return strings, link


def _callers_args(tree: ast.Module, function: ast.FunctionDef, parameter: str) -> list[str]:
    """The string constants passed as `parameter` wherever `function` is called in the module."""
    position = [a.arg for a in function.args.args].index(parameter)
    found = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == function.name:
            given = {k.arg: k.value for k in call.keywords}.get(parameter)
            if given is None and position < len(call.args):
                given = call.args[position]
            if isinstance(given, ast.Constant):
                found.append(given.value)
    return found


def _calls(node: ast.AST, function: ast.FunctionDef | None = None):
    """Every call under `node`, with the function it is written in (None at module level)."""
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, ast.FunctionDef) else function
        if isinstance(child, ast.Call):
            yield child, function
        yield from _calls(child, inner)


def _bound_keys(path: Path) -> set[str]:
    """The `key` of every widget created with `**IN_LINK` in one file (through constants and helper parameters)."""
    tree = ast.parse(path.read_text())
    strings, link = _module_names(tree)
    keys: set[str] = set()
    for call, function in _calls(tree):
        spread = {k.value.id for k in call.keywords if k.arg is None and isinstance(k.value, ast.Name)}
        key = next((k.value for k in call.keywords if k.arg == "key"), None)
        if not spread & link:
            continue
        if isinstance(key, ast.Constant):
            keys.add(key.value)
        elif isinstance(key, ast.Name) and key.id in strings:
            keys.add(strings[key.id])
        elif isinstance(key, ast.Name) and function is not None and key.id in [a.arg for a in function.args.args]:
            keys.update(_callers_args(tree, function, key.id))
        else:
            raise AssertionError(f"{path.name}: a bound widget whose key the scan cannot read: {ast.unparse(call)}")
    return keys


@cache
def keys_by_page() -> dict[str, tuple[str, ...]]:
    """Each page's bound keys: its own, plus the shared ones the ui/ modules draw on every page."""
    shared = set().union(*(_bound_keys(p) for p in (ROOT / "ui").glob("*.py")))
    return {page: tuple(sorted(shared | _bound_keys(ROOT / page))) for page in PAGES}


def test_every_bound_key_declares_what_it_accepts():
    found = set().union(*keys_by_page().values())
    assert {"sh_gpus", "requests_per_day", "present", "decline_custom", "eval_counts"} <= found  # the scan sees them all
    assert found == set(SCENARIO_PARAMS) | set(PAGE_PARAMS)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("turn", range(len(HOSTILE)))
def test_hostile_values_in_every_bound_key_are_reported_and_dropped(page, turn):
    """Each key gets each hostile value once over the turns (key i, turn t: value (i + t) mod 8)."""
    keys = keys_by_page()[page]
    query = {key: HOSTILE[(i + turn) % len(HOSTILE)] for i, key in enumerate(keys)}
    at = run_page(page, query, base={})
    assert not at.exception
    assert not [key for key in keys if key in at.query_params]
    assert any("could not be used" in w.value for w in at.warning)


def test_a_usable_page_value_is_kept_and_a_whole_number_written_as_one():
    at = run_page("pages/6_Self_hosted.py", {"sh_gpus": ["inf", "4.0"], "sh_model": "Custom size", "sh_params": "20.5"})
    assert not at.exception
    assert at.number_input(key="sh_gpus").value == 4
    assert at.slider(key="sh_params").value == 20.5
    assert at.query_params["sh_gpus"] == "4"
    assert not any("could not be used" in w.value for w in at.warning)
