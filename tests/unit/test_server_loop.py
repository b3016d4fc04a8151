"""The server runs on uvloop (requirements.txt): ~12% less CPU per slider move here (deploy/CAPACITY.md)."""

import sys

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="Streamlit does not use uvloop on Windows")
def test_streamlit_finds_uvloop_and_builds_its_server_loop_on_it():
    from streamlit.web import bootstrap

    factory = bootstrap._get_uvloop_loop_factory()  # what bootstrap._run_server_loop runs the server on
    assert factory is not None, "uvloop is missing: Streamlit would fall back to the slower stdlib loop"
    loop = factory()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
