"""Declared CSV tables, checked by one loop.

Each table is a :class:`Table`: its columns in order, which must not be blank, which are ids,
references to another table's ids, booleans, numbers, dates or a choice from a list. :func:`read_table`
parses the CSV text as strings, checks every declared rule and converts the typed columns. The
first problem stops it with an :class:`EvidenceError` naming the file, the spreadsheet row (the
header is row 1), the column, the value and the rule broken.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
QUOTE_ID = re.compile(r"^[A-Za-z0-9_]{1,32}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BOOLEANS = {"true": True, "false": False}
MAX_TEXT = 2000
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class EvidenceError(ValueError):
    """A problem in the evidence tables, located to a file, row and column."""

    def __init__(self, file: str, row: int | None, column: str | None, value: object, rule: str):
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.rule = rule
        where = file if "." in file else f"{file}.csv"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column '{column}'"
        shown = "" if value is None else f": {_show(value)}"
        super().__init__(f"{where}{shown} {rule}")


def _show(value: object) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)


def parse_number(text: str) -> float:
    """Parse a plainly written decimal number; reject ``1_000``, ``0x10``, ``1,5``, NaN and inf."""
    stripped = text.strip()
    if not _NUMBER.fullmatch(stripped):
        raise ValueError(text)
    number = float(stripped)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


@dataclass(frozen=True)
class Column:
    """One column and its rules. ``kind``: text, id, bool, number or date (``YYYY[-MM[-DD]]``)."""

    name: str
    kind: str = "text"
    required: bool = True  # a value must be given (not blank)
    pattern: re.Pattern[str] | None = None  # for ids (and quote ids)
    ref: str | None = None  # the table whose ids this column names
    choices: tuple[str, ...] = ()
    choice_rule: str = ""
    multiple: bool = False  # several references separated by ';'


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    extra_columns: tuple[Column, ...] = field(default=())  # added at run time (a lens's weight per criterion)
    may_be_empty: bool = False  # a header alone is a valid table

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in (*self.columns, *self.extra_columns))


def text_column(name: str, required: bool = True) -> Column:
    return Column(name, "text", required)


def parse_csv(name: str, text: str) -> pd.DataFrame:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise EvidenceError(name, None, None, None, "is empty: it needs a header row and data rows.")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise EvidenceError(name, None, None, None, f"is not a well-formed CSV table ({err}).") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _check_header(table: Table, frame: pd.DataFrame) -> None:
    seen: set[str] = set()
    for col in frame.columns:
        if col in seen:
            raise EvidenceError(table.name, 1, col, None, "appears twice in the header.")
        seen.add(col)
    for col in table.column_names:
        if col not in seen:
            raise EvidenceError(table.name, 1, col, None, "is missing from the header.")
    for col in frame.columns:
        if col not in table.column_names:
            raise EvidenceError(table.name, 1, col, None, "is not a known column.")
    if frame.empty and not table.may_be_empty:
        raise EvidenceError(table.name, None, None, None, "has a header but no data rows.")


def _check_text(table: Table, frame: pd.DataFrame) -> None:
    required = {c.name for c in (*table.columns, *table.extra_columns) if c.required}
    for col in frame.columns:
        for row, value in enumerate(frame[col], start=2):
            if col in required and not value.strip():
                raise EvidenceError(table.name, row, col, value, "is blank; this column needs a value.")
            if len(value) > MAX_TEXT:
                raise EvidenceError(table.name, row, col, value, f"is longer than {MAX_TEXT} characters.")
            if "\x00" in value:
                raise EvidenceError(table.name, row, col, value, "contains a NUL byte.")


def _check_id(table: str, column: Column, values: pd.Series) -> None:
    seen: set[str] = set()
    rule = (
        "is not a valid id (lower-case letters, digits and underscores)."
        if column.pattern is SLUG
        else "is not a valid id (letters, digits and underscores)."
    )
    for row, value in enumerate(values, start=2):
        if not column.pattern.match(value):
            raise EvidenceError(table, row, column.name, value, rule)
        if value in seen:
            raise EvidenceError(table, row, column.name, value, "is a duplicate id; ids must be unique.")
        seen.add(value)


def _check_refs(table: str, column: Column, values: pd.Series, known: Mapping[str, set[str]]) -> None:
    for row, value in enumerate(values, start=2):
        items = [v.strip() for v in value.split(";")] if column.multiple else [value]
        for item in items:
            if not item and not column.required:
                continue  # a blank optional reference refers to nothing
            if item not in known[column.ref]:
                rule = (
                    f"does not match any {column.name.removesuffix('s')} in {column.ref}.csv."
                    if column.multiple
                    else f"does not match any id in {column.ref}.csv."
                )
                raise EvidenceError(table, row, column.name, item if column.multiple else value, rule)


def _bools(table: str, column: str, values: pd.Series) -> pd.Series:
    out = []
    for row, value in enumerate(values, start=2):
        key = value.strip().lower()
        if key not in BOOLEANS:
            raise EvidenceError(table, row, column, value, "must be true or false.")
        out.append(BOOLEANS[key])
    return pd.Series(out, index=values.index, dtype=bool)


def _numbers(table: str, column: Column, values: pd.Series) -> pd.Series:
    out = []
    for row, value in enumerate(values, start=2):
        if not column.required and not value.strip():
            out.append(np.nan)
            continue
        try:
            out.append(parse_number(value))
        except ValueError:
            raise EvidenceError(
                table, row, column.name, value, "is not a finite number written plainly (like 2 or 2.5)."
            ) from None
    return pd.Series(out, index=values.index, dtype=float)


def _check_dates(table: str, column: Column, values: pd.Series) -> None:
    for row, value in enumerate(values, start=2):
        if value and not DATE.match(value):
            raise EvidenceError(table, row, column.name, value, "must be YYYY, YYYY-MM or YYYY-MM-DD.")


def _check_choices(table: str, column: Column, values: pd.Series) -> None:
    for row, value in enumerate(values, start=2):
        if value not in column.choices:
            raise EvidenceError(table, row, column.name, value, column.choice_rule)


_CONVERT: dict[str, Callable[[str, Column, pd.Series], pd.Series]] = {
    "bool": lambda t, c, v: _bools(t, c.name, v),
    "number": _numbers,
}


def read_table(table: Table, text: str, known: Mapping[str, set[str]]) -> pd.DataFrame:
    """Parse and check one table; ``known`` holds the ids of the tables it refers to."""
    frame = parse_csv(table.name, text)
    _check_header(table, frame)
    _check_text(table, frame)
    for column in (*table.columns, *table.extra_columns):
        values = frame[column.name]
        if column.kind == "id":
            _check_id(table.name, column, values)
        if column.choices:
            _check_choices(table.name, column, values)
        if column.ref:
            _check_refs(table.name, column, values, known)
        if column.kind == "date":
            _check_dates(table.name, column, values)
        if column.kind in _CONVERT:
            frame[column.name] = _CONVERT[column.kind](table.name, column, values)
    return frame


def records(frame: pd.DataFrame, key: str) -> Mapping[str, Mapping[str, object]]:
    """Rows keyed by id, read-only, for constant-time lookups on every rerun."""
    from types import MappingProxyType

    return MappingProxyType({r[key]: MappingProxyType(r) for r in frame.to_dict("records")})
