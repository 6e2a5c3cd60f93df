"""Load and validate the evidence base in ``data/``.

Each table is declared once (:data:`TABLES`) and checked by one loop (:func:`core.tables.read_table`);
the rules that span rows or tables follow in small functions. The first problem found stops
loading with an :class:`EvidenceError` whose message names the file, the spreadsheet row (the
header is row 1), the column, the value and the rule.

The :class:`Evidence` is shared by every session of the server, so nothing in it can be changed:
its arrays are read-only, its rows are read-only mappings, and its tables are handed out as copies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from core.evidence_rules import (
    MARCH_2022,
    NO_SOURCE,
    NO_SOURCE_2022,
    TODAY,
    check_editions,
    check_lenses,
    check_measures,
    check_options,
    check_scales,
    check_score_quotes,
    check_scores,
    check_scores_2022,
    check_sources,
    split_quote_ids,
)
from core.evidence_schema import AS_OF_2022, COLUMNS, FILES, TABLES, Direction, read_all
from core.tables import (
    EvidenceError,
    parse_number,
    records,
)

__all__ = [
    "AS_OF_2022",
    "COLUMNS",
    "DATA_DIR",
    "FILES",
    "MARCH_2022",
    "NO_SOURCE",
    "NO_SOURCE_2022",
    "TABLES",
    "TODAY",
    "Direction",
    "Evidence",
    "EvidenceError",
    "build_evidence",
    "parse_number",
    "split_quote_ids",
]

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Evidence:
    """The validated evidence base.

    Arrays are ``(n_options, n_criteria)`` in the order of ``option_ids`` and ``criterion_ids``, and
    read-only. ``version`` names the sourced tables; ``edits`` is empty for the sourced evidence and
    a digest of the user's own edits for a session's edited copy (see :mod:`core.edits`).
    """

    tables: Mapping[str, pd.DataFrame]
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
    option_views: tuple[str, ...]  # "both", "march_2022" or "today": the evidence dates an option belongs to
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
    option_rows: Mapping[str, Mapping[str, object]]
    fact_rows: Mapping[str, Mapping[str, object]]
    measure_rows: Mapping[str, Mapping[str, object]]
    interaction_rows: Mapping[str, Mapping[str, object]]  # sourced interactions between options in a package
    later_cells: frozenset[tuple[str, str]]  # (option, criterion) scores resting on evidence from after the article
    unsourced_cells: frozenset[tuple[str, str]]  # scores no source speaks to: our judgement alone
    edits: str = ""
    view: str = TODAY  # "today": all the evidence; "march_2022": only what was knowable then

    # Tables are handed out as copies: a session may reshape what it gets, never what others see.
    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name].copy()

    @property
    def sources(self) -> pd.DataFrame:
        return self.table("sources")

    @property
    def quotes(self) -> pd.DataFrame:
        return self.table("quotes")

    @property
    def options(self) -> pd.DataFrame:
        return self.table("options")

    @property
    def criteria(self) -> pd.DataFrame:
        return self.table("criteria")

    @property
    def scores(self) -> pd.DataFrame:
        return self.table("scores")

    @property
    def lenses(self) -> pd.DataFrame:
        return self.table("lenses")

    @property
    def facts(self) -> pd.DataFrame:
        return self.table("facts")

    @property
    def scores_2022(self) -> pd.DataFrame:
        """The scores as knowable in March 2022, for the cells whose score rests on later evidence."""
        return self.table(AS_OF_2022)

    @property
    def user_edited(self) -> bool:
        """True for a session's copy with the user's own scores or options."""
        return bool(self.edits)

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies these numbers in a cache: the sourced version, the evidence date and any edits."""
        return (self.version, self.view, self.edits)

    @property
    def current_to(self) -> str:
        """How current the evidence is, as people read it: "Evidence current to 3 Dec 2026"."""
        year, month, day = (int(x) for x in self.edition.split("-"))
        months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return f"Evidence current to {day} {months[month - 1]} {year}"

    @property
    def stamp(self) -> str:
        """How current the evidence is, and a short code that names this very edition."""
        return f"{self.current_to} (edition {self.version[:6]})"

    @property
    def as_of_march_2022(self) -> bool:
        """Only what was knowable in March 2022, the article's date (not everything known today)."""
        return self.view == MARCH_2022

    def options_in_view(self, include_post_seed: bool) -> np.ndarray:
        """The one rule for which options are in view (a mask over ``option_ids``).

        An option is in view when it belongs to this evidence date (its ``views``), is not a measure that
        has lapsed (history, never a live lever), and, if it comes from after the article, only when asked
        for and never in the March 2022 view. Each date's status quo is always in view: it is the baseline.
        """
        belongs = np.array([v in ("both", self.view) for v in self.option_views], dtype=bool)
        live = np.array([r != "lapsed" for r in self.option_roles], dtype=bool)
        baseline = np.array([r == "status_quo" for r in self.option_roles], dtype=bool)
        later_shown = bool(include_post_seed) and not self.as_of_march_2022
        return belongs & live & (~self.option_post_seed | later_shown | baseline)

    def measures_in_force(self) -> list[Mapping[str, object]]:
        """The measures in force at the edition's date (none ended by then), oldest first."""
        return sorted(
            (m for m in self.measure_rows.values() if not m["in_force_until"] or m["in_force_until"] > self.edition),
            key=lambda m: str(m["in_force_from"]),
        )

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


def read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _check_across(t: Mapping[str, pd.DataFrame]) -> str:
    """The rules that span rows or tables, in order; returns the edition's date."""
    crit, opt = t["criteria"], t["options"]
    check_scales(crit)
    check_sources(t["sources"])
    check_options(opt)
    check_scores(t["scores"], crit, tuple(opt["option_id"]))
    check_scores_2022(t)
    check_score_quotes("scores", t["scores"], t["quotes"])
    check_score_quotes("scores_as_of_2022", t["scores_as_of_2022"], t["quotes"])
    check_measures(t["measures"])
    check_lenses(t["lenses"], tuple(crit["criterion_id"]))
    return check_editions(t["editions"])


def _version(texts: Mapping[str, str]) -> str:
    """A short digest of every table's text: it names this very edition of the evidence."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:12]


def _names(frame: pd.DataFrame, key: str, col: str) -> Mapping[str, str]:
    return MappingProxyType(dict(zip(frame[key], frame[col], strict=True)))


def _score_parts(t: Mapping[str, pd.DataFrame], option_ids: tuple, criterion_ids: tuple) -> dict:
    """The likely, low and high score arrays (options x criteria), the score rows, and which cells rest on
    later or on no quotes."""
    sco = t["scores"]
    post_quote = dict(zip(t["quotes"]["quote_id"], t["quotes"]["post_seed"], strict=True))
    cited = {(r.option_id, r.criterion_id): split_quote_ids(r.quote_ids) for r in sco.itertuples(index=False)}
    grid = sco.set_index(["option_id", "criterion_id"])
    arrays = {
        col: read_only(np.array([[grid.at[(o, c), col] for c in criterion_ids] for o in option_ids], dtype=float))
        for col in ("likely", "low", "high")
    }
    return arrays | {
        "score_rows": MappingProxyType(
            {(r["option_id"], r["criterion_id"]): MappingProxyType(r) for r in sco.to_dict("records")}
        ),
        "later_cells": frozenset(cell for cell, qids in cited.items() if any(post_quote[q] for q in qids)),
        "unsourced_cells": frozenset(cell for cell, qids in cited.items() if not qids),
    }


def _criterion_parts(crit: pd.DataFrame, lens: pd.DataFrame) -> dict:
    """The criteria's directions, scales, names and words, and the lenses' weights."""
    criterion_ids = tuple(crit["criterion_id"])
    return {
        "benefit": read_only((crit["direction"] == "benefit").to_numpy()),
        "scale_min": read_only(crit["scale_min"].to_numpy(dtype=float)),
        "scale_max": read_only(crit["scale_max"].to_numpy(dtype=float)),
        "criterion_names": _names(crit, "criterion_id", "short_name"),
        "criterion_long_names": _names(crit, "criterion_id", "name"),
        "scale_words": MappingProxyType(
            {c: tuple(s.split("|")) for c, s in zip(crit["criterion_id"], crit["scale_labels"], strict=True)}
        ),
        "lens_table": MappingProxyType(
            {r["lens_id"]: MappingProxyType({c: float(r[c]) for c in criterion_ids}) for _, r in lens.iterrows()}
        ),
    }


def build_evidence(texts: Mapping[str, str]) -> Evidence:
    """Validate the tables given as CSV text (one per name in :data:`FILES`) and build the evidence base.

    Raises
    ------
    EvidenceError
        On the first problem found, naming file, row, column, value and rule.
    """
    t = read_all(texts)
    crit, opt, lens = t["criteria"], t["options"], t["lenses"]
    edition = _check_across(t)
    option_ids, criterion_ids = tuple(opt["option_id"]), tuple(crit["criterion_id"])
    return Evidence(
        tables=MappingProxyType(dict(t)),
        option_ids=option_ids,
        criterion_ids=criterion_ids,
        version=_version(texts),
        edition=edition,
        option_names=_names(opt, "option_id", "short_name"),
        option_long_names=_names(opt, "option_id", "name"),
        option_roles=tuple(opt["role"]),
        option_views=tuple(opt["views"]),
        option_post_seed=read_only(opt["post_seed"].to_numpy(dtype=bool)),
        option_supply_side=read_only(opt["supply_side"].to_numpy(dtype=bool)),
        criterion_rows=records(crit, "criterion_id"),
        quote_rows=records(t["quotes"], "quote_id"),
        source_rows=records(t["sources"], "source_id"),
        lens_rows=records(lens, "lens_id"),
        option_rows=records(opt, "option_id"),
        fact_rows=records(t["facts"], "fact_id"),
        measure_rows=records(t["measures"], "measure_id"),
        interaction_rows=records(t["interactions"], "interaction_id"),
        **_criterion_parts(crit, lens),
        **_score_parts(t, option_ids, criterion_ids),
    )


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
