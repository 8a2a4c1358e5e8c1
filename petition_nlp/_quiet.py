"""Importing third-party modules whose import warns about their own packaging."""

from __future__ import annotations

import importlib
import warnings
from types import ModuleType

__all__ = ["import_quietly"]


def import_quietly(module: str) -> ModuleType:
    """Import ``module`` without the "pkg_resources is deprecated" warning that jieba and cpca raise on import:
    it concerns their packaging, and would otherwise follow every command a user runs."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        return importlib.import_module(module)
