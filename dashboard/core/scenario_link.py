"""Share links: the scenario as compact query parameters, decoded defensively.

Weights, limits and score edits have codecs of their own; every other setting takes its link code
and codec from :mod:`core.settings` and appears in a link only when it differs from its default.
Each parameter is read on its own; a bad one is skipped with a notice naming it and the rest
loads (through :func:`core.scenario_io.from_dict`, which checks everything again). Parts a link
leaves out take their defaults: a link is a whole state.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from core import settings as schema
from core.displacement import PARAMETERS
from core.evidence import Evidence
from core.scenario import Scenario
from core.scenario_io import (
    MAX_FILE_BYTES,
    SCHEMA,
    VERSION,
    Loaded,
    ScenarioFileError,
    from_dict,
    json_constant,
    reject_duplicate_keys,
    to_dict,
)
from core.scoring import InputError
from core.setting_type import compact, link_number
from core.text import quoted

MAX_PARAM_CHARS = 1_500
MAX_LINK_CHARS = 2_000
STRUCTURED_PARTS = {"v": "version", "w": "weights", "g": "limits", "x": "score edits", "e": "evidence version"}
LEGACY_DISPLACEMENT = "dp"  # links made before each assumption had its own code: "0.9~3~5~0.5"


def known_parts() -> set[str]:
    return {*STRUCTURED_PARTS, LEGACY_DISPLACEMENT, *(s.link for s in schema.all_settings())}


def to_query(scenario: Scenario, evidence: Evidence) -> dict[str, str]:
    """Query parameters for a share link; a setting at its default is left out."""
    q: dict[str, str] = {"v": str(LINK_VERSION), "w": "~".join(compact(w) for _, w in scenario.weights)}
    if scenario.gates:
        q["g"] = "~".join(f"{g.criterion_id}:{compact(g.limit)}" for g in scenario.gates)
    for s in schema.all_settings():
        value = getattr(scenario, s.name)
        if value != s.default:
            q[s.link] = s.to_link(value)
    if scenario.overrides or scenario.custom_options:
        extra = {k: v for k, v in to_dict(scenario, evidence.version).items() if k in ("overrides", "custom_options")}
        packed = zlib.compress(json.dumps(extra, separators=(",", ":"), ensure_ascii=False).encode(), 9)
        q["x"] = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    q["e"] = evidence.version
    return q


def link_length(query: Mapping[str, str], base: str = "") -> int:
    return len(base) + 1 + len(urlencode(query))


# --------------------------------------------------------------------------- decoding helpers
def _single(query: Mapping[str, Sequence[str]], key: str, notices: list[str]) -> str | None:
    values = list(query.get(key, []))
    if not values:
        return None
    if len(values) > 1:
        notices.append(f"The link repeats {quoted(key)}; used the first value.")
    value = values[0]
    if len(value) > MAX_PARAM_CHARS:
        notices.append(f"The link's {quoted(key)} is too long ({len(value):,} characters); ignored it.")
        return None
    return value


def _floats(text: str, count: int, name: str) -> list[float]:
    parts = text.split("~")
    if len(parts) != count:
        raise InputError(f"expected {count} numbers for {name}, separated by '~', got {len(parts)}")
    out = []
    for p in parts:
        try:
            out.append(link_number(p))
        except InputError:
            raise InputError(f"{quoted(p)} in {name} is not a number") from None
    return out


def _weights(text: str, evidence: Evidence) -> dict[str, Any]:
    nums = _floats(text, len(evidence.criterion_ids), "the weights")
    return {"weights": dict(zip(evidence.criterion_ids, nums, strict=True))}


def _gates(text: str, _evidence: Evidence) -> dict[str, Any]:
    out = []
    for item in text.split("~"):
        cid, _, limit = item.partition(":")
        out.append({"criterion": cid, "limit": _floats(limit, 1, "a gate's limit")[0]})
    return {"gates": out}


def _edits(text: str, _evidence: Evidence) -> dict[str, Any]:
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        raw = zlib.decompressobj().decompress(packed, MAX_FILE_BYTES)
        loaded = json.loads(raw.decode("utf-8"), object_pairs_hook=reject_duplicate_keys, parse_constant=json_constant)
    except (ValueError, zlib.error, UnicodeDecodeError, ScenarioFileError, RecursionError):
        raise InputError("the packed edits could not be read") from None
    if not isinstance(loaded, Mapping) or set(loaded) - {"overrides", "custom_options"}:
        raise InputError("the packed edits are not score edits")
    return dict(loaded)


def _legacy_displacement(text: str, _evidence: Evidence) -> dict[str, Any]:
    names = list(PARAMETERS)
    return {"displacement": dict(zip(names, _floats(text, len(names), "the displacement assumptions"), strict=True))}


def _setting_reader(s: schema.Setting) -> Callable[[str, Evidence], dict[str, Any]]:
    def read(text: str, _evidence: Evidence) -> dict[str, Any]:
        value = s.from_link(text)
        return {s.group: {s.name: value}} if s.group else {s.name: value}

    return read


def _merge(data: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value


# The link format's own version: 2 since the options from after the article are shown by default (December
# 2026); a version-1 link that leaves that setting out meant "not shown", as its default then was.
LINK_VERSION = 2
_DEFAULTS_BEFORE = {1: {"include_post_seed": False}}


def _version_notice(v: str | None) -> list[str]:
    if v is None or v in {str(n) for n in range(1, LINK_VERSION + 1)}:
        return []
    if re.fullmatch(r"[0-9]{1,6}", v) and int(v) > LINK_VERSION:
        return [f"The link comes from a newer version of the dashboard (v={v}); read what this one can."]
    return [f"The link's version {quoted(v[:20])} is not understood; read what could be."]


def _readers() -> dict[str, tuple[str, Callable[[str, Evidence], dict[str, Any]]]]:
    readers = {
        "w": ("weights", _weights),
        "g": ("limits", _gates),
        LEGACY_DISPLACEMENT: ("displacement assumptions", _legacy_displacement),
        "x": ("score edits", _edits),
    }
    for s in schema.all_settings():
        readers[s.link] = (s.label.removeprefix("the "), _setting_reader(s))
    return readers


def _defaults() -> dict[str, Any]:
    """What a link that leaves a setting out means: its default (and no limits or edits)."""
    data: dict[str, Any] = {"gates": [], "overrides": [], "custom_options": []}
    for s in schema.all_settings():
        _merge(data, {s.group: {s.name: s.default}} if s.group else {s.name: s.default})
    return data


def from_query(query: Mapping[str, Sequence[str]], evidence: Evidence, current: Scenario) -> Loaded:
    """Read a share link's query parameters (each a list of values). Never raises: bad parts give notices."""
    notices: list[str] = []
    unknown = sorted(set(query) - known_parts())
    notices += [f"Ignored the unknown link part {quoted(key[:30])}." for key in unknown[:5]]
    if len(unknown) > 5:
        notices.append(f"Ignored {len(unknown) - 5} more unknown link parts.")
    v = _single(query, "v", notices)
    notices += _version_notice(v)
    data: dict[str, Any] = {"schema": SCHEMA, "version": VERSION, **_defaults()}
    if v is not None and re.fullmatch(r"[0-9]{1,6}", v):
        data.update(_DEFAULTS_BEFORE.get(int(v), {}))
    for key, (name, read) in _readers().items():
        text = _single(query, key, notices)
        if text is None:
            continue
        try:
            _merge(data, read(text, evidence))
        except (InputError, ValueError, KeyError) as err:
            notices.append(f"Ignored the link's {name} ({key}): {err}.")
    e = _single(query, "e", notices)
    if e is not None:
        data["evidence_version"] = e[:64]
    loaded = from_dict(data, evidence, current)
    return Loaded(loaded.scenario, tuple(notices) + loaded.notices, loaded.evidence_version)
