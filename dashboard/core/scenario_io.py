"""Scenario files (JSON): encode, and decode defensively. Share links are in :mod:`core.scenario_link`.

Decoding never raises anything but :class:`ScenarioFileError` (for a file that cannot be read
at all) and never returns a scenario that fails validation. Parts that are wrong are skipped
with a notice naming them, and the caller's current scenario supplies those parts instead, so
the user loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core import settings as schema
from core.evidence import Evidence
from core.scenario import Scenario, validate_scenario
from core.scenario_values import STRUCTURED_PARSERS
from core.scoring import InputError
from core.setting_type import finite as _finite
from core.text import quoted

SCHEMA = "fentanyl-policy-scenario"
VERSION = 1
MAX_FILE_BYTES = 1_048_576  # the uploader says "1MB per file": the same limit
MAX_DEPTH = 8
# The structured parts, read by their own parsers; the settings' keys come from the schema.
STRUCTURED = tuple(STRUCTURED_PARSERS)
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
            what = s.label.removeprefix("the ").removeprefix("your ")
            notices.append(f"Ignored {where}{err}. Kept your current {what}.")
    return values


def _check_header(data: Any) -> None:
    """Raise :class:`ScenarioFileError` unless ``data`` is a scenario file this dashboard can read."""
    if not isinstance(data, Mapping):
        raise ScenarioFileError("A scenario file must hold one JSON object, not a list, number or text.")
    if _depth(data) > MAX_DEPTH:
        raise ScenarioFileError("The file is nested too deeply to be a scenario.")
    if data.get("schema") != SCHEMA:
        raise ScenarioFileError(f"This is not a scenario file of this dashboard (schema should be {quoted(SCHEMA)}).")
    version = data.get("version")
    if not _finite(version) or not float(version).is_integer() or version < 1:
        raise ScenarioFileError("The file's version is missing or not a whole number.")
    if int(version) > VERSION:  # 1 and 1.0 are the same version
        raise ScenarioFileError(
            f"The file was made by a newer version of the dashboard (scenario version {int(version)}; this one reads "
            f"up to {VERSION}). Nothing was changed."
        )


def _unknown_notices(data: Mapping[str, Any]) -> list[str]:
    unknown = sorted(set(data) - top_keys())
    notices = [f"Ignored the unknown setting {quoted(k[:60])}." for k in unknown[:5]]
    if len(unknown) > 5:
        notices.append(f"Ignored {len(unknown) - 5} more unknown settings.")
    return notices


def _structured(data: Mapping[str, Any], evidence: Evidence, notices: list[str]) -> dict[str, Any]:
    """The weights, limits, edits and own options a file holds; a bad one is named and skipped."""
    values: dict[str, Any] = {}
    for key, parse in STRUCTURED_PARSERS.items():
        if key not in data:
            continue
        try:
            values[key] = parse(data[key], evidence)
        except InputError as err:
            notices.append(f"Ignored {key}: {err}. Kept your current {key.replace('_', ' ')}.")
    return values


def _version_notice(data: Mapping[str, Any], ev: str, evidence: Evidence) -> str:
    """What changed between the evidence a file was saved against and the dashboard's own."""
    changed = _changed_scores(data.get("sourced_scores"), evidence)
    if changed:
        what = "These sourced scores have changed since: " + "; ".join(changed[:12])
        what += ("; ..." if len(changed) > 12 else "") + "."
    elif isinstance(data.get("sourced_scores"), Mapping):
        what = "No sourced score it recorded has changed; quotes or other details may have."
    else:
        what = "Scores may have changed since."
    return (
        f"This scenario was made against evidence version {ev}; the dashboard now has {evidence.version}. "
        f"{what} Your weights and settings are applied to the current evidence."
    )


def from_dict(data: Any, evidence: Evidence, current: Scenario) -> Loaded:
    """A scenario from a file's object; raises :class:`ScenarioFileError` if it cannot be used at all, and
    otherwise keeps the current value of each part it cannot use, with a notice naming it."""
    _check_header(data)
    notices = _unknown_notices(data)
    values = _structured(data, evidence, notices)
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
        notices.append(_version_notice(data, ev, evidence))
    return Loaded(scenario, tuple(notices), ev)


def _text_of(raw: bytes) -> str:
    """A file's bytes as text, or :class:`ScenarioFileError` saying why they are not a scenario."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioFileError(f"The file is {len(raw):,} bytes; a scenario file is at most {MAX_FILE_BYTES:,}.")
    if not raw.strip():
        raise ScenarioFileError("The file is empty.")
    if b"\x00" in raw:
        raise ScenarioFileError("The file is binary, not a JSON scenario.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioFileError("The file is not UTF-8 text, so it is not a scenario file.") from None


def from_json(raw: bytes | str, evidence: Evidence, current: Scenario) -> Loaded:
    """Read a scenario file. Raises :class:`ScenarioFileError` if it cannot be used at all."""
    if isinstance(raw, bytes):
        raw = _text_of(raw)
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
