"""A user's own scores and options, applied on top of the sourced evidence.

The result is a new :class:`Evidence` for that user's session only; the sourced evidence is
never changed. Every edited cell is marked as the user's (``user_edit``) and cites no quote.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from core.evidence import Evidence, EvidenceError, parse_number, read_only
from core.facts import sources_of
from core.scenario import CUSTOM_ID, CustomOption, Scenario, ScoreOverride
from core.scoring import InputError
from core.text import clean, quoted
from core.uploads import plain_text

USER_ORIGIN = "Your own option (not from a source)"


def has_edits(scenario: Scenario) -> bool:
    return bool(scenario.overrides or scenario.custom_options)


def _edits_digest(scenario: Scenario) -> str:
    text = repr((scenario.overrides, scenario.custom_options)).encode()
    return hashlib.sha256(text).hexdigest()[:8]


def _custom_record(c: CustomOption) -> dict:
    """The options-table row of a user's own option."""
    return {
        "option_id": c.option_id,
        "name": c.name,
        "short_name": c.name + " (yours)",
        "summary": c.rationale,
        "origin": USER_ORIGIN,
        "role": "option",
        "post_seed": False,
        "supply_side": False,
        "views": "both",
        "in_force_from": "",
        "in_force_until": "",
        "ended_why": "",
        "life_quote_id": "",
    }


def _overridden(base: Evidence, scenario: Scenario) -> tuple[dict[str, np.ndarray], dict]:
    """The score arrays (copies) and score rows with the scenario's score edits applied."""
    arrays = {"likely": base.likely.copy(), "low": base.low.copy(), "high": base.high.copy()}
    score_rows = dict(base.score_rows)
    for o in scenario.overrides:
        if o.option_id not in base.option_ids or o.criterion_id not in base.criterion_ids:
            raise InputError(
                f"A score edit refers to an unknown cell ({quoted(o.option_id)}, {quoted(o.criterion_id)})."
            )
        i, j = base.option_ids.index(o.option_id), base.criterion_ids.index(o.criterion_id)
        arrays["likely"][i, j], arrays["low"][i, j], arrays["high"][i, j] = o.likely, o.low, o.high
        score_rows[(o.option_id, o.criterion_id)] = _user_row(o)
    return arrays, score_rows


def _with_custom_options(base: Evidence, scenario: Scenario, arrays: dict, score_rows: dict) -> dict:
    """The option fields of the evidence with the user's own options added at the end (``arrays`` and
    ``score_rows`` grow with them)."""
    fields = {
        "option_ids": list(base.option_ids),
        "option_names": dict(base.option_names),
        "option_long_names": dict(base.option_long_names),
        "option_roles": list(base.option_roles),
        "option_views": list(base.option_views),
        "option_post_seed": list(base.option_post_seed),
        "option_supply_side": list(base.option_supply_side),
        "option_rows": dict(base.option_rows),
    }
    new_rows = []
    for c in scenario.custom_options:
        if c.option_id in fields["option_ids"]:
            raise InputError(f"The custom option id {quoted(c.option_id)} is already taken.")
        by_criterion = {cid: (lo, li, hi) for cid, lo, li, hi in c.scores}
        row = [by_criterion[cid] for cid in base.criterion_ids]
        for k, name in enumerate(("low", "likely", "high")):
            arrays[name] = np.vstack([arrays[name], [r[k] for r in row]])
        fields["option_ids"].append(c.option_id)
        fields["option_names"][c.option_id] = fields["option_long_names"][c.option_id] = c.name + " (yours)"
        for name, value in (("option_roles", "option"), ("option_views", "both")):
            fields[name].append(value)
        fields["option_post_seed"].append(False)
        fields["option_supply_side"].append(False)
        new_rows.append(_custom_record(c))
        fields["option_rows"][c.option_id] = MappingProxyType(new_rows[-1])
        for cid, (lo, li, hi) in by_criterion.items():
            score_rows[(c.option_id, cid)] = _user_row(ScoreOverride(c.option_id, cid, li, lo, hi, c.rationale))
    tables = dict(base.tables)
    if new_rows:
        tables["options"] = pd.concat([base.tables["options"], pd.DataFrame(new_rows)], ignore_index=True)
    tables["scores"] = pd.DataFrame(list(score_rows.values()))
    return {
        "tables": MappingProxyType(tables),
        "option_ids": tuple(fields["option_ids"]),
        "option_names": MappingProxyType(fields["option_names"]),
        "option_long_names": MappingProxyType(fields["option_long_names"]),
        "option_roles": tuple(fields["option_roles"]),
        "option_views": tuple(fields["option_views"]),
        "option_post_seed": read_only(np.array(fields["option_post_seed"], dtype=bool)),
        "option_supply_side": read_only(np.array(fields["option_supply_side"], dtype=bool)),
        "option_rows": MappingProxyType(fields["option_rows"]),
    }


def evidence_with_edits(base: Evidence, scenario: Scenario) -> Evidence:
    """The evidence with the scenario's score edits and custom options applied (a new, read-only copy)."""
    if not has_edits(scenario):
        return base
    arrays, score_rows = _overridden(base, scenario)
    options = _with_custom_options(base, scenario, arrays, score_rows)  # grows arrays and score_rows
    yours = frozenset((o.option_id, o.criterion_id) for o in scenario.overrides)
    return replace(
        base,
        **options,
        **{name: read_only(array) for name, array in arrays.items()},
        edits=_edits_digest(scenario),
        score_rows=MappingProxyType(score_rows),
        # The user's own scores rest on no source but theirs: they are marked as theirs instead.
        later_cells=base.later_cells - yours,
        unsourced_cells=base.unsourced_cells - yours,
    )


def _user_row(edit: ScoreOverride) -> MappingProxyType:
    """A score row for the user's own score: marked as theirs, citing no quote."""
    return MappingProxyType(
        {
            "option_id": edit.option_id,
            "criterion_id": edit.criterion_id,
            "likely": edit.likely,
            "low": edit.low,
            "high": edit.high,
            "rationale": edit.rationale,
            "quote_ids": "",
            "user_edit": True,
        }
    )


def _row_scores(base: Evidence, r: dict, n: int, label: str, cid: str) -> dict[str, float]:
    """The checked likely/low/high of one table row; raises :class:`EvidenceError` naming the cell."""
    values = {}
    for col in ("likely", "low", "high"):
        raw = r.get(col)
        try:
            number = (
                float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parse_number(str(raw))
            )
        except ValueError:
            number = float("nan")
        if not np.isfinite(number):
            raise EvidenceError(label, n, col, raw, "is not a finite number written plainly (like 2 or 2.5).")
        values[col] = number
    j = base.criterion_ids.index(cid)
    for col, v in values.items():
        if not base.scale_min[j] <= v <= base.scale_max[j]:
            raise EvidenceError(
                label, n, col, v, f"is outside the scale of '{cid}' ({base.scale_min[j]:g} to {base.scale_max[j]:g})."
            )
    if not values["low"] <= values["likely"] <= values["high"]:
        raise EvidenceError(
            label,
            n,
            "likely",
            values["likely"],
            f"must lie between low ({values['low']:g}) and high ({values['high']:g}).",
        )
    return values


def _rationale(r: dict, n: int, label: str) -> str:
    return plain_text(r.get("rationale", ""), n, label, "rationale", 500)


def _row_ids(base: Evidence, r: dict, n: int, label: str, allow_new_options: bool) -> tuple[str, str, bool]:
    """A row's option and criterion ids, and whether the option is a sourced one; raises on a bad id."""
    oid, cid = str(r.get("option_id", "")).strip(), str(r.get("criterion_id", "")).strip()
    known = oid in base.option_ids
    if not known and not allow_new_options:
        raise EvidenceError(label, n, "option_id", oid, "does not match any option; add your own option first.")
    if not known and not CUSTOM_ID.fullmatch(oid):
        raise EvidenceError(
            label, n, "option_id", oid, "is not a known option, nor a valid id for a new one (a-z, 0-9, _)."
        )
    if cid not in base.criterion_ids:
        raise EvidenceError(label, n, "criterion_id", cid, "does not match any criterion.")
    return oid, cid, known


def _edit_or_none(base: Evidence, oid: str, cid: str, values: dict, rationale: str) -> ScoreOverride | None:
    """An edit of a sourced cell, or None where the row repeats the sourced scores and rationale."""
    i, j = base.option_ids.index(oid), base.criterion_ids.index(cid)
    sourced = (base.likely[i, j], base.low[i, j], base.high[i, j])
    mine = (values["likely"], values["low"], values["high"])
    if mine == sourced and rationale == base.score_rows[(oid, cid)]["rationale"]:
        return None
    return ScoreOverride(oid, cid, values["likely"], values["low"], values["high"], rationale)


def _new_options(base: Evidence, new: dict[str, dict], label: str) -> tuple[CustomOption, ...]:
    """The user's own options from their rows: at most five, each scored on every criterion."""
    if len(new) > 5:
        raise EvidenceError(label, None, "option_id", None, "adds more than five new options.")
    customs = []
    for oid, entry in new.items():
        missing = [c for c in base.criterion_ids if c not in entry["scores"]]
        if missing:
            raise EvidenceError(
                label, entry["row"], "criterion_id", missing[0], f"has no score for the new option '{oid}'."
            )
        name = (entry["name"] or oid)[:80]
        scores = tuple((c, *entry["scores"][c]) for c in base.criterion_ids)
        customs.append(CustomOption(oid, name, scores, entry["rationale"][:500]))
    return tuple(customs)


def table_to_edits(
    base: Evidence, table: pd.DataFrame, label: str = "scores", allow_new_options: bool = True
) -> tuple[tuple[ScoreOverride, ...], tuple[CustomOption, ...]]:
    """Score edits and new options from a score table (columns of :data:`UPLOAD_COLUMNS`, optionally
    ``option_name``). Rows for sourced options that differ from the sourced scores become edits; rows
    for a new option id, one per criterion, become the user's own option. Raises
    :class:`EvidenceError` naming the row, column and rule, before anything changes."""
    overrides = []
    new: dict[str, dict] = {}
    seen = set()
    for n, r in enumerate(table.to_dict("records"), start=2):
        oid, cid, known = _row_ids(base, r, n, label, allow_new_options)
        if (oid, cid) in seen:
            raise EvidenceError(label, n, "criterion_id", cid, f"appears twice for option '{oid}'.")
        seen.add((oid, cid))
        values = _row_scores(base, r, n, label, cid)
        rationale = _rationale(r, n, label)
        if known:
            edit = _edit_or_none(base, oid, cid, values, rationale)
            overrides.extend([edit] if edit else [])
        else:
            entry = new.setdefault(oid, {"name": "", "rationale": rationale, "scores": {}, "row": n})
            name = clean(plain_text(r.get("option_name", ""), n, label, "option_name", 80)).strip()
            entry["name"] = entry["name"] or name
            entry["scores"][cid] = (values["low"], values["likely"], values["high"])
    return tuple(overrides), _new_options(base, new, label)


def overrides_from_table(base: Evidence, table: pd.DataFrame, label: str = "scores") -> tuple[ScoreOverride, ...]:
    """Score edits for the sourced options only (the editable grid); see :func:`table_to_edits`."""
    return table_to_edits(base, table, label, allow_new_options=False)[0]


def score_table(base: Evidence, scenario: Scenario, include_custom: bool = True) -> pd.DataFrame:
    """Every score the scenario ranks with, one row per option and criterion: the sourced ones, the user's
    edits in their place (marked "Yours"), and with ``include_custom`` the user's own options.

    The columns of :data:`UPLOAD_COLUMNS` come first, so the table is also an upload template.
    """
    edited = {(o.option_id, o.criterion_id): o for o in scenario.overrides}
    rows = []
    for oid in base.option_ids:
        for cid in base.criterion_ids:
            src = base.score_rows[(oid, cid)]
            o = edited.get((oid, cid))
            rows.append(
                {
                    "option_id": oid,
                    "criterion_id": cid,
                    "likely": o.likely if o else float(src["likely"]),
                    "low": o.low if o else float(src["low"]),
                    "high": o.high if o else float(src["high"]),
                    "rationale": o.rationale if o else str(src["rationale"]),
                    "Option": base.option_name(oid),
                    "Criterion": base.criterion_name(cid),
                    "Yours": o is not None,
                    "Sources": "yours" if o else sources_of(base, src["quote_ids"]),
                    "quote_ids": "" if o else str(src["quote_ids"]),
                }
            )
    for c in scenario.custom_options if include_custom else ():
        for cid, lo, li, hi in c.scores:
            rows.append(
                {
                    "option_id": c.option_id,
                    "criterion_id": cid,
                    "likely": li,
                    "low": lo,
                    "high": hi,
                    "rationale": c.rationale,
                    "Option": c.name + " (yours)",
                    "Criterion": base.criterion_name(cid),
                    "Yours": True,
                    "Sources": "yours",
                    "quote_ids": "",
                }
            )
    return pd.DataFrame(rows)


def custom_option(base: Evidence, option_id: str, name: str, rationale: str, scores: pd.DataFrame) -> CustomOption:
    """Validate a custom option from a table with one row per criterion (columns low, likely, high)."""
    if not CUSTOM_ID.fullmatch(option_id):
        raise InputError("The option's id must start with a letter and use only a-z, 0-9 and _.")
    if option_id in base.option_ids:
        raise InputError(f"The id {quoted(option_id)} is already taken.")
    name = clean(name).strip()
    if not name or len(name) > 80:
        raise InputError("Give the option a name of at most 80 characters.")
    triples = []
    records = scores.to_dict("records")
    if len(records) != len(base.criterion_ids):
        raise InputError("Give a low, likely and high score for every criterion.")
    for cid, r in zip(base.criterion_ids, records, strict=True):
        try:
            lo, li, hi = (float(r["low"]), float(r["likely"]), float(r["high"]))
        except (KeyError, TypeError, ValueError, OverflowError):
            raise InputError(f"Give numbers for low, likely and high on {base.criterion_name(cid)}.") from None
        j = base.criterion_ids.index(cid)
        if not all(np.isfinite(v) and base.scale_min[j] <= v <= base.scale_max[j] for v in (lo, li, hi)):
            raise InputError(f"Scores on {base.criterion_name(cid)} must be numbers from 0 to 4.")
        if not lo <= li <= hi:
            raise InputError(f"On {base.criterion_name(cid)}, low <= likely <= high must hold.")
        triples.append((cid, lo, li, hi))
    return CustomOption(option_id, name, tuple(triples), rationale.strip()[:500])
