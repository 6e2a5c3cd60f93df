"""Scenario files (JSON): encode, and decode defensively. Share links are in :mod:`core.scenario_link`.

Decoding never raises anything but :class:`ScenarioFileError` (for a file that cannot be read
at all) and never returns a scenario that fails validation. Parts that are wrong are skipped
with a notice naming them, and the caller's current scenario supplies those parts instead, so
the user loses nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from core import settings as schema
from core.evidence import Evidence
from core.scenario import CustomOption, Scenario, ScoreOverride, validate_scenario
from core.scoring import Gate, InputError
from core.settings import finite as _finite
from core.text import clean, quoted

SCHEMA = "fentanyl-policy-scenario"
VERSION = 1
MAX_FILE_BYTES = 1_048_576  # the uploader says "1MB per file": the same limit
MAX_WEIGHT = 1e6
MAX_DEPTH = 8
# The structured parts, read by their own parsers; the settings' keys come from the schema.
STRUCTURED = ("weights", "gates", "overrides", "custom_options")
RECORDS = ("schema", "version", "evidence_version", "sourced_scores")


def top_keys() -> set[str]:
    """Every key a scenario file may hold."""
    return {*RECORDS, *STRUCTURED, *(s.group or s.name for s in schema.all_settings())}


class ScenarioFileError(ValueError):
    """The whole file or link could not be read; nothing was changed."""


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    notices: tuple[str, ...]
    evidence_version: str | None


# --------------------------------------------------------------------------- encoding
def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else float(x)


def to_dict(scenario: Scenario, evidence_version: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "evidence_version": evidence_version,
        "weights": {c: _number(w) for c, w in scenario.weights},
        "gates": [{"criterion": g.criterion_id, "limit": _number(g.limit)} for g in scenario.gates],
    }
    for s in schema.all_settings():
        value = getattr(scenario, s.name)
        value = _number(value) if s.kind in (int, float) else value
        if s.group:
            data.setdefault(s.group, {})[s.name] = value
        else:
            data[s.name] = value
    data["overrides"] = [
        {
            "option": o.option_id,
            "criterion": o.criterion_id,
            "likely": _number(o.likely),
            "low": _number(o.low),
            "high": _number(o.high),
            "rationale": o.rationale,
        }
        for o in scenario.overrides
    ]
    data["custom_options"] = [
        {
            "id": c.option_id,
            "name": c.name,
            "rationale": c.rationale,
            "scores": {cid: [_number(lo), _number(li), _number(hi)] for cid, lo, li, hi in c.scores},
        }
        for c in scenario.custom_options
    ]
    return data


def to_json(scenario: Scenario, base: Evidence) -> str:
    """The scenario file.

    ``base`` must be the sourced evidence (never a session's edited copy): the file records its
    version and its likely scores, so that loading it later can say which *sourced* scores have
    changed, while the user's own edits travel separately and are always marked as theirs.
    """
    data = to_dict(scenario, base.version)
    data["sourced_scores"] = {
        f"{o}|{c}": _number(base.likely[i, j])
        for i, o in enumerate(base.option_ids)
        for j, c in enumerate(base.criterion_ids)
    }
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)


def _changed_scores(value: Any, evidence: Evidence) -> list[str]:
    """Sourced scores that differ from those the file was saved against, in words."""
    if not isinstance(value, Mapping):
        return []
    changed = []
    for key, then in value.items():
        if not isinstance(key, str) or not _finite(then):
            continue
        option_id, _, criterion_id = key.partition("|")
        if option_id in evidence.option_ids and criterion_id in evidence.criterion_ids:
            now = evidence.likely[evidence.option_ids.index(option_id), evidence.criterion_ids.index(criterion_id)]
            if now != then:
                changed.append(
                    f"{evidence.option_name(option_id)} on {evidence.criterion_name(criterion_id).lower()} "
                    f"({then:g} then, {now:g} now)"
                )
    return changed


def _weights(value: Any, evidence: Evidence) -> tuple[tuple[str, float], ...]:
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


def _gates(value: Any, evidence: Evidence) -> tuple[Gate, ...]:
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


def _text(value: Any, name: str, limit: int = 500) -> str:
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
    name = clean(_text(value, "a custom option's name", 80)).strip()
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


def _overrides(value: Any, evidence: Evidence) -> tuple[ScoreOverride, ...]:
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
        out.append(ScoreOverride(o["option"], o["criterion"], li, lo, hi, _text(o["rationale"], "a rationale")))
    return tuple(out)


SLUG = re.compile(r"[a-z][a-z0-9_]{0,40}")


def _custom(value: Any, evidence: Evidence) -> tuple[CustomOption, ...]:
    if not isinstance(value, list):
        raise InputError("the custom options must be a list")
    if len(value) > 5:
        raise InputError("at most five custom options")
    out, seen = [], set(evidence.option_ids)
    for c in value:
        if not isinstance(c, Mapping) or set(c) != {"id", "name", "rationale", "scores"}:
            raise InputError("each custom option needs id, name, rationale and scores")
        if not isinstance(c["id"], str) or not SLUG.fullmatch(c["id"]):
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
                _text(c["rationale"], "a custom option's rationale"),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- decoding
def reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for k, _ in pairs:
        if k in seen:
            raise ScenarioFileError(
                f"The file repeats the key {quoted(k[:60])}; a scenario file names each setting once."
            )
        seen.add(k)
    return dict(pairs)


def json_constant(name: str) -> Any:
    raise ScenarioFileError(f"The file contains {name}, which is not a number a scenario can use.")


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, Mapping):
        return max([_depth(v, level + 1) for v in value.values()] or [level])
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value] or [level])
    return level


STRUCTURED_PARSERS = {"weights": _weights, "gates": _gates, "overrides": _overrides, "custom_options": _custom}


def _read_settings(data: Mapping[str, Any], evidence: Evidence, notices: list[str]) -> dict[str, Any]:
    """The settings a file holds, each checked by the schema; a bad one is named and skipped."""
    values: dict[str, Any] = {}
    groups = {s.group for s in schema.all_settings() if s.group}
    for group in groups:
        if group in data and not isinstance(data[group], Mapping):
            notices.append(f"Ignored {group}: it must be an object. Kept your current {group}.")
        elif group in data:
            known = {s.name for s in schema.all_settings() if s.group == group}
            for key in sorted(set(data[group]) - known)[:3]:
                notices.append(f"Ignored {group}: unknown {group} parameter {quoted(key)}.")
    for s in schema.all_settings():
        holder = data.get(s.group) if s.group else data
        if not isinstance(holder, Mapping) or s.name not in holder:
            continue
        try:
            values[s.name] = s.check(holder[s.name], s.allowed(evidence))
        except InputError as err:
            where = f"{s.group}: " if s.group else f"{s.name}: "
            notices.append(f"Ignored {where}{err}. Kept your current {s.label.removeprefix('the ')}.")
    return values


def from_dict(data: Any, evidence: Evidence, current: Scenario) -> Loaded:
    if not isinstance(data, Mapping):
        raise ScenarioFileError("A scenario file must hold one JSON object, not a list, number or text.")
    if _depth(data) > MAX_DEPTH:
        raise ScenarioFileError("The file is nested too deeply to be a scenario.")
    if data.get("schema") != SCHEMA:
        raise ScenarioFileError(f"This is not a scenario file of this dashboard (schema should be {quoted(SCHEMA)}).")
    version = data.get("version")
    if not _finite(version) or not float(version).is_integer() or version < 1:
        raise ScenarioFileError("The file's version is missing or not a whole number.")
    version = int(version)  # 1 and 1.0 are the same version
    if version > VERSION:
        raise ScenarioFileError(
            f"The file was made by a newer version of the dashboard (scenario version {version}; this one reads "
            f"up to {VERSION}). Nothing was changed."
        )
    unknown = sorted(set(data) - top_keys())
    notices = [f"Ignored the unknown setting {quoted(k[:60])}." for k in unknown[:5]]
    if len(unknown) > 5:
        notices.append(f"Ignored {len(unknown) - 5} more unknown settings.")
    values: dict[str, Any] = {}
    for key, parse in STRUCTURED_PARSERS.items():
        if key not in data:
            continue
        try:
            values[key] = parse(data[key], evidence)
        except InputError as err:
            notices.append(f"Ignored {key}: {err}. Kept your current {key.replace('_', ' ')}.")
    values.update(_read_settings(data, evidence, notices))
    # Edits that refer to one another are checked together; fall back to the current ones if they clash.
    scenario = replace(current, **values)
    try:
        validate_scenario(scenario, evidence)
    except InputError as err:
        notices.append(f"The loaded settings do not fit together ({err}); kept your current scenario.")
        scenario = current
    ev = data.get("evidence_version")
    ev = ev if isinstance(ev, str) and len(ev) <= 64 else None
    if ev is not None and ev != evidence.version:
        changed = _changed_scores(data.get("sourced_scores"), evidence)
        what = (
            "These sourced scores have changed since: "
            + "; ".join(changed[:12])
            + ("; ..." if len(changed) > 12 else "")
            + "."
            if changed
            else "No sourced score it recorded has changed; quotes or other details may have."
            if isinstance(data.get("sourced_scores"), Mapping)
            else "Scores may have changed since."
        )
        notices.append(
            f"This scenario was made against evidence version {ev}; the dashboard now has {evidence.version}. "
            f"{what} Your weights and settings are applied to the current evidence."
        )
    return Loaded(scenario, tuple(notices), ev)


def from_json(raw: bytes | str, evidence: Evidence, current: Scenario) -> Loaded:
    """Read a scenario file. Raises :class:`ScenarioFileError` if it cannot be used at all."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise ScenarioFileError(f"The file is {len(raw):,} bytes; a scenario file is at most {MAX_FILE_BYTES:,}.")
        if not raw.strip():
            raise ScenarioFileError("The file is empty.")
        if b"\x00" in raw:
            raise ScenarioFileError("The file is binary, not a JSON scenario.")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioFileError("The file is not UTF-8 text, so it is not a scenario file.") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(f"The text is {len(raw):,} characters; a scenario is at most {MAX_FILE_BYTES:,}.")
    try:
        data = json.loads(raw, object_pairs_hook=reject_duplicate_keys, parse_constant=json_constant)
    except json.JSONDecodeError as err:
        raise ScenarioFileError(
            f"The file is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); it may be truncated."
        ) from None
    except ScenarioFileError:
        raise
    except ValueError:
        raise ScenarioFileError("The file holds a number too long to be a setting.") from None
    except RecursionError:
        raise ScenarioFileError("The file is nested too deeply to be a scenario.") from None
    return from_dict(data, evidence, current)
