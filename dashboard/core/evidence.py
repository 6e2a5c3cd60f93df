"""Load and validate the evidence base in ``data/``.

Every table is read as text and checked before anything is built from it. The first
problem found stops loading with an :class:`EvidenceError` whose message names the
file, the spreadsheet row (the header is row 1), the column, the value and the rule.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

FILES = ("sources", "quotes", "options", "criteria", "scores", "lenses", "facts", "editions")

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id", "publisher", "title", "author", "date", "url", "access_note", "post_seed"),
    "quotes": ("quote_id", "source_id", "text", "locator", "speaker", "post_seed", "caveat", "verbatim"),
    "options": ("option_id", "name", "short_name", "summary", "origin", "role", "post_seed", "supply_side"),
    "criteria": (
        "criterion_id",
        "name",
        "short_name",
        "direction",
        "scale_min",
        "scale_max",
        "definition",
        "scale_labels",
    ),
    "scores": ("option_id", "criterion_id", "likely", "low", "high", "rationale", "quote_ids"),
    "lenses": ("lens_id", "name", "description"),  # plus one weight column per criterion
    "editions": ("date", "summary"),
    "facts": (
        "fact_id",
        "label",
        "value",
        "unit",
        "qualifier",
        "period",
        "date",
        "quote_id",
        "post_seed",
        "note",
    ),
}

REQUIRED_TEXT: dict[str, tuple[str, ...]] = {
    "sources": ("source_id", "publisher", "title"),
    "quotes": ("quote_id", "source_id", "text", "locator", "speaker"),
    "options": ("option_id", "name", "short_name", "summary", "origin", "role"),
    "criteria": ("criterion_id", "name", "short_name", "direction", "definition", "scale_labels"),
    "scores": ("option_id", "criterion_id", "rationale", "quote_ids"),
    "lenses": ("lens_id", "name", "description"),
    "facts": ("fact_id", "label", "quote_id"),
    "editions": ("date", "summary"),
}

SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
QUOTE_ID = re.compile(r"^[A-Za-z0-9_]{1,32}$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
BOOLEANS = {"true": True, "false": False}
ROLES = ("option", "anti_option", "status_quo")
DIRECTIONS = ("benefit", "cost")
MAX_TEXT = 2000


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


@dataclass(frozen=True)
class Evidence:
    """The validated evidence base.

    Tables keep their CSV columns, with numbers and booleans converted. The arrays
    are ``(n_options, n_criteria)`` in the order of ``option_ids`` and ``criterion_ids``.
    """

    sources: pd.DataFrame
    quotes: pd.DataFrame
    options: pd.DataFrame
    criteria: pd.DataFrame
    scores: pd.DataFrame
    lenses: pd.DataFrame
    facts: pd.DataFrame
    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    likely: np.ndarray
    low: np.ndarray
    high: np.ndarray
    benefit: np.ndarray
    scale_min: np.ndarray
    scale_max: np.ndarray
    version: str
    edition: str  # the date of the newest edition of the evidence base (YYYY-MM-DD)

    option_names: Mapping[str, str]
    option_long_names: Mapping[str, str]
    option_roles: tuple[str, ...]
    option_post_seed: np.ndarray
    option_supply_side: np.ndarray
    criterion_names: Mapping[str, str]
    criterion_long_names: Mapping[str, str]
    scale_words: Mapping[str, tuple[str, ...]]
    lens_table: Mapping[str, Mapping[str, float]]
    criterion_rows: Mapping[str, Mapping[str, object]]
    score_rows: Mapping[tuple[str, str], Mapping[str, object]]
    quote_rows: Mapping[str, Mapping[str, object]]
    source_rows: Mapping[str, Mapping[str, object]]
    lens_rows: Mapping[str, Mapping[str, object]]

    @property
    def stamp(self) -> str:
        """The evidence version as people read it: its edition date and a short code."""
        year, month, day = (int(x) for x in self.edition.split("-"))
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return f"Evidence of {day} {months[month - 1]} {year} (code {self.version[:6]})"

    def lens_weights(self, lens_id: str) -> dict[str, float]:
        return dict(self.lens_table[lens_id])

    def option_name(self, option_id: str, short: bool = True) -> str:
        return (self.option_names if short else self.option_long_names)[option_id]

    def criterion_name(self, criterion_id: str, short: bool = True) -> str:
        return (self.criterion_names if short else self.criterion_long_names)[criterion_id]

    def scale_label(self, criterion_id: str, value: float) -> str:
        """The word for a score on a criterion's scale (nearest whole point)."""
        words = self.scale_words[criterion_id]
        j = self.criterion_ids.index(criterion_id)
        index = round(value - self.scale_min[j])
        return words[max(0, min(index, len(words) - 1))]


def _read(name: str, text: str) -> pd.DataFrame:
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


def _check_columns(name: str, frame: pd.DataFrame, expected: tuple[str, ...], extra_ok: bool = False) -> None:
    seen: set[str] = set()
    for col in frame.columns:
        if col in seen:
            raise EvidenceError(name, 1, col, None, "appears twice in the header.")
        seen.add(col)
    for col in expected:
        if col not in seen:
            raise EvidenceError(name, 1, col, None, "is missing from the header.")
    if not extra_ok:
        for col in frame.columns:
            if col not in expected:
                raise EvidenceError(name, 1, col, None, "is not a known column.")
    if frame.empty:
        raise EvidenceError(name, None, None, None, "has a header but no data rows.")


def _check_text(name: str, frame: pd.DataFrame, required: tuple[str, ...]) -> None:
    for col in frame.columns:
        for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
            if col in required and not value.strip():
                raise EvidenceError(name, row, col, value, "is blank; this column needs a value.")
            if len(value) > MAX_TEXT:
                raise EvidenceError(name, row, col, value, f"is longer than {MAX_TEXT} characters.")
            if "\x00" in value:
                raise EvidenceError(name, row, col, value, "contains a NUL byte.")


def _check_ids(name: str, frame: pd.DataFrame, col: str, pattern: re.Pattern[str]) -> None:
    seen: set[str] = set()
    for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
        if not pattern.match(value):
            raise EvidenceError(
                name,
                row,
                col,
                value,
                "is not a valid id (lower-case letters, digits and underscores)."
                if pattern is SLUG
                else "is not a valid id (letters, digits and underscores).",
            )
        if value in seen:
            raise EvidenceError(name, row, col, value, "is a duplicate id; ids must be unique.")
        seen.add(value)


def _check_refs(name: str, frame: pd.DataFrame, col: str, known: set[str], target: str) -> None:
    for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
        if value not in known:
            raise EvidenceError(name, row, col, value, f"does not match any id in {target}.csv.")


def _to_bool(name: str, frame: pd.DataFrame, col: str) -> pd.Series:
    out = []
    for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
        key = value.strip().lower()
        if key not in BOOLEANS:
            raise EvidenceError(name, row, col, value, "must be true or false.")
        out.append(BOOLEANS[key])
    return pd.Series(out, index=frame.index, dtype=bool)


def parse_number(text: str) -> float:
    """Parse a plainly written decimal number; reject ``1_000``, ``0x10``, ``1,5``, NaN and inf."""
    stripped = text.strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", stripped):
        raise ValueError(text)
    number = float(stripped)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _to_float(name: str, frame: pd.DataFrame, col: str, allow_blank: bool = False) -> pd.Series:
    out = []
    for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
        if allow_blank and not value.strip():
            out.append(np.nan)
            continue
        try:
            out.append(parse_number(value))
        except ValueError:
            raise EvidenceError(
                name, row, col, value, "is not a finite number written plainly (like 2 or 2.5)."
            ) from None
    return pd.Series(out, index=frame.index, dtype=float)


def build_evidence(texts: Mapping[str, str]) -> Evidence:
    """Validate the seven tables given as CSV text and build the evidence base.

    Parameters
    ----------
    texts
        Maps each name in :data:`FILES` to the CSV text of that table.

    Raises
    ------
    EvidenceError
        On the first problem found, naming file, row, column, value and rule.
    """
    for name in FILES:
        if name not in texts:
            raise EvidenceError(name, None, None, None, "is missing: the evidence base needs this table.")
    t = {name: _read(name, texts[name]) for name in FILES}

    crit = t["criteria"]
    _check_columns("criteria", crit, COLUMNS["criteria"])
    _check_text("criteria", crit, REQUIRED_TEXT["criteria"])
    _check_ids("criteria", crit, "criterion_id", SLUG)
    for row, value in zip(range(2, len(crit) + 2), crit["direction"], strict=True):
        if value not in DIRECTIONS:
            raise EvidenceError("criteria", row, "direction", value, "must be 'benefit' or 'cost'.")
    crit["scale_min"] = _to_float("criteria", crit, "scale_min")
    crit["scale_max"] = _to_float("criteria", crit, "scale_max")
    for row, (lo, hi, labels) in enumerate(
        zip(crit["scale_min"], crit["scale_max"], crit["scale_labels"], strict=True), start=2
    ):
        if not lo < hi:
            raise EvidenceError("criteria", row, "scale_max", hi, f"must be greater than scale_min ({lo:g}).")
        if lo != int(lo) or hi != int(hi):
            raise EvidenceError("criteria", row, "scale_min", lo, "scale ends must be whole numbers.")
        if len(labels.split("|")) != int(hi - lo) + 1:
            raise EvidenceError(
                "criteria",
                row,
                "scale_labels",
                labels,
                f"must give one label per scale point ({int(hi - lo) + 1}), separated by '|'.",
            )
    criterion_ids = tuple(crit["criterion_id"])

    src = t["sources"]
    _check_columns("sources", src, COLUMNS["sources"])
    _check_text("sources", src, REQUIRED_TEXT["sources"])
    _check_ids("sources", src, "source_id", SLUG)
    for row, (date, url) in enumerate(zip(src["date"], src["url"], strict=True), start=2):
        if date and not DATE.match(date):
            raise EvidenceError("sources", row, "date", date, "must be YYYY, YYYY-MM or YYYY-MM-DD.")
        if url and not re.match(r"^https?://[^\s\"'<>]+$", url):
            raise EvidenceError("sources", row, "url", url, "must be an http(s) address or blank.")
    src["post_seed"] = _to_bool("sources", src, "post_seed")

    quo = t["quotes"]
    _check_columns("quotes", quo, COLUMNS["quotes"])
    _check_text("quotes", quo, REQUIRED_TEXT["quotes"])
    _check_ids("quotes", quo, "quote_id", QUOTE_ID)
    _check_refs("quotes", quo, "source_id", set(src["source_id"]), "sources")
    quo["post_seed"] = _to_bool("quotes", quo, "post_seed")
    quo["verbatim"] = _to_bool("quotes", quo, "verbatim")

    opt = t["options"]
    _check_columns("options", opt, COLUMNS["options"])
    _check_text("options", opt, REQUIRED_TEXT["options"])
    _check_ids("options", opt, "option_id", SLUG)
    for row, value in zip(range(2, len(opt) + 2), opt["role"], strict=True):
        if value not in ROLES:
            raise EvidenceError("options", row, "role", value, f"must be one of {', '.join(ROLES)}.")
    if (opt["role"] == "status_quo").sum() != 1:
        raise EvidenceError("options", None, "role", None, "must mark exactly one option as status_quo.")
    opt["post_seed"] = _to_bool("options", opt, "post_seed")
    opt["supply_side"] = _to_bool("options", opt, "supply_side")
    option_ids = tuple(opt["option_id"])

    sco = t["scores"]
    _check_columns("scores", sco, COLUMNS["scores"])
    _check_text("scores", sco, REQUIRED_TEXT["scores"])
    _check_refs("scores", sco, "option_id", set(option_ids), "options")
    _check_refs("scores", sco, "criterion_id", set(criterion_ids), "criteria")
    for col in ("likely", "low", "high"):
        sco[col] = _to_float("scores", sco, col)
    scale = crit.set_index("criterion_id")
    known_quotes = set(quo["quote_id"])
    seen_pairs: set[tuple[str, str]] = set()
    for row, r in enumerate(sco.itertuples(index=False), start=2):
        pair = (r.option_id, r.criterion_id)
        if pair in seen_pairs:
            raise EvidenceError(
                "scores", row, "criterion_id", r.criterion_id, f"is scored twice for option '{r.option_id}'."
            )
        seen_pairs.add(pair)
        lo, hi = scale.at[r.criterion_id, "scale_min"], scale.at[r.criterion_id, "scale_max"]
        for col in ("likely", "low", "high"):
            value = getattr(r, col)
            if not lo <= value <= hi:
                raise EvidenceError(
                    "scores", row, col, value, f"is outside the scale of '{r.criterion_id}' ({lo:g} to {hi:g})."
                )
        if not r.low <= r.likely <= r.high:
            raise EvidenceError(
                "scores", row, "likely", r.likely, f"must lie between low ({r.low:g}) and high ({r.high:g})."
            )
        for qid in r.quote_ids.split(";"):
            if qid.strip() not in known_quotes:
                raise EvidenceError("scores", row, "quote_ids", qid, "does not match any quote_id in quotes.csv.")
    for oid in option_ids:
        for cid in criterion_ids:
            if (oid, cid) not in seen_pairs:
                raise EvidenceError("scores", None, "criterion_id", cid, f"has no score for option '{oid}'.")

    lens = t["lenses"]
    _check_columns("lenses", lens, COLUMNS["lenses"] + criterion_ids)
    _check_text("lenses", lens, REQUIRED_TEXT["lenses"])
    _check_ids("lenses", lens, "lens_id", SLUG)
    for cid in criterion_ids:
        lens[cid] = _to_float("lenses", lens, cid)
        for row, value in zip(range(2, len(lens) + 2), lens[cid], strict=True):
            if value < 0:
                raise EvidenceError("lenses", row, cid, value, "is negative; weights must be zero or more.")
    for row, total in zip(range(2, len(lens) + 2), lens[list(criterion_ids)].sum(axis=1), strict=True):
        if total <= 0:
            raise EvidenceError("lenses", row, None, None, "has all weights zero; at least one must be positive.")

    fac = t["facts"]
    _check_columns("facts", fac, COLUMNS["facts"])
    _check_text("facts", fac, REQUIRED_TEXT["facts"])
    _check_ids("facts", fac, "fact_id", SLUG)
    _check_refs("facts", fac, "quote_id", known_quotes, "quotes")
    fac["value"] = _to_float("facts", fac, "value", allow_blank=True)
    for row, date in zip(range(2, len(fac) + 2), fac["date"], strict=True):
        if date and not DATE.match(date):
            raise EvidenceError("facts", row, "date", date, "must be YYYY, YYYY-MM or YYYY-MM-DD.")
    fac["post_seed"] = _to_bool("facts", fac, "post_seed")

    edi = t["editions"]
    _check_columns("editions", edi, COLUMNS["editions"])
    _check_text("editions", edi, REQUIRED_TEXT["editions"])
    previous = ""
    for row, date in zip(range(2, len(edi) + 2), edi["date"], strict=True):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise EvidenceError("editions", row, "date", date, "must be YYYY-MM-DD.")
        if date <= previous:
            raise EvidenceError("editions", row, "date", date, "must be later than the edition above it.")
        previous = date

    grid = sco.set_index(["option_id", "criterion_id"])
    arrays = {
        col: np.array([[grid.at[(o, c), col] for c in criterion_ids] for o in option_ids], dtype=float)
        for col in ("likely", "low", "high")
    }
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8", "surrogatepass") + b"\0")

    return Evidence(
        sources=src,
        quotes=quo,
        options=opt,
        criteria=crit,
        scores=sco,
        lenses=lens,
        facts=fac,
        option_ids=option_ids,
        criterion_ids=criterion_ids,
        likely=arrays["likely"],
        low=arrays["low"],
        high=arrays["high"],
        benefit=(crit["direction"] == "benefit").to_numpy(),
        scale_min=crit["scale_min"].to_numpy(dtype=float),
        scale_max=crit["scale_max"].to_numpy(dtype=float),
        version=digest.hexdigest()[:12],
        edition=previous,
        option_names=MappingProxyType(dict(zip(opt["option_id"], opt["short_name"], strict=True))),
        option_long_names=MappingProxyType(dict(zip(opt["option_id"], opt["name"], strict=True))),
        option_roles=tuple(opt["role"]),
        option_post_seed=opt["post_seed"].to_numpy(dtype=bool),
        option_supply_side=opt["supply_side"].to_numpy(dtype=bool),
        criterion_names=MappingProxyType(dict(zip(crit["criterion_id"], crit["short_name"], strict=True))),
        criterion_long_names=MappingProxyType(dict(zip(crit["criterion_id"], crit["name"], strict=True))),
        scale_words=MappingProxyType(
            {c: tuple(s.split("|")) for c, s in zip(crit["criterion_id"], crit["scale_labels"], strict=True)}
        ),
        lens_table=MappingProxyType(
            {r["lens_id"]: MappingProxyType({c: float(r[c]) for c in criterion_ids}) for _, r in lens.iterrows()}
        ),
        criterion_rows=_records(crit, "criterion_id"),
        score_rows=MappingProxyType(
            {(r["option_id"], r["criterion_id"]): MappingProxyType(r) for r in sco.to_dict("records")}
        ),
        quote_rows=_records(quo, "quote_id"),
        source_rows=_records(src, "source_id"),
        lens_rows=_records(lens, "lens_id"),
    )


def _records(frame: pd.DataFrame, key: str) -> Mapping[str, Mapping[str, object]]:
    """Rows keyed by id, read-only, for constant-time lookups on every rerun."""
    return MappingProxyType({r[key]: MappingProxyType(r) for r in frame.to_dict("records")})


def read_tables(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Read the CSV text of every evidence table from ``data_dir``."""
    texts = {}
    for name in FILES:
        path = data_dir / f"{name}.csv"
        if not path.exists():
            raise EvidenceError(name, None, None, None, f"is missing: expected it at {path}.")
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise EvidenceError(name, None, None, None, "is not UTF-8 text.") from None
    return texts


def load_evidence(data_dir: Path = DATA_DIR) -> Evidence:
    """Read and validate the evidence base in ``data_dir``."""
    return build_evidence(read_tables(data_dir))
