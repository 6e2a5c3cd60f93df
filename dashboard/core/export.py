"""Exports that are safe to open: CSV cells that a spreadsheet could run as formulas are neutralised."""

from __future__ import annotations

import pandas as pd

# OWASP: a cell starting with one of these can be read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``table`` with formula-like text cells prefixed by an apostrophe."""
    cleaned = table.copy()
    for col in cleaned.columns:
        if cleaned[col].dtype == object or pd.api.types.is_string_dtype(cleaned[col]):
            cleaned[col] = cleaned[col].map(_neutralise)
    cleaned.columns = [_neutralise(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(index=False).encode("utf-8")
