"""Exports that are safe to open: CSV cells that a spreadsheet could run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
import unicodedata

import pandas as pd

# OWASP: a cell starting with one of these can be read as a formula by spreadsheet programs. Full-width
# forms (＝＋－＠) are folded to these first, as some spreadsheets do, and whatever a spreadsheet may skip or
# not show before them is skipped too: every space, line or paragraph separator, control and format
# character (zero-width spaces and joiners, byte-order marks, vertical tabs, form feeds, NEL).
_FORMULA_START = ("=", "+", "-", "@")


def _visible_start(text: str) -> str:
    for k, ch in enumerate(text):
        if not (ch.isspace() or unicodedata.category(ch)[0] in "CZ"):
            return text[k:]
    return ""


def _neutralise(value: object) -> object:
    if not isinstance(value, str):
        return value
    folded = _visible_start(unicodedata.normalize("NFKC", value))
    if folded.startswith(_FORMULA_START) or (value[:1] and value[:1] != " " and _visible_start(value[:1]) == ""):
        return "'" + value
    return value


def safe_csv(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``table``: every text cell quoted (so a line break or a comma inside it never
    splits a row), and formula-like text prefixed by an apostrophe."""
    cleaned = table.copy()
    for col in cleaned.columns:
        if cleaned[col].dtype == object or pd.api.types.is_string_dtype(cleaned[col]):
            cleaned[col] = cleaned[col].map(_neutralise)
    cleaned.columns = [_neutralise(str(c)) for c in cleaned.columns]
    buffer = io.StringIO()
    cleaned.to_csv(buffer, index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8")
