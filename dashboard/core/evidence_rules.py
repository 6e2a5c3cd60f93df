"""The evidence base's rules across rows and tables: each raises :class:`EvidenceError` naming the file, the
spreadsheet row, the column, the value and the rule. :mod:`core.evidence` runs them after reading each table."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from core.tables import DAY, EvidenceError

# A score cell with blank quote_ids rests on no source; its rationale must begin with this.
NO_SOURCE = "No source: our judgement."
# An as-of-2022 row with no pre-article source takes the middle of the scale, with the full range, and says so.
NO_SOURCE_2022 = "No source before March 2022: the middle of the scale, with the full range."
# Where a quote's words were read: on the publisher's own page, in a copy that reproduces them ("as reported
# by"), or not checked (a summary, or a copy that cannot be trusted). Only words that were read set a score.
CHECKED = ("publisher", "copy", "unchecked")
# The two evidence dates: what was knowable in March 2022 (the article), and everything known today.
MARCH_2022, TODAY = "march_2022", "today"
VIEWS = ("both", MARCH_2022, TODAY)


def check_scales(crit: pd.DataFrame) -> None:
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


def check_sources(src: pd.DataFrame) -> None:
    for row, url in enumerate(src["url"], start=2):
        if url and not re.match(r"^https?://[^\s\"'<>]+$", url):
            raise EvidenceError("sources", row, "url", url, "must be an http(s) address or blank.")


def check_options(opt: pd.DataFrame) -> None:
    """One status quo per evidence date; a measure's life runs forwards, and an ended one says why."""
    for view in (MARCH_2022, TODAY):
        baselines = opt[(opt["role"] == "status_quo") & opt["views"].isin(["both", view])]
        if len(baselines) != 1:
            raise EvidenceError(
                "options", None, "role", None, f"must mark exactly one option as status_quo in the {view} view."
            )
    for row, r in enumerate(opt.itertuples(index=False), start=2):
        check_life("options", row, r.in_force_from, r.in_force_until, r.ended_why)
        if r.role == "lapsed" and not r.in_force_until:
            raise EvidenceError(
                "options", row, "in_force_until", r.in_force_until, "must say when a lapsed measure ended."
            )


def check_life(name: str, row: int, start: str, until: str, why: str) -> None:
    """A measure's life: in force from a date, until a later one (or still in force), and why it ended."""
    if until and not start:
        raise EvidenceError(name, row, "in_force_from", start, "must be given when in_force_until is.")
    if start and until and until < start:
        raise EvidenceError(name, row, "in_force_until", until, f"must not be before in_force_from ({start}).")
    if bool(until) != bool(why):
        raise EvidenceError(name, row, "ended_why", why, "must say why a measure ended exactly when it has ended.")


def check_measures(mea: pd.DataFrame) -> None:
    for row, r in enumerate(mea.itertuples(index=False), start=2):
        check_life("measures", row, r.in_force_from, r.in_force_until, r.ended_why)


def check_score_quotes(name: str, frame: pd.DataFrame, quotes: pd.DataFrame) -> None:
    """A score rests only on quotes whose own words were read (verbatim, on the publisher's page or a copy)."""
    rows = quotes.set_index("quote_id")
    for row, r in enumerate(frame.itertuples(index=False), start=2):
        for qid in split_quote_ids(r.quote_ids):
            if not rows.at[qid, "verbatim"] or rows.at[qid, "checked"] == "unchecked":
                raise EvidenceError(
                    name, row, "quote_ids", qid, "is a quote whose words were not read (a summary or unchecked copy)."
                )


def split_quote_ids(text: object) -> tuple[str, ...]:
    """The quote ids of a ``quote_ids`` cell, ``;``-separated; blank means no source: ``()``."""
    text = str(text).strip()
    return tuple(q.strip() for q in text.split(";")) if text else ()


def check_range(name: str, row: int, r: object, scale: pd.DataFrame) -> None:
    lo, hi = scale.at[r.criterion_id, "scale_min"], scale.at[r.criterion_id, "scale_max"]
    for col in ("likely", "low", "high"):
        value = getattr(r, col)
        if not lo <= value <= hi:
            raise EvidenceError(
                name, row, col, value, f"is outside the scale of '{r.criterion_id}' ({lo:g} to {hi:g})."
            )
    if not r.low <= r.likely <= r.high:
        raise EvidenceError(name, row, "likely", r.likely, f"must lie between low ({r.low:g}) and high ({r.high:g}).")


def check_scores(sco: pd.DataFrame, crit: pd.DataFrame, option_ids: tuple[str, ...]) -> None:
    scale = crit.set_index("criterion_id")
    seen: set[tuple[str, str]] = set()
    for row, r in enumerate(sco.itertuples(index=False), start=2):
        if (r.option_id, r.criterion_id) in seen:
            raise EvidenceError(
                "scores", row, "criterion_id", r.criterion_id, f"is scored twice for option '{r.option_id}'."
            )
        seen.add((r.option_id, r.criterion_id))
        check_range("scores", row, r, scale)
        if not split_quote_ids(r.quote_ids) and not r.rationale.startswith(NO_SOURCE):
            raise EvidenceError(
                "scores", row, "rationale", r.rationale, f"must begin '{NO_SOURCE}' when quote_ids is blank."
            )
    for oid in option_ids:
        for cid in crit["criterion_id"]:
            if (oid, cid) not in seen:
                raise EvidenceError("scores", None, "criterion_id", cid, f"has no score for option '{oid}'.")


def cells_needing_2022(t: Mapping[str, pd.DataFrame]) -> set[tuple[str, str]]:
    """The 2022 options' cells whose score cites a quote from after the article."""
    post_option = dict(zip(t["options"]["option_id"], t["options"]["post_seed"], strict=True))
    post_quote = dict(zip(t["quotes"]["quote_id"], t["quotes"]["post_seed"], strict=True))
    return {
        (r.option_id, r.criterion_id)
        for r in t["scores"].itertuples(index=False)
        if not post_option[r.option_id] and any(post_quote[q] for q in split_quote_ids(r.quote_ids))
    }


def check_scores_2022(t: Mapping[str, pd.DataFrame]) -> None:
    """Every 2022-option cell resting on later evidence has one row, citing only earlier quotes."""
    name, frame = "scores_as_of_2022", t["scores_as_of_2022"]
    scale = t["criteria"].set_index("criterion_id")
    post_option = dict(zip(t["options"]["option_id"], t["options"]["post_seed"], strict=True))
    post_quote = dict(zip(t["quotes"]["quote_id"], t["quotes"]["post_seed"], strict=True))
    needed, seen = cells_needing_2022(t), set()
    for row, r in enumerate(frame.itertuples(index=False), start=2):
        pair = (r.option_id, r.criterion_id)
        if post_option[r.option_id]:
            raise EvidenceError(name, row, "option_id", r.option_id, "is an option from after the article.")
        if pair in seen:
            raise EvidenceError(name, row, "criterion_id", r.criterion_id, f"is listed twice for '{r.option_id}'.")
        if pair not in needed:
            raise EvidenceError(
                name,
                row,
                "criterion_id",
                r.criterion_id,
                f"is not needed for '{r.option_id}': its cell in scores.csv cites no post-article quote.",
            )
        seen.add(pair)
        check_range(name, row, r, scale)
        qids = split_quote_ids(r.quote_ids)
        for qid in qids:
            if post_quote[qid]:
                raise EvidenceError(name, row, "quote_ids", qid, "is a quote from after the article (March 2022).")
        if not qids and not r.rationale.startswith(NO_SOURCE_2022):
            raise EvidenceError(
                name, row, "rationale", r.rationale, f"must begin '{NO_SOURCE_2022}' when quote_ids is blank."
            )
    for option_id, criterion_id in sorted(needed - seen):
        raise EvidenceError(
            name,
            None,
            "criterion_id",
            criterion_id,
            f"has no row for '{option_id}', whose score in scores.csv cites a post-article quote.",
        )


def check_lenses(lens: pd.DataFrame, criterion_ids: tuple[str, ...]) -> None:
    for cid in criterion_ids:
        for row, value in enumerate(lens[cid], start=2):
            if value < 0:
                raise EvidenceError("lenses", row, cid, value, "is negative; weights must be zero or more.")
    for row, total in enumerate(lens[list(criterion_ids)].sum(axis=1), start=2):
        if total <= 0:
            raise EvidenceError("lenses", row, None, None, "has all weights zero; at least one must be positive.")


def check_editions(edi: pd.DataFrame) -> str:
    previous = ""
    for row, date in enumerate(edi["date"], start=2):
        if not DAY.match(date):
            raise EvidenceError("editions", row, "date", date, "must be YYYY-MM-DD.")
        if date <= previous:
            raise EvidenceError("editions", row, "date", date, "must be later than the edition above it.")
        previous = date
    return previous
