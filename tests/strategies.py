"""Hypothesis strategies shared by the tests: every kind of scenario a user can make."""

from __future__ import annotations

from hypothesis import strategies as st

from conftest import DATA
from core.displacement import Displacement
from core.evidence import load_evidence
from core.model import REFERENCES, TIMING
from core.scenario import CERTAINTY, CustomOption, Scenario, ScoreOverride
from core.scoring import METHODS, Gate
from core.settings import COVER_FIELDS, SCENE_IDS
from core.text import clean

EVIDENCE = load_evidence(DATA)
# Text a user can type: anything but NUL (which every input path rejects), including RTL and zero-width marks.
TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)
# Names as the app stores them: without invisible or bidirectional characters, trimmed.
NAMES = TEXT.map(lambda t: clean(t).strip()).filter(bool)
CRITERIA = EVIDENCE.criterion_ids
OPTIONS = [o for o in EVIDENCE.option_ids]


@st.composite
def scenarios(draw) -> Scenario:
    weights = draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=len(CRITERIA), max_size=len(CRITERIA)))
    if sum(weights) <= 0:
        weights[0] = 1.0
    gate_criteria = draw(st.lists(st.sampled_from(CRITERIA), unique=True, max_size=3))
    gates = tuple(Gate(c, draw(st.floats(0, 4))) for c in gate_criteria)
    overrides = []
    for oid, cid in draw(
        st.lists(st.tuples(st.sampled_from(OPTIONS), st.sampled_from(CRITERIA)), unique=True, max_size=3)
    ):
        lo, li, hi = sorted(draw(st.lists(st.floats(0, 4), min_size=3, max_size=3)))
        overrides.append(ScoreOverride(oid, cid, li, lo, hi, draw(TEXT)))
    custom = ()
    if draw(st.booleans()):
        custom = (CustomOption("mine", draw(NAMES), tuple((c, 1.0, 2.0, 3.5) for c in CRITERIA), "because"),)
    return Scenario(
        weights=tuple(zip(CRITERIA, weights, strict=True)),
        method=draw(st.sampled_from(METHODS)),
        reference=draw(st.sampled_from(REFERENCES)),
        interactions=draw(st.booleans()),
        gates=gates,
        include_post_seed=draw(st.booleans()),
        lens=draw(st.sampled_from([None, *EVIDENCE.lens_table])),
        certainty=draw(st.sampled_from(list(CERTAINTY))),
        score_uncertainty=draw(st.booleans()),
        account_for_displacement=draw(st.booleans()),
        displacement=Displacement(
            substitution_share=draw(st.floats(0, 1)),
            half_life_months=draw(st.floats(1, 36)),
            horizon_years=draw(st.integers(1, 10)),
            effectiveness=draw(st.floats(0, 1)),
        ),
        overrides=tuple(overrides),
        custom_options=custom,
        evidence_date=draw(st.sampled_from(["today", "march_2022"])),
        **{name: draw(st.floats(low, high)) for name, (_word, _default, low, high) in TIMING.items()},
        packages=tuple(
            dict.fromkeys(
                tuple(draw(st.lists(st.sampled_from(OPTIONS), min_size=2, max_size=3, unique=True)))
                for _ in range(draw(st.integers(0, 2)))
            )
        ),
        scenes=tuple(draw(st.permutations(SCENE_IDS))[: draw(st.integers(1, len(SCENE_IDS)))]),
        # The briefing's cover: the briefer's own words, hostile ones included.
        **{
            name: draw(st.one_of(st.just(""), NAMES.map(lambda t, m=most: t[:m].strip())))
            for name, (_l, _c, most, _h) in COVER_FIELDS.items()
        },
    )
