"""Share links: the scenario as compact query parameters, decoded defensively.

Each parameter is read on its own; a bad one is skipped with a notice naming it and the rest
loads (through :func:`core.scenario_io.from_dict`, which checks everything again).
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from core.displacement import Displacement
from core.evidence import Evidence
from core.scenario import Scenario
from core.scenario_io import (
    MAX_FILE_BYTES,
    SCHEMA,
    VERSION,
    Loaded,
    ScenarioFileError,
    _no_constants,
    _reject_duplicates,
    from_dict,
    to_dict,
)
from core.scoring import InputError
from core.text import quoted

MAX_PARAM_CHARS = 1_500
MAX_LINK_CHARS = 2_000
METHOD_CODES = {"weighted_sum": "ws", "topsis": "tp"}
KNOWN_PARTS = frozenset({"v", "w", "m", "g", "p", "l", "c", "s", "d", "dp", "x", "e"})


def _compact(x: float) -> str:
    """The shortest text that reads back as exactly the same number."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def to_query(scenario: Scenario, evidence: Evidence) -> dict[str, str]:
    """Query parameters for a share link; the extras (edits) are packed only when there are some."""
    q: dict[str, str] = {
        "v": str(VERSION),
        "w": "~".join(_compact(w) for _, w in scenario.weights),
        "m": METHOD_CODES[scenario.method],
    }
    if scenario.gates:
        q["g"] = "~".join(f"{g.criterion_id}:{_compact(g.limit)}" for g in scenario.gates)
    if scenario.include_post_seed:
        q["p"] = "1"
    q["l"] = scenario.lens or "-"
    q["c"] = scenario.certainty
    if not scenario.score_uncertainty:
        q["s"] = "0"
    if scenario.account_for_displacement:
        q["d"] = "1"
    if scenario.displacement != Displacement():
        q["dp"] = "~".join(_compact(getattr(scenario.displacement, f.name)) for f in fields(Displacement))
    if scenario.overrides or scenario.custom_options:
        extra = {k: v for k, v in to_dict(scenario, evidence.version).items() if k in ("overrides", "custom_options")}
        packed = zlib.compress(json.dumps(extra, separators=(",", ":"), ensure_ascii=False).encode(), 9)
        q["x"] = base64.urlsafe_b64encode(packed).decode().rstrip("=")
    q["e"] = evidence.version
    return q


def link_length(query: Mapping[str, str], base: str = "") -> int:
    from urllib.parse import urlencode

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
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", p):
            raise InputError(f"{quoted(p)} in {name} is not a number")
        out.append(float(p))
    return out


def from_query(query: Mapping[str, Sequence[str]], evidence: Evidence, current: Scenario) -> Loaded:
    """Read a share link's query parameters (each a list of values). Never raises: bad parts give notices."""
    notices: list[str] = []
    data: dict[str, Any] = {"schema": SCHEMA, "version": VERSION}
    unknown = sorted(set(query) - KNOWN_PARTS)
    for key in unknown[:5]:
        notices.append(f"Ignored the unknown link part {quoted(key[:30])}.")
    if len(unknown) > 5:
        notices.append(f"Ignored {len(unknown) - 5} more unknown link parts.")
    v = _single(query, "v", notices)
    if v is not None and v != str(VERSION):
        if re.fullmatch(r"[0-9]{1,6}", v) and int(v) > VERSION:
            notices.append(f"The link comes from a newer version of the dashboard (v={v}); read what this one can.")
        else:
            notices.append(f"The link's version {quoted(v[:20])} is not understood; read what could be.")

    def part(key: str, name: str, parse) -> None:
        text = _single(query, key, notices)
        if text is None:
            return
        try:
            parse(text)
        except KeyError:
            notices.append(f"Ignored the link's {name} ({key}): {quoted(text[:40])} is not understood.")
        except (InputError, ValueError) as err:
            notices.append(f"Ignored the link's {name} ({key}): {err}.")

    def weights(text: str) -> None:
        nums = _floats(text, len(evidence.criterion_ids), "the weights")
        data["weights"] = dict(zip(evidence.criterion_ids, nums, strict=True))

    def gates(text: str) -> None:
        out = []
        for item in text.split("~"):
            cid, _, limit = item.partition(":")
            out.append({"criterion": cid, "limit": _floats(limit, 1, "a gate's limit")[0]})
        data["gates"] = out

    def displacement(text: str) -> None:
        names = [f.name for f in fields(Displacement)]
        data["displacement"] = dict(zip(names, _floats(text, len(names), "the displacement assumptions"), strict=True))

    def extra(text: str) -> None:
        try:
            packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            raw = zlib.decompressobj().decompress(packed, MAX_FILE_BYTES)
            loaded = json.loads(raw.decode("utf-8"), object_pairs_hook=_reject_duplicates, parse_constant=_no_constants)
        except (ValueError, zlib.error, UnicodeDecodeError, ScenarioFileError, RecursionError):
            raise InputError("the packed edits could not be read") from None
        if not isinstance(loaded, Mapping) or set(loaded) - {"overrides", "custom_options"}:
            raise InputError("the packed edits are not score edits")
        data.update(loaded)

    part("w", "weights", weights)
    part("m", "method", lambda t: data.__setitem__("method", {c: m for m, c in METHOD_CODES.items()}[t]))
    part("g", "limits", gates)
    part("p", "2025 option switch", lambda t: data.__setitem__("include_post_seed", {"1": True, "0": False}[t]))
    part("l", "lens", lambda t: data.__setitem__("lens", None if t == "-" else t))
    part("c", "certainty", lambda t: data.__setitem__("certainty", t))
    part("s", "score uncertainty switch", lambda t: data.__setitem__("score_uncertainty", {"1": True, "0": False}[t]))
    part("d", "displacement switch", lambda t: data.__setitem__("account_for_displacement", {"1": True, "0": False}[t]))
    part("dp", "displacement assumptions", displacement)
    part("x", "score edits", extra)
    e = _single(query, "e", notices)
    if e is not None:
        data["evidence_version"] = e[:64]
    # Parts the link leaves out take their defaults, not the user's current values: a link is a whole state.
    for key, default in (
        ("include_post_seed", False),
        ("score_uncertainty", True),
        ("account_for_displacement", False),
        ("gates", []),
        ("overrides", []),
        ("custom_options", []),
    ):
        data.setdefault(key, default)
    data.setdefault("displacement", {f.name: getattr(Displacement(), f.name) for f in fields(Displacement)})
    loaded = from_dict(data, evidence, current)
    return Loaded(loaded.scenario, tuple(notices) + loaded.notices, loaded.evidence_version)
