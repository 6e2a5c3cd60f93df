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

from collections.abc import Callable, Sequence
from typing import Any

from core.displacement import PARAMETERS, Displacement
from core.evidence import MARCH_2022, TODAY
from core.model import DEFAULT_REFERENCE, REFERENCE_NAMES, REFERENCES, TIMING
from core.scoring import METHOD_NAMES, METHODS, InputError
from core.setting_type import Setting, choice, compact, flag, number, text
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


EVIDENCE_DATES = (TODAY, MARCH_2022)
EVIDENCE_DATE_NAMES = {TODAY: "Everything known today", MARCH_2022: "Only what was knowable in March 2022"}
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
        heading="Packages",
        say=_packages_words,
    )


def _option_name(evidence: Any, option_id: str) -> str:
    return evidence.option_name(option_id) if evidence is not None and option_id in evidence.option_ids else option_id


def _packages_words(value: Any, evidence: Any) -> str:
    return "; ".join(" + ".join(_option_name(evidence, o) for o in package) for package in value) or "none"


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
        heading="Scenes",
        say=lambda value, _evidence: ", ".join(SCENE_NAMES.get(s, str(s)) for s in value),
    )


def _with_unit(unit: str) -> Callable[[Any, Any], str]:
    return lambda value, _evidence: f"{compact(value)} {unit}".strip()


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
            heading=f"{spec.label} (an assumption)",
            say=_with_unit(spec.unit),
        )
        for name, spec in PARAMETERS.items()
    )


def _timing_settings() -> tuple[Setting, ...]:
    """What each time label stands for in years, in the expected-impact model (assumptions; core.model.TIMING)."""
    return tuple(
        number(
            name,
            default,
            (low, high),
            f"the years '{word}' stands for (an assumption)",
            f"t{k + 1}",
            noun=f"the years {quoted(word)} stands for",
            heading=f"Years '{word}' stands for (an assumption)",
            say=_with_unit("years"),
        )
        for k, (name, (word, default, low, high)) in enumerate(TIMING.items())
    )


# The briefing's title slide and the head of its files: the briefer's own words (escaped wherever shown).
COVER = "briefing"  # the file object that holds them
COVER_FIELDS = {  # name: (label, link code, most characters, what the control suggests)
    "briefing_title": ("title", "bt", 120, "Fentanyl precursors from China: the policy options"),
    "presenter": ("presenter", "bp", 80, "Your name"),
    "organisation": ("organisation", "bo", 80, "Office or organisation"),
    "briefing_date": ("date", "bd", 40, "e.g. 4 December 2026 (empty: the day a file is made)"),
}


def _cover_settings() -> tuple[Setting, ...]:
    return tuple(
        text(
            name,
            f"the briefing's {label}",
            code,
            most,
            group=COVER,
            noun=f"the briefing's {label}",
            heading=f"Briefing {label}",
        )
        for name, (label, code, most, _hint) in COVER_FIELDS.items()
    )


def _lens_words(value: Any, evidence: Any) -> str:
    if value is None:
        return "your own weights"
    rows = None if evidence is None else evidence.lenses.set_index("lens_id")["name"]
    return str(rows[value]) if rows is not None and value in rows.index else str(value)


SETTINGS: tuple[Setting, ...] = (
    choice(
        "method",
        "weighted_sum",
        METHODS,
        "the method",
        "m",
        codes={"weighted_sum": "ws", "expected_impact": "ei", "topsis": "tp"},
        heading="Method",
        names=METHOD_NAMES,
    ),
    choice(
        "reference",
        DEFAULT_REFERENCE,
        REFERENCES,
        "what zero means (doing nothing new, or the status quo scored as an option)",
        "b",
        codes={"nothing_new": "0", "scored": "sq"},
        noun="the reference",
        heading="Zero point",
        names=REFERENCE_NAMES,
    ),
    flag(
        "include_post_seed",
        True,
        "whether the options from after the article are included",
        "p",
        heading="Options from after the article",
        said=("included", "left out"),
    ),
    choice(
        "lens",
        DEFAULT_LENS,
        (DEFAULT_LENS,),
        "the lens",
        "l",
        allow_none=True,
        evidence_choices=lambda evidence: tuple(evidence.lens_table),
        heading="Starting weights (lens)",
        say=_lens_words,
    ),
    choice(
        "evidence_date",
        TODAY,
        EVIDENCE_DATES,
        "which evidence is used (today's, or only what was knowable in March 2022)",
        "a",
        codes={TODAY: "now", MARCH_2022: "2022"},
        noun="the evidence date",
        heading="Evidence",
        names=EVIDENCE_DATE_NAMES,
    ),
    choice(
        "certainty",
        DEFAULT_CERTAINTY,
        tuple(CERTAINTY),
        "how sure the weights are",
        "c",
        noun="the certainty",
        heading="How sure the weights are",
        names={k: words for k, (words, _) in CERTAINTY.items()},
    ),
    flag(
        "score_uncertainty", True, "whether scores vary within their ranges", "s", heading="Scores vary within ranges"
    ),
    flag(
        "account_for_displacement",
        False,
        "whether durability is read through the displacement model",
        "d",
        heading="Displacement model",
        said=("durability read through the model", "durability as the sources label it"),
    ),
    *_displacement_settings(),
    *_timing_settings(),
    packages_setting(),
    flag(
        "interactions",
        True,
        "whether the interactions the sources state between options count in a package",
        "ia",
        heading="Interactions in packages",
        said=("counted as the sources state them", "switched off"),
    ),
    scenes_setting(),
    *_cover_settings(),
)


def settings_words(scenario: Any, evidence: Any = None, every: bool = False) -> tuple[tuple[str, str], ...]:
    """Every setting of ``scenario`` as (heading, words), in the registry's order: what the briefing, the
    comparison of scenarios and a picture's metadata say. The settings that change nothing now (:func:`in_use`)
    are left out, unless ``every`` is asked for."""
    return tuple(
        (s.title, s.words(getattr(scenario, s.name), evidence)) for s in all_settings() if every or in_use(s, scenario)
    )


def in_use(s: Setting, scenario: Any) -> bool:
    """Whether ``s`` changes anything now: the displacement model's parameters only while the model is
    switched on, except the horizon, which the expected-impact model also reads; the years each time label
    stands for only under expected impact; never the briefing's title, presenter, organisation and date."""
    if s.group == COVER:  # who presents, not how the options are weighed
        return False
    if s.name in TIMING:
        return scenario.method == "expected_impact"
    if s.group != "displacement" or scenario.account_for_displacement:
        return True
    return s.name == "horizon_years" and scenario.method == "expected_impact"


def limits_words(scenario: Any, evidence: Any) -> str:
    """The scenario's limits (gates) in words: "Durability 2, Diplomatic cost 3", or "none"."""
    return ", ".join(f"{evidence.criterion_name(g.criterion_id)} {g.limit:g}" for g in scenario.gates) or "none"


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
