"""The scenario's settings, each described once.

Every simple setting of a scenario (a choice, a switch or a number) is one :class:`Setting` in
:data:`SETTINGS`: its name (the scenario's attribute), its default, the words that name it, its
share-link code, where it sits in a scenario file, how it is checked, and the type of the control
that shows it. The scenario itself, share links, scenario files, the widgets and the comparison of
saved scenarios are all derived from this list, so adding a setting is one entry here (and its test).

Weights, limits, score edits and the user's own options are structured values with codecs of
their own (:mod:`core.scenario_io`, :mod:`core.scenario_link`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.displacement import PARAMETERS, Displacement
from core.scoring import METHODS, InputError
from core.text import quoted

# How sure the user is of their weights. Each weight is multiplied by a log-normal factor
# with this spread (a user assumption: no source gives one), then the weights are rescaled.
# "No idea" samples weights uniformly from all possible weightings (classic SMAA).
CERTAINTY: dict[str, tuple[str, float | None]] = {
    "exact": ("Exactly these weights", 0.0),
    "very_sure": ("Very sure (about ±15%)", 0.15),
    "fairly_sure": ("Fairly sure (about ±35%)", 0.35),
    "unsure": ("Unsure (about ±70%)", 0.7),
    "no_idea": ("No idea: any weights at all", None),
}
DEFAULT_CERTAINTY = "fairly_sure"
DEFAULT_LENS = "report_emphasis"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def finite(value: Any) -> bool:
    """A real, finite number of a sane size (a 400-digit integer overflows float maths)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value) and abs(value) <= 1e300
    except OverflowError:
        return False


def link_number(text: str) -> float:
    """A number as a link writes it: plain decimal, no ``1_000``, ``0x10``, ``nan`` or ``inf``."""
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise InputError(f"{quoted(text)} is not a number")
    return float(text)


def compact(x: float) -> str:
    """The shortest text that reads back as exactly the same number."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


@dataclass(frozen=True)
class Setting:
    """One setting of the scenario.

    ``check(value, choices)`` returns the value in its own type or raises :class:`InputError`;
    ``choices`` are the allowed values where they depend on the evidence (the lenses).
    """

    name: str  # the scenario's attribute, the widget's name and the file key
    default: Any
    label: str  # how a sentence names it: "the method"
    link: str  # the share link's parameter
    kind: type  # the type of the control that shows it: bool, int, float or str
    to_link: Callable[[Any], str]
    from_link: Callable[[str], Any]
    check: Callable[[Any, Sequence[str] | None], Any]
    group: str | None = None  # a file object that holds it ("displacement")
    evidence_choices: Callable[[Any], Sequence[str]] | None = None  # allowed values that depend on the evidence

    def allowed(self, evidence: Any) -> Sequence[str] | None:
        return None if self.evidence_choices is None else self.evidence_choices(evidence)

    def coerce(self, value: Any) -> Any:
        """``value`` in the control's type (a file may write 3 for 3.0), if it is of a compatible kind."""
        if self.kind is float and finite(value):
            return float(value)
        if self.kind is int and finite(value) and float(value).is_integer():
            return int(value)
        if self.kind is tuple and isinstance(value, (list, tuple)):
            return tuple(tuple(item) if isinstance(item, (list, tuple)) else item for item in value)
        return value


def _check_choice(choices: Sequence[str], noun: str, allow_none: bool = False) -> Callable:
    def check(value: Any, dynamic: Sequence[str] | None) -> Any:
        allowed = dynamic if dynamic is not None else choices
        if value is None and allow_none:
            return None
        if not isinstance(value, str) or value not in allowed:
            raise InputError(f"{noun} {quoted(value)} is not one of {', '.join(allowed)}")
        return value

    return check


def choice(name: str, default: str, choices: Sequence[str], label: str, link: str, **kw: Any) -> Setting:
    """A setting that takes one of ``choices``; ``codes`` (optional) shortens them in links."""
    codes: Mapping[str, str] = kw.pop("codes", {c: c for c in choices})
    decode = {v: k for k, v in codes.items()}
    allow_none = kw.pop("allow_none", False)
    noun = kw.pop("noun", label)
    return Setting(
        name,
        default,
        label,
        link,
        str,
        to_link=lambda v: "-" if v is None else codes.get(v, v),
        from_link=lambda t: None if t == "-" and allow_none else decode.get(t, t),
        check=_check_choice(tuple(choices), noun, allow_none),
        **kw,
    )


def flag(name: str, default: bool, label: str, link: str) -> Setting:
    """An on/off setting, ``1`` or ``0`` in a link."""

    def check(value: Any, _choices: Sequence[str] | None) -> bool:
        if not isinstance(value, bool):
            raise InputError(f"{name} must be true or false")
        return value

    def from_link(text: str) -> bool:
        if text not in ("0", "1"):
            raise InputError(f"{quoted(text)} is not 0 or 1")
        return text == "1"

    return Setting(
        name, default, label, link, bool, to_link=lambda v: "1" if v else "0", from_link=from_link, check=check
    )


def number(name: str, default: float, bounds: tuple[float, float], label: str, link: str, **kw: Any) -> Setting:
    """A number from ``bounds[0]`` to ``bounds[1]``; ``whole`` numbers only if asked."""
    low, high = bounds
    whole = kw.pop("whole", False)
    noun = kw.pop("noun", label)
    kind = int if whole else float

    def check(value: Any, _choices: Sequence[str] | None) -> float | int:
        if not finite(value):
            raise InputError(f"{noun} must be a number")
        if whole and not float(value).is_integer():
            raise InputError(f"{noun} must be a whole number; got {value:g}")
        if not low <= value <= high:
            raise InputError(f"{noun} must lie from {low:g} to {high:g}; got {value:g}")
        return kind(value)

    return Setting(name, default, label, link, kind, to_link=compact, from_link=link_number, check=check, **kw)


EVIDENCE_DATES = ("today", "march_2022")
EVIDENCE_DATE_NAMES = {"today": "Everything known today", "march_2022": "Only what was knowable in March 2022"}
MAX_PACKAGES = 6


def packages_setting() -> Setting:
    """Packages of two or three options, combined under the rules of :mod:`core.packages`.

    In a link: ``a+b~c+d+e``; in a file: a list of lists of option ids.
    """

    def check(value: Any, options: Sequence[str] | None) -> tuple[tuple[str, ...], ...]:
        if not isinstance(value, (list, tuple)) or len(value) > MAX_PACKAGES:
            raise InputError(f"the packages must be a list of at most {MAX_PACKAGES}")
        out = []
        for package in value:
            if not isinstance(package, (list, tuple)) or not 2 <= len(package) <= 3:
                raise InputError("each package combines two or three options")
            if len(set(package)) != len(package) or not all(isinstance(o, str) for o in package):
                raise InputError("a package names each option once")
            unknown = [o for o in package if options is not None and o not in options]
            if unknown:
                raise InputError(f"a package names an unknown option {quoted(unknown[0])}")
            out.append(tuple(package))
        if len(set(out)) != len(out):
            raise InputError("two packages are the same")
        return tuple(out)

    return Setting(
        "packages",
        (),
        "your packages of options",
        "pk",
        tuple,
        to_link=lambda v: "~".join("+".join(p) for p in v),
        from_link=lambda t: tuple(tuple(p.split("+")) for p in t.split("~")) if t else (),
        check=check,
        evidence_choices=lambda evidence: evidence.option_ids,
    )


# The scenes of a briefing (presenter mode and the exports), in their standard order; see core.briefing.
SCENE_NAMES = {  # short: they are chips on a phone, and kickers above each scene in the briefing file
    "question": "Question and stakes",
    "options": "Options",
    "tradeoffs": "Tradeoffs and evidence",
    "ranking": "Ranking and why",
    "robustness": "How sure",
    "displacement": "Displacement",
    "takeaways": "Takeaways",
    "sources": "Sources",
}
SCENE_IDS = tuple(SCENE_NAMES)
_SCENE_CODES = {"question": "q", "options": "o", "tradeoffs": "t", "ranking": "r"}
_SCENE_CODES |= {"robustness": "h", "displacement": "d", "takeaways": "k", "sources": "s"}


def scenes_setting() -> Setting:
    """Which scenes a briefing shows, in order: at least one, each once. In a link: ``q.o.r``."""
    decode = {v: k for k, v in _SCENE_CODES.items()}

    def check(value: Any, _choices: Sequence[str] | None) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)) or not 1 <= len(value) <= len(SCENE_IDS):
            raise InputError(f"the scenes must be a list of one to {len(SCENE_IDS)} scene names")
        unknown = [s for s in value if s not in SCENE_NAMES]
        if unknown:
            raise InputError(f"the scene {quoted(unknown[0])} is not one of {', '.join(SCENE_IDS)}")
        if len(set(value)) != len(value):
            raise InputError("the scenes name each scene once")
        return tuple(value)

    def from_link(text: str) -> tuple[str, ...]:
        return tuple(decode.get(code, code) for code in text.split("."))

    return Setting(
        "scenes",
        SCENE_IDS,
        "the briefing's scenes",
        "sc",
        tuple,
        to_link=lambda v: ".".join(_SCENE_CODES.get(s, s) for s in v),
        from_link=from_link,
        check=check,
    )


def _displacement_settings() -> tuple[Setting, ...]:
    defaults, codes = Displacement(), {"substitution_share": "ds", "half_life_months": "dh"}
    codes |= {"horizon_years": "dy", "effectiveness": "de"}
    return tuple(
        number(
            name,
            getattr(defaults, name),
            (spec.low, spec.high),
            f"the {spec.label.lower()} (an assumption)",
            codes[name],
            whole=isinstance(getattr(defaults, name), int),
            group="displacement",
            noun=f"the displacement parameter {quoted(name)}",
        )
        for name, spec in PARAMETERS.items()
    )


SETTINGS: tuple[Setting, ...] = (
    choice("method", "weighted_sum", METHODS, "the method", "m", codes={"weighted_sum": "ws", "topsis": "tp"}),
    flag("include_post_seed", True, "whether the options from after the article are included", "p"),
    choice(
        "lens",
        DEFAULT_LENS,
        (DEFAULT_LENS,),
        "the lens",
        "l",
        allow_none=True,
        evidence_choices=lambda evidence: tuple(evidence.lens_table),
    ),
    choice(
        "evidence_date",
        "today",
        EVIDENCE_DATES,
        "which evidence is used (today's, or only what was knowable in March 2022)",
        "a",
        codes={"today": "now", "march_2022": "2022"},
        noun="the evidence date",
    ),
    choice("certainty", DEFAULT_CERTAINTY, tuple(CERTAINTY), "how sure the weights are", "c", noun="the certainty"),
    flag("score_uncertainty", True, "whether scores vary within their ranges", "s"),
    flag("account_for_displacement", False, "whether displacement is accounted for", "d"),
    *_displacement_settings(),
    packages_setting(),
    scenes_setting(),
)


def all_settings() -> tuple[Setting, ...]:
    """The settings as they are now (read at call time, so a test can add one)."""
    return SETTINGS


def setting(name: str) -> Setting:
    for s in all_settings():
        if s.name == name:
            return s
    raise KeyError(name)


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in all_settings()}
