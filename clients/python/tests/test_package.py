"""The package under test is the installed one (scripts/test-python.sh installs it), and it states its API version."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import coffre


@pytest.mark.skipif(os.environ.get("COFFRE_PYTEST_INSTALLED") != "1", reason="only when run by scripts/test-python.sh, which installs the package")
def test_the_installed_package_is_tested() -> None:
    source = Path(__file__).resolve().parents[1] / "src"
    assert source not in Path(coffre.__file__).resolve().parents, f"testing the source tree at {coffre.__file__}, not the installed package"
    assert (Path(coffre.__file__).parent / "py.typed").exists()


def test_it_speaks_api_1() -> None:
    assert coffre.API_MAJOR == 1
    assert coffre.__version__.split(".")[0] == "1"
