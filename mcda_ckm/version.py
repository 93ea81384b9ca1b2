"""The version of mcda_ckm, written once (pyproject.toml reads it; reports and manifests
record it)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
