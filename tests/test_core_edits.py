"""A user's own scores, options and uploaded tables: applied only to that user's evidence, validated first."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from core.edits import custom_option, evidence_with_edits, overrides_from_table
from core.evidence import EvidenceError
from core.problem import build_problem
from core.ranking import rank_options
from core.scenario import ScoreOverride, default_scenario
from core.uploads import read_upload

HEADER = "option_id,criterion_id,likely,low,high,rationale\n"


def test_an_edit_changes_only_that_users_evidence_and_is_marked(evidence):
    s = replace(default_scenario(evidence), overrides=(ScoreOverride("encourage_aml", "durability", 4, 3, 4, "mine"),))
    mine = evidence_with_edits(evidence, s)
    i, j = evidence.option_ids.index("encourage_aml"), evidence.criterion_ids.index("durability")
    assert mine.likely[i, j] == 4 and evidence.likely[i, j] == 1  # the sourced evidence is untouched
    assert mine.score_rows[("encourage_aml", "durability")]["user_edit"] is True
    assert mine.score_rows[("encourage_aml", "durability")]["quote_ids"] == ""
    # Still the sourced version (a file made from it says so), but marked and keyed as the user's own.
    assert mine.version == evidence.version and mine.user_edited and not evidence.user_edited
    assert mine.key != evidence.key
    assert evidence_with_edits(evidence, default_scenario(evidence)) is evidence


def test_a_custom_option_is_ranked_and_labelled_as_yours(evidence):
    scores = pd.DataFrame({"low": [3.0] * 6, "likely": [4.0, 4.0, 0.0, 4.0, 0.0, 0.0], "high": [4.0] * 6})
    scores.loc[[2, 4, 5], "low"] = 0.0
    scores.loc[[2, 4, 5], "high"] = 1.0
    option = custom_option(evidence, "ideal", "An ideal policy", "for the test", scores)
    s = replace(default_scenario(evidence), custom_options=(option,))
    ranking = rank_options(build_problem(evidence_with_edits(evidence, s), s))
    assert ranking.option_ids[0] == "ideal" and ranking.names[0] == "An ideal policy (yours)"


@pytest.mark.parametrize(
    ("option_id", "name", "message"),
    [
        ("Bad Id", "x", "must start with a letter"),
        ("status_quo_2022", "x", "already taken"),
        ("fine", "", "Give the option a name"),
    ],
)
def test_custom_option_mistakes_are_named(evidence, option_id, name, message):
    scores = pd.DataFrame({"low": [1.0] * 6, "likely": [2.0] * 6, "high": [3.0] * 6})
    with pytest.raises(ValueError, match=message):
        custom_option(evidence, option_id, name, "", scores)


def test_only_changed_rows_of_an_edited_table_become_edits(evidence):
    table = pd.DataFrame(
        [
            {
                "option_id": "encourage_aml",
                "criterion_id": "durability",
                "likely": 1.0,
                "low": 0.0,
                "high": 2.0,
                "rationale": evidence.score_rows[("encourage_aml", "durability")]["rationale"],
            },
            {
                "option_id": "encourage_aml",
                "criterion_id": "speed" if False else "time_to_effect",
                "likely": 2.0,
                "low": 1.0,
                "high": 3.0,
                "rationale": "<b>$5</b> **mine**",
            },
        ]
    )
    edits = overrides_from_table(evidence, table)
    assert edits == (ScoreOverride("encourage_aml", "time_to_effect", 2.0, 1.0, 3.0, "<b>$5</b> **mine**"),)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("s.csv", b"", "s.csv is empty."),
        ("s.csv", HEADER.encode(), "s.csv has a header but no data rows."),
        (
            "s.csv",
            b"option_id,criterion_id\nencourage_aml,durability\n",
            "s.csv, row 1, column 'likely' is missing from the header.",
        ),
        (
            "s.csv",
            (HEADER.strip() + ",likely\n").encode() + b"encourage_aml,durability,1,0,2,r,1\n",
            "s.csv, row 1, column 'likely' appears twice in the header.",
        ),
        ("s.csv", b"\x00\x01\x02binary", "s.csv is binary, not a CSV or JSON table."),
        (
            "s.csv",
            "option_id,criterion_id,likely,low,high,rationale\nx,y,1,0,2,caf\xe9\n".encode("latin-1"),
            "s.csv is not UTF-8 text; save it as UTF-8 and try again.",
        ),
        ("s.json", b'{"not": "a list"}', "s.json must be a JSON list of row objects."),
        ("s.json", b'[{"option_id": "x"', "s.json is not valid JSON."),
        ("s.csv", b"a" * 1_048_577, "s.csv is 1,048,577 bytes; the limit is 1,048,576."),
    ],
)
def test_unreadable_uploads_are_named(name, raw, message):
    with pytest.raises(EvidenceError) as info:
        read_upload(name, raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "encourage_aml,durability,1_000,0,2,r",
            "scores.csv, row 2, column 'likely': '1_000' is not a finite number written plainly (like 2 or 2.5).",
        ),
        ("encourage_aml,durability,0x10,0,2,r", "'0x10' is not a finite number"),
        ('encourage_aml,durability,"1,5",0,2,r', "'1,5' is not a finite number"),
        ("encourage_aml,durability,nan,0,2,r", "'nan' is not a finite number"),
        ("encourage_aml,durability,inf,0,2,r", "'inf' is not a finite number"),
        ("encourage_aml,durability,,0,2,r", "'' is not a finite number"),
        ("encourage_aml,durability,9,0,2,r", "'9.0' is outside the scale of 'durability' (0 to 4)."),
        ("encourage_aml,durability,3,0,2,r", "must lie between low (0) and high (2)."),
        ("nobody,durability,1,0,2,r", "'nobody' does not match any option; add your own option first."),
        ("encourage_aml,speed,1,0,2,r", "'speed' does not match any criterion."),
        ("encourage_aml,durability,1,0,2,r\nencourage_aml,durability,1,0,2,r", "appears twice for option"),
        ("encourage_aml,durability,1,0,2," + "x" * 600, "must be plain text of at most 500 characters."),
    ],
)
def test_bad_rows_are_named_and_nothing_changes(evidence, row, message):
    table = read_upload("s.csv", (HEADER + row + "\n").encode())
    with pytest.raises(EvidenceError) as info:
        overrides_from_table(evidence, table)
    assert message in str(info.value)


def test_ragged_rows_are_rejected():
    with pytest.raises(EvidenceError, match=r"s\.csv, row 2 has 8 cells but the header has 6: the table is ragged\."):
        read_upload("s.csv", (HEADER + "encourage_aml,durability,1,0,2,r,extra,more\n").encode())


def test_bom_rtl_and_zero_width_text_are_kept_as_text(evidence):
    rationale = "\u202eright-to-left\u200b and zero-width $x$ <script>"
    raw = ("\ufeff" + HEADER + f"encourage_aml,durability,2,1,3,{rationale}\n").encode("utf-8")
    edits = overrides_from_table(evidence, read_upload("s.csv", raw))
    assert edits[0].rationale == rationale and edits[0].likely == 2.0


def test_json_upload_reads_like_csv(evidence):
    raw = (
        b'[{"option_id": "encourage_aml", "criterion_id": "durability", "likely": 2, "low": 1, "high": 3, '
        b'"rationale": "json"}]'
    )
    assert overrides_from_table(evidence, read_upload("s.json", raw))[0].likely == 2.0
    assert np.isfinite(evidence.likely).all()


def test_an_uploaded_table_can_add_an_option_of_your_own(evidence):
    from core.edits import table_to_edits

    rows = "".join(f"my_policy,{c},3,2,4,Because I think so,My policy\n" for c in evidence.criterion_ids)
    table = read_upload("mine.csv", (HEADER.strip() + ",option_name\n" + rows).encode())
    overrides, customs = table_to_edits(evidence, table, label="mine.csv")
    assert overrides == ()
    assert customs[0].option_id == "my_policy" and customs[0].name == "My policy"
    assert [s[1:] for s in customs[0].scores] == [(2.0, 3.0, 4.0)] * len(evidence.criterion_ids)
    s = replace(default_scenario(evidence), custom_options=customs)
    assert "My policy (yours)" in rank_options(build_problem(evidence_with_edits(evidence, s), s)).names


def test_a_new_option_missing_a_criterion_is_named(evidence):
    from core.edits import table_to_edits

    table = read_upload("mine.csv", (HEADER + "my_policy,durability,3,2,4,r\n").encode())
    with pytest.raises(
        EvidenceError,
        match=r"mine\.csv, row 2, column 'criterion_id': 'effect_on_precursors' has no "
        r"score for the new option 'my_policy'\.",
    ):
        table_to_edits(evidence, table, label="mine.csv")
    table = read_upload("mine.csv", (HEADER + "My Policy!,durability,3,2,4,r\n").encode())
    with pytest.raises(EvidenceError, match="nor a valid id for a new one"):
        table_to_edits(evidence, table, label="mine.csv")


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("a.csv", b"\xef\xbb\xbf", "a.csv is empty."),
        ("a.json", b'[{"b":' + b"[" * 50 + b"]" * 50 + b"}]", "a.json, row 2, column 'b' must hold a single value"),
        ("a.json", b'[{"option_id": "x", "rationale": "\\ud800"}]', "must be plain text"),
        ("a.json", b'[{"likely": ' + b"9" * 5000 + b"}]", "a.json is not valid JSON."),
    ],
)
def test_hostile_uploads_found_in_review_are_named(name, raw, message):
    with pytest.raises(EvidenceError) as info:
        read_upload(name, raw)
    assert message in str(info.value)


def test_custom_option_with_missing_values_is_named(evidence):
    from core.scoring import InputError

    scores = pd.DataFrame({"low": [None] * 6, "likely": [2.0] * 6, "high": [3.0] * 6})
    with pytest.raises(InputError, match="Give numbers for low, likely and high"):
        custom_option(evidence, "mine", "Mine", "", scores)
    with pytest.raises(InputError, match="Give numbers"):
        custom_option(evidence, "mine", "Mine", "", pd.DataFrame({"likely": [2.0] * 6}))
