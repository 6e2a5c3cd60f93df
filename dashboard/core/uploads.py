"""An uploaded score table (CSV or JSON records) read as text cells, with a clear message for each way it can be bad.

What the rows mean (edits of sourced scores, or the user's own options) is :mod:`core.edits`' business.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from core.evidence import EvidenceError

UPLOAD_COLUMNS = ("option_id", "criterion_id", "likely", "low", "high", "rationale")
OPTIONAL_COLUMNS = ("option_name",)
MAX_UPLOAD_BYTES = 1_048_576  # the uploader says "1MB per file": the same limit


def plain_text(value: object, n: int, label: str, column: str, limit: int) -> str:
    """``value`` as text, or :class:`EvidenceError` naming the row and column if it is too long, holds a NUL or
    cannot be written as UTF-8."""
    text = str(value or "")
    ok = len(text) <= limit and "\x00" not in text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        ok = False
    if not ok:
        raise EvidenceError(label, n, column, text, f"must be plain text of at most {limit} characters.")
    return text


def _upload_text(label: str, raw: bytes) -> str:
    if not raw or not raw.strip():
        raise EvidenceError(label, None, None, None, "is empty.")
    if len(raw) > MAX_UPLOAD_BYTES:
        raise EvidenceError(label, None, None, None, f"is {len(raw):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}.")
    if b"\x00" in raw:
        raise EvidenceError(label, None, None, None, "is binary, not a CSV or JSON table.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError(label, None, None, None, "is not UTF-8 text; save it as UTF-8 and try again.") from None


def _json_rows(label: str, text: str) -> pd.DataFrame:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise EvidenceError(label, None, None, None, "is not valid JSON.") from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise EvidenceError(label, None, None, None, "must be a JSON list of row objects.")
    for n, row in enumerate(data, start=2):
        for key, cell in row.items():
            if not isinstance(cell, (str, int, float, bool)) and cell is not None:
                raise EvidenceError(label, n, str(key)[:40], None, "must hold a single value, not a list or object.")
            if isinstance(cell, str):
                plain_text(cell, n, label, str(key)[:40], 2000)
    return pd.DataFrame(data).astype(str)


def _csv_rows(label: str, text: str) -> pd.DataFrame:
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if r]
    except csv.Error as err:
        raise EvidenceError(label, None, None, None, f"is not a well-formed CSV table ({err}).") from None
    if not rows:
        raise EvidenceError(label, None, None, None, "is empty.")
    header = [c.strip() for c in rows[0]]
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise EvidenceError(
                label, n, None, None, f"has {len(r)} cells but the header has {len(header)}: the table is ragged."
            )
    return pd.DataFrame(rows[1:], columns=header, dtype=str) if len(rows) > 1 else pd.DataFrame(columns=header)


def read_upload(name: str, raw: bytes) -> pd.DataFrame:
    """Read an uploaded score table (CSV or JSON records) as text cells, or raise :class:`EvidenceError`."""
    label = "".join(ch for ch in name if ch.isprintable())[:80] or "upload.csv"
    text = _upload_text(label, raw)
    frame = _json_rows(label, text) if name.lower().endswith(".json") else _csv_rows(label, text)
    cols = [str(c).strip() for c in frame.columns]
    for col in cols:
        if cols.count(col) > 1:
            raise EvidenceError(label, 1, col, None, "appears twice in the header.")
    frame.columns = cols
    for col in UPLOAD_COLUMNS:
        if col not in cols:
            raise EvidenceError(label, 1, col, None, "is missing from the header.")
    if frame.empty:
        raise EvidenceError(label, None, None, None, "has a header but no data rows.")
    if len(frame) > 2000:
        raise EvidenceError(label, None, None, None, "has more than 2,000 rows.")
    return frame[list(UPLOAD_COLUMNS) + [c for c in OPTIONAL_COLUMNS if c in cols]]
