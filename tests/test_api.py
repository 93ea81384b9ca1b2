"""The public API's table of contents (mcda_ckm.__all__, issue 12)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import mcda_ckm


@pytest.mark.parametrize("name", sorted(mcda_ckm.API))
def test_every_public_name_is_the_object_of_its_module(name: str) -> None:
    assert name in mcda_ckm.__all__
    assert getattr(mcda_ckm, name) is getattr(importlib.import_module(mcda_ckm.API[name]), name)


def test_all_lists_exactly_the_table() -> None:
    assert sorted(mcda_ckm.__all__) == sorted(["API", "__version__", *mcda_ckm.API])


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        mcda_ckm.nope  # noqa: B018


def test_importing_the_package_loads_no_heavy_library() -> None:
    """`ckm` imports the package before every command: the parts load on first use."""
    code = (
        "import sys, mcda_ckm; "
        "print(sorted(m for m in ('matplotlib', 'scipy', 'pyarrow', 'networkx', 'pymcdm') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_starting_the_cli_loads_no_heavy_library() -> None:
    """Every `ckm` command, even `ckm --help`, loads the CLI's modules: they import their work
    when a command runs (tests/test_architecture.py allows it in mcda_ckm/cli only), so the
    MCDA, dataframe, plotting and web libraries are not loaded at start-up."""
    heavy = ("matplotlib", "scipy", "pyarrow", "pymcdm", "pandas", "polars", "starlette")
    code = f"import sys, mcda_ckm.cli.main; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
