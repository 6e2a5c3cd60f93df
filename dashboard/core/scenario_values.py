"""The structured parts of a scenario (weights, limits, score edits, the user's own options) read from plain
values, as a scenario file or a link gives them. Each parser returns the part in the scenario's own types or
raises :class:`core.scoring.InputError` naming what is wrong; the caller skips that part with a notice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from core.evidence import Evidence
from core.scenario import CUSTOM_ID, CustomOption, ScoreOverride
from core.scoring import Gate, InputError
from core.setting_type import finite as _finite
from core.text import clean, quoted

MAX_WEIGHT = 1e6


def parse_weights(value: Any, evidence: Evidence) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, Mapping):
        raise InputError("the weights must be an object of criterion: number")
    unknown = sorted(set(value) - set(evidence.criterion_ids))
    if unknown:
        raise InputError(f"unknown criterion {quoted(unknown[0])}")
    missing = [c for c in evidence.criterion_ids if c not in value]
    if missing:
        raise InputError(f"no weight for {quoted(missing[0])}")
    out = []
    for cid in evidence.criterion_ids:
        w = value[cid]
        if not _finite(w):
            raise InputError(f"the weight for {quoted(cid)} is not a finite number ({quoted(w)})")
        if w < 0:
            raise InputError(f"the weight for {quoted(cid)} is negative ({quoted(w)})")
        if w > MAX_WEIGHT:
            raise InputError(f"the weight for {quoted(cid)} is implausibly large ({quoted(w)})")
        out.append((cid, float(w)))
    if sum(w for _, w in out) <= 0:
        raise InputError("all weights are zero")
    return tuple(out)


def parse_gates(value: Any, evidence: Evidence) -> tuple[Gate, ...]:
    if not isinstance(value, list):
        raise InputError("the gates must be a list")
    gates = []
    for g in value:
        if not isinstance(g, Mapping) or set(g) != {"criterion", "limit"}:
            raise InputError("each gate needs exactly 'criterion' and 'limit'")
        if g["criterion"] not in evidence.criterion_ids:
            raise InputError(f"unknown criterion {quoted(g['criterion'])} in a gate")
        if not _finite(g["limit"]):
            raise InputError(f"the limit for {quoted(g['criterion'])} is not a finite number")
        gates.append(Gate(g["criterion"], float(g["limit"])))
    if len({g.criterion_id for g in gates}) != len(gates):
        raise InputError("two gates on the same criterion")
    return tuple(gates)


def check_text(value: Any, name: str, limit: int = 500) -> str:
    if not isinstance(value, str):
        raise InputError(f"{name} must be text")
    if len(value) > limit:
        raise InputError(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise InputError(f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{name} contains characters that are not valid text") from None
    return value


def _name(value: Any) -> str:
    """A custom option's name, without invisible or bidirectional characters, so it cannot pose as another."""
    name = clean(check_text(value, "a custom option's name", 80)).strip()
    if not name:
        raise InputError("a custom option needs a name")
    return name


def _range(evidence: Evidence, cid: str, triple: Sequence[Any], where: str) -> tuple[float, float, float]:
    lo, li, hi = triple
    if cid not in evidence.criterion_ids:
        raise InputError(f"unknown criterion {quoted(cid)} {where}")
    j = evidence.criterion_ids.index(cid)
    smin, smax = evidence.scale_min[j], evidence.scale_max[j]
    for v in (lo, li, hi):
        if not _finite(v) or not smin <= v <= smax:
            raise InputError(f"scores {where} must be numbers from {smin:g} to {smax:g} (got {quoted(v)})")
    if not lo <= li <= hi:
        raise InputError(f"scores {where} must satisfy low <= likely <= high")
    return float(lo), float(li), float(hi)


def parse_overrides(value: Any, evidence: Evidence) -> tuple[ScoreOverride, ...]:
    if not isinstance(value, list):
        raise InputError("the score edits must be a list")
    out, seen = [], set()
    for o in value:
        if not isinstance(o, Mapping) or set(o) != {"option", "criterion", "likely", "low", "high", "rationale"}:
            raise InputError("each score edit needs option, criterion, likely, low, high and rationale")
        if o["option"] not in evidence.option_ids:
            raise InputError(f"unknown option {quoted(o['option'])} in a score edit")
        where = f"for {quoted(o['option'])} on {quoted(o['criterion'])}"
        lo, li, hi = _range(evidence, o["criterion"], (o["low"], o["likely"], o["high"]), where)
        key = (o["option"], o["criterion"])
        if key in seen:
            raise InputError(f"two score edits {where}")
        seen.add(key)
        out.append(ScoreOverride(o["option"], o["criterion"], li, lo, hi, check_text(o["rationale"], "a rationale")))
    return tuple(out)


def parse_custom_options(value: Any, evidence: Evidence) -> tuple[CustomOption, ...]:
    if not isinstance(value, list):
        raise InputError("the custom options must be a list")
    if len(value) > 5:
        raise InputError("at most five custom options")
    out, seen = [], set(evidence.option_ids)
    for c in value:
        if not isinstance(c, Mapping) or set(c) != {"id", "name", "rationale", "scores"}:
            raise InputError("each custom option needs id, name, rationale and scores")
        if not isinstance(c["id"], str) or not CUSTOM_ID.fullmatch(c["id"]):
            raise InputError(f"custom option id {quoted(c['id'])} must be a lower-case slug")
        if c["id"] in seen:
            raise InputError(f"custom option id {quoted(c['id'])} is already taken")
        seen.add(c["id"])
        if not isinstance(c["scores"], Mapping) or set(c["scores"]) != set(evidence.criterion_ids):
            raise InputError(f"custom option {quoted(c['id'])} needs a [low, likely, high] score for every criterion")
        scores = []
        for cid in evidence.criterion_ids:
            triple = c["scores"][cid]
            if not isinstance(triple, list) or len(triple) != 3:
                raise InputError(
                    f"custom option {quoted(c['id'])}: the score on {quoted(cid)} must be [low, likely, high]"
                )
            lo, li, hi = _range(evidence, cid, triple, where=f"of custom option {quoted(c['id'])}")
            scores.append((cid, lo, li, hi))
        out.append(
            CustomOption(
                c["id"],
                _name(c["name"]),
                tuple(scores),
                check_text(c["rationale"], "a custom option's rationale"),
            )
        )
    return tuple(out)


STRUCTURED_PARSERS = {
    "weights": parse_weights,
    "gates": parse_gates,
    "overrides": parse_overrides,
    "custom_options": parse_custom_options,
}
