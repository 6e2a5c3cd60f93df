"""CSV exports: every row survives a strict CSV parser, and no cell can run as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import io
import itertools

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from core.edits import score_table
from core.export import safe_csv
from core.scenario import CustomOption, ScoreOverride, default_scenario

HOSTILE = [
    "=1+1",
    "+x",
    "-2",
    "@SUM(A1)",
    "\tx",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "＝1+1",
    "＋x",
    "－2",
    "＠SUM",
    "a,b",
    'say "hi"',
    # What a spreadsheet may skip, or a reader not see, before the formula.
    "\u200b=1+1",
    "\u2060=1+1",
    "\ufeff=1+1",
    "\x0b=1+1",
    "\x0c=1+1",
    "\x85=1+1",
    "\u2028=1+1",
    "\u200e\u200f-2",
]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=True))


def test_every_formula_start_is_neutralised_and_every_row_survives():
    table = pd.DataFrame({"text": HOSTILE, "=name": range(len(HOSTILE))})
    rows = _rows(safe_csv(table))
    assert len(rows) == len(HOSTILE) + 1  # a carriage return inside a cell never splits a row
    assert rows[0] == ["text", "'=name"]
    for original, row in zip(HOSTILE, rows[1:], strict=True):
        cell = row[0]
        if original in ("a,b", 'say "hi"'):
            assert cell == original
        else:
            assert cell == "'" + original, (original, cell)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "a", " ", "\u200b", "\ufeff", "\x0b", "\x85", "\t"]))
        | st.text(max_size=30),
        min_size=1,
        max_size=20,
    )
)
def test_any_text_reads_back_as_the_same_number_of_rows(texts):
    rows = _rows(safe_csv(pd.DataFrame({"a": texts, "n": range(len(texts))})))
    assert len(rows) == len(texts) + 1
    for text, row in zip(texts, rows[1:], strict=True):
        assert row[0] in (text, "'" + text)  # the text itself, or neutralised with one apostrophe
        assert not _visible(row[0]).startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠"))


def _visible(text: str) -> str:
    """The text from its first character that is not a space, control, format mark or separator."""
    import unicodedata

    return "".join(itertools.dropwhile(lambda c: c.isspace() or unicodedata.category(c)[0] in "CZ", text))


def test_the_score_table_export_includes_the_users_own_options_and_edits(evidence):
    mine = CustomOption("mine", "=HYPERLINK(x)", tuple((c, 1.0, 2.0, 3.0) for c in evidence.criterion_ids), "why")
    edit = ScoreOverride("encourage_aml", "durability", 3.0, 2.0, 4.0, "+my view")
    scenario = default_scenario(evidence)
    scenario = type(scenario)(**{**scenario.__dict__, "overrides": (edit,), "custom_options": (mine,)})
    rows = _rows(safe_csv(score_table(evidence, scenario)))
    header, body = rows[0], rows[1:]
    ids = {r[header.index("option_id")] for r in body}
    assert ids == {*evidence.option_ids, "mine"}
    assert len(body) == (len(evidence.option_ids) + 1) * len(evidence.criterion_ids)
    names = {r[header.index("Option")] for r in body if r[header.index("option_id")] == "mine"}
    assert names == {"'=HYPERLINK(x) (yours)"}
    edited = next(r for r in body if r[header.index("option_id")] == "encourage_aml" and r[1] == "durability")
    assert edited[header.index("Yours")] == "True" and edited[header.index("rationale")] == "'+my view"
