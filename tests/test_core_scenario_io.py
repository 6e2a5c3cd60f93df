"""Scenario files and share links: exact round trips, and every kind of bad input named, never a crash."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, examples
from core import settings as schema
from core.evidence import load_evidence
from core.scenario import ScoreOverride, default_scenario, validate_scenario
from core.scenario_io import ScenarioFileError, from_json, to_json
from core.scenario_link import LINK_VERSION, MAX_LINK_CHARS, from_query, known_parts, link_length, to_query

EVIDENCE = load_evidence(DATA)
from strategies import CRITERIA, scenarios  # noqa: E402


@settings(max_examples=examples(150))
@given(scenarios())
def test_json_round_trip_is_exact(scenario):
    loaded = from_json(to_json(scenario, EVIDENCE), EVIDENCE, default_scenario(EVIDENCE))
    assert loaded.notices == ()
    assert loaded.scenario == scenario


@settings(max_examples=examples(150))
@given(scenarios())
def test_link_round_trip_is_exact(scenario):
    query = {k: [v] for k, v in to_query(scenario, EVIDENCE).items()}
    loaded = from_query(query, EVIDENCE, default_scenario(EVIDENCE))
    assert loaded.notices == ()
    assert loaded.scenario == scenario


def test_default_link_is_short():
    query = to_query(default_scenario(EVIDENCE), EVIDENCE)
    assert link_length(query, "https://dashboard.example.org/") < 300 < MAX_LINK_CHARS


@settings(max_examples=examples(300))
@given(st.binary(max_size=400))
def test_any_bytes_load_a_valid_scenario_or_give_a_clear_error(raw):
    current = default_scenario(EVIDENCE)
    try:
        loaded = from_json(raw, EVIDENCE, current)
    except ScenarioFileError as err:
        assert str(err)
    else:
        validate_scenario(loaded.scenario, EVIDENCE)


UNKNOWN_PART = "zz"
LINK_VERSIONS = {str(n) for n in range(1, LINK_VERSION + 1)}
SKIPPED_PART = re.compile(r"Ignored the link's [^()]* \((\w+)\): ")


@settings(max_examples=examples(300))
@given(
    st.dictionaries(
        st.sampled_from([*sorted(known_parts()), UNKNOWN_PART]),
        st.lists(st.text(max_size=60), min_size=1, max_size=3),
        max_size=8,
    )
)
def test_any_query_loads_a_valid_scenario_with_notices(query):
    loaded = from_query(query, EVIDENCE, default_scenario(EVIDENCE))
    validate_scenario(loaded.scenario, EVIDENCE)
    notices = loaded.notices
    assert all(isinstance(n, str) and n.strip() for n in notices)
    if not query:
        assert notices == ()
    # An unknown part is named as unknown; a known one never is.
    unknown = [n for n in notices if "unknown link part" in n]
    assert unknown == ([f"Ignored the unknown link part '{UNKNOWN_PART}'."] if UNKNOWN_PART in query else [])
    # A known part given more than once is named, and only such a part.
    repeated = {k for k, values in query.items() if len(values) > 1 and k != UNKNOWN_PART}
    assert {k for k in query if any(f"The link repeats '{k}'" in n for n in notices)} == repeated
    # A version this dashboard does not read is said; one it reads is not.
    said = any("version of the dashboard" in n or "The link's version" in n for n in notices)
    assert said == ("v" in query and query["v"][0] not in LINK_VERSIONS)
    # A part the link reader skipped is named by its code, and it is a part of this link.
    assert {m[1] for n in notices if (m := SKIPPED_PART.match(n))} <= set(query)


def _names(notice: str, key: str, spoiled: str) -> bool:
    """Whether ``notice`` is about link part ``key``: by its code, its setting's name or label, or the value it had."""
    labels = {s.link: s.label.removeprefix("the ") for s in schema.all_settings()}
    names = {s.link: f"Ignored {s.name}:" for s in schema.all_settings()}
    return (
        f"({key})" in notice or (key in labels and (labels[key] in notice or names[key] in notice)) or spoiled in notice
    )


@pytest.mark.parametrize("key", sorted(known_parts()))
@settings(max_examples=examples(4))
@given(scenario=scenarios())
def test_a_spoiled_part_of_a_faithful_link_is_named_and_the_rest_still_loads(key, scenario):
    query = {k: [v] for k, v in to_query(scenario, EVIDENCE).items()}
    assert from_query(query, EVIDENCE, default_scenario(EVIDENCE)).notices == ()  # a clean link: no notice
    spoiled = "\u00a4junk"  # no part of a link reads this
    free = {s.link: s.max_chars for s in schema.all_settings() if s.max_chars}
    if key in free:  # free text reads any words: too many of them spoil it
        spoiled = "junk " * free[key]
    query[key] = [spoiled]
    loaded = from_query(query, EVIDENCE, default_scenario(EVIDENCE))
    validate_scenario(loaded.scenario, EVIDENCE)
    assert any(_names(n, key, spoiled) for n in loaded.notices), loaded.notices
    # Each notice is about the spoiled part, or says that what is left no longer fits together.
    misfit = [n for n in loaded.notices if "do not fit together" in n]
    assert all(_names(n, key, spoiled) or n in misfit for n in loaded.notices), loaded.notices
    if not misfit and key != "w":
        assert loaded.scenario.weights == scenario.weights  # the rest of the link was read


CURRENT = replace(default_scenario(EVIDENCE), method="topsis", lens=None)


def file_with(**changes) -> str:
    import json

    data = json.loads(to_json(default_scenario(EVIDENCE), EVIDENCE))
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        (b'["not", "an", "object"]', "A scenario file must hold one JSON object, not a list, number or text."),
        (
            b'{"schema": "fentanyl-policy-scen',
            "The file is not valid JSON (line 1, column 12: Unterminated string starting at); it may be truncated.",
        ),
        (b'{"schema": 1, "schema": 2}', "The file repeats the key 'schema'; a scenario file names each setting once."),
        (
            b'{"schema": "fentanyl-policy-scenario", "version": 1, "weights": {"a": Infinity}}',
            "The file contains Infinity, which is not a number a scenario can use.",
        ),
        (
            b'{"schema": "fentanyl-policy-scenario", "version": 9}',
            "The file was made by a newer version of the dashboard (scenario version 9; this one reads up to 1). "
            "Nothing was changed.",
        ),
        (
            b'{"schema": "something-else", "version": 1}',
            "This is not a scenario file of this dashboard (schema should be 'fentanyl-policy-scenario').",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is binary, not a JSON scenario."),
        ("{}".encode("utf-16"), "The file is binary, not a JSON scenario."),
        (b"\xff\xfe\xfa", "The file is not UTF-8 text, so it is not a scenario file."),
        (b"[" * 100_000, "The file is nested too deeply to be a scenario."),
        (b" " * 1_100_000, "The file is 1,100,000 bytes; a scenario file is at most 1,048,576."),
    ],
)
def test_unreadable_files_are_rejected_whole_with_a_named_reason(raw, message):
    with pytest.raises(ScenarioFileError) as info:
        from_json(raw, EVIDENCE, CURRENT)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("changes", "notice", "kept"),
    [
        ({"weights": {"effect_on_precursors": -1}}, "Ignored weights: no weight for 'durability'.", "weights"),
        (
            {"weights": {**dict.fromkeys(CRITERIA, 1), "speed": 1}},
            "Ignored weights: unknown criterion 'speed'.",
            "weights",
        ),
        ({"weights": dict.fromkeys(CRITERIA, 0)}, "Ignored weights: all weights are zero.", "weights"),
        (
            {"weights": {**dict.fromkeys(CRITERIA, 1), "durability": -3}},
            "Ignored weights: the weight for 'durability' is negative (-3).",
            "weights",
        ),
        (
            {"weights": {**dict.fromkeys(CRITERIA, 1), "durability": "10"}},
            "Ignored weights: the weight for 'durability' is not a finite number ('10').",
            "weights",
        ),
        (
            {"weights": {**dict.fromkeys(CRITERIA, 1), "durability": 1e300}},
            "Ignored weights: the weight for 'durability' is implausibly large (1e+300).",
            "weights",
        ),
        (
            {"method": "vote"},
            "Ignored method: the method 'vote' is not one of weighted_sum, expected_impact, topsis.",
            "method",
        ),
        ({"gates": [{"criterion": "nope", "limit": 1}]}, "Ignored gates: unknown criterion 'nope' in a gate.", "gates"),
        (
            {"include_post_seed": "yes"},
            "Ignored include_post_seed: include_post_seed must be true or false.",
            "include_post_seed",
        ),
        (
            {"displacement": {"substitution_share": 2}},
            "Ignored displacement: the displacement parameter 'substitution_share' must lie from 0 to 1; got 2.",
            "displacement",
        ),
        (
            {
                "overrides": [
                    {"option": "x", "criterion": "durability", "likely": 1, "low": 0, "high": 2, "rationale": ""}
                ]
            },
            "Ignored overrides: unknown option 'x' in a score edit.",
            "overrides",
        ),
        ({"surprise": 1}, "Ignored the unknown setting 'surprise'.", None),
    ],
)
def test_bad_parts_are_named_and_the_current_values_kept(changes, notice, kept):
    loaded = from_json(file_with(**changes), EVIDENCE, CURRENT)
    assert any(n.startswith(notice) for n in loaded.notices), loaded.notices
    if kept:
        assert getattr(loaded.scenario, kept) == getattr(CURRENT, kept)


def test_older_evidence_version_is_reported():
    loaded = from_json(file_with(evidence_version="0123456789ab"), EVIDENCE, CURRENT)
    assert any("made against evidence version 0123456789ab" in n for n in loaded.notices)


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"w": ["1~2~x~4~5~6"]}, "Ignored the link's weights (w): 'x' in the weights is not a number."),
        (
            {"w": ["1~2"]},
            "Ignored the link's weights (w): expected 6 numbers for the weights, separated by '~', got 2.",
        ),
        ({"w": ["0~0~0~0~0~0"]}, "Ignored weights: all weights are zero. Kept your current weights."),
        ({"m": ["ws", "tp"]}, "The link repeats 'm'; used the first value."),
        ({"w": ["1" * 5000]}, "The link's 'w' is too long (5,000 characters); ignored it."),
        ({"x": ["not-base64!"]}, "Ignored the link's score edits (x): the packed edits could not be read."),
        ({"hack": ["<script>"]}, "Ignored the unknown link part 'hack'."),
        ({"v": ["7"]}, "The link comes from a newer version of the dashboard (v=7); read what this one can."),
    ],
)
def test_tampered_links_load_the_rest_with_a_notice(query, notice):
    base = {k: [v] for k, v in to_query(CURRENT, EVIDENCE).items()}
    loaded = from_query({**base, **query}, EVIDENCE, CURRENT)
    assert notice in loaded.notices, loaded.notices
    assert loaded.scenario.method == ("weighted_sum" if "m" in query else "topsis")
    validate_scenario(loaded.scenario, EVIDENCE)


def test_a_file_from_older_evidence_says_which_sourced_scores_changed():
    import json

    data = json.loads(to_json(default_scenario(EVIDENCE), EVIDENCE))
    data["evidence_version"] = "0123456789ab"
    data["sourced_scores"]["status_quo_2022|time_to_effect"] = 4
    loaded = from_json(json.dumps(data), EVIDENCE, CURRENT)
    notice = next(n for n in loaded.notices if "evidence version 0123456789ab" in n)
    assert (
        "These sourced scores have changed since: Status quo (March 2022) on time to effect (4 then, 0 now)." in notice
    )


def test_a_file_with_score_edits_records_the_sourced_scores_not_the_edits():
    import json

    edit = ScoreOverride("status_quo_2022", "time_to_effect", 1.0, 0.0, 2.0, "mine")
    scenario = replace(CURRENT, overrides=(edit,))
    data = json.loads(to_json(scenario, EVIDENCE))
    i, j = EVIDENCE.option_ids.index("status_quo_2022"), EVIDENCE.criterion_ids.index("time_to_effect")
    assert data["sourced_scores"]["status_quo_2022|time_to_effect"] == EVIDENCE.likely[i, j] != 1.0
    assert data["evidence_version"] == EVIDENCE.version
    loaded = from_json(json.dumps(data), EVIDENCE, default_scenario(EVIDENCE))
    assert loaded.notices == () and loaded.scenario == scenario


def test_a_file_from_the_same_evidence_has_no_notice():
    loaded = from_json(to_json(CURRENT, EVIDENCE), EVIDENCE, default_scenario(EVIDENCE))
    assert loaded.notices == () and loaded.scenario == CURRENT


@pytest.mark.parametrize(
    "query",
    [
        {"x": ["OVERSIZED"]},
        {"dp": ["0.9~3~1e20~0.5"]},
        {"v": ["\u2460"]},
        {"v": ["\u00b2"]},
    ],
)
def test_hostile_links_found_in_review_give_notices_not_crashes(query):
    import base64
    import zlib

    if query.get("x") == ["OVERSIZED"]:
        payload = (
            '{"overrides":[{"option":"encourage_aml","criterion":"durability","likely":%s,"low":1,"high":3,'
            '"rationale":""}]}' % ("9" * 400)
        )
        query = {"x": [base64.urlsafe_b64encode(zlib.compress(payload.encode())).decode().rstrip("=")]}
    loaded = from_query(query, EVIDENCE, CURRENT)
    validate_scenario(loaded.scenario, EVIDENCE)
    assert loaded.notices


@pytest.mark.parametrize(
    "text",
    [
        '{"schema": "fentanyl-policy-scenario", "version": 1, "weights": {"durability": %s}}' % ("9" * 400),
        '{"schema": "fentanyl-policy-scenario", "version": 1, "weights": {"durability": %s}}' % ("9" * 5000),
        '{"schema": "fentanyl-policy-scenario", "version": 1, "displacement": {"horizon_years": 1e308}}',
        '{"schema": "fentanyl-policy-scenario", "version": 1, "custom_options": [{"id": "mine\\n", "name": "x", '
        '"rationale": "", "scores": {}}]}',
        '{"schema": "fentanyl-policy-scenario", "version": 1, "overrides": [{"option": "encourage_aml", '
        '"criterion": "durability", "likely": 1, "low": 0, "high": 2, "rationale": "\\ud800"}]}',
    ],
)
def test_hostile_files_found_in_review_are_named_or_skipped(text):
    try:
        loaded = from_json(text, EVIDENCE, CURRENT)
    except ScenarioFileError as err:
        assert str(err)
    else:
        assert loaded.notices
        validate_scenario(loaded.scenario, EVIDENCE)
        to_json(loaded.scenario, EVIDENCE).encode("utf-8")


def test_many_unknown_keys_give_few_notices():
    import json

    data = json.loads(to_json(CURRENT, EVIDENCE))
    data.update({f"k{i}": i for i in range(5000)})
    loaded = from_json(json.dumps(data), EVIDENCE, CURRENT)
    assert len(loaded.notices) == 6 and loaded.notices[-1] == "Ignored 4995 more unknown settings."
