"""Loading the evidence base: the real data loads, and every kind of damage is named precisely."""

from __future__ import annotations

import re

import pytest

from core.evidence import EvidenceError, load_evidence


def replace_once(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, f"fixture text {old!r} not found"
        return text.replace(old, new, 1)

    return edit


def test_real_evidence_loads_with_full_grid(evidence):
    assert evidence.likely.shape == (len(evidence.option_ids), len(evidence.criterion_ids))
    assert len(evidence.option_ids) >= 7
    assert len(evidence.criterion_ids) == 6
    assert (evidence.low <= evidence.likely).all() and (evidence.likely <= evidence.high).all()


def test_version_changes_when_data_changes(evidence, data_copy):
    changed = load_evidence(data_copy(options=replace_once("China's own interest", "China's interest")))
    assert changed.version != evidence.version
    assert load_evidence(data_copy()).version == evidence.version


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {
                "scores": replace_once(
                    "global_industry_self_regulation,effect_on_precursors,2,1,3",
                    "global_industry_self_regulation,effect_on_precursors,7,1,3",
                )
            },
            "scores.csv, row 14, column 'likely': '7.0' is outside the scale of 'effect_on_precursors' (0 to 4).",
        ),
        (
            {
                "scores": replace_once(
                    "global_industry_self_regulation,effect_on_precursors,2,1,3",
                    "global_industry_self_regulation,effect_on_precursors,0,1,3",
                )
            },
            "scores.csv, row 14, column 'likely': '0.0' must lie between low (1) and high (3).",
        ),
        (
            {
                "scores": replace_once(
                    "global_industry_self_regulation,effect_on_precursors,2,1,3",
                    "global_industry_self_regulation,effect_on_precursors,two,1,3",
                )
            },
            "scores.csv, row 14, column 'likely': 'two' is not a finite number written plainly (like 2 or 2.5).",
        ),
        (
            {
                "scores": replace_once(
                    "global_industry_self_regulation,effect_on_precursors,2,1,3",
                    "global_industry_self_regulation,effect_on_precursors,nan,1,3",
                )
            },
            "scores.csv, row 14, column 'likely': 'nan' is not a finite number written plainly (like 2 or 2.5).",
        ),
        (
            {
                "scores": replace_once(
                    "global_industry_self_regulation,effect_on_precursors,2,1,3",
                    "global_industry_self_regulation,effect_on_precursors,1_0,1,3",
                )
            },
            "scores.csv, row 14, column 'likely': '1_0' is not a finite number written plainly (like 2 or 2.5).",
        ),
        (
            {
                "scores": replace_once(
                    'could not be read.",S17a',
                    'could not be read.",S99',
                )
            },
            "scores.csv, row 14, column 'quote_ids': 'S99' does not match any quote_id in quotes.csv.",
        ),
        (
            {"scores": replace_once("status_quo_2022,durability,", "unknown_option,durability,")},
            "scores.csv, row 39, column 'option_id': 'unknown_option' does not match any id in options.csv.",
        ),
        (
            {"scores": replace_once("status_quo_2022,durability,", "status_quo_2022,effect_on_precursors,")},
            "scores.csv, row 39, column 'criterion_id': 'effect_on_precursors' is scored twice for option "
            "'status_quo_2022'.",
        ),
        (
            {"quotes": replace_once("S16,epoch_times_2022", "S15,epoch_times_2022")},
            "quotes.csv, row 10, column 'quote_id': 'S15' is a duplicate id; ids must be unique.",
        ),
        (
            {"quotes": replace_once("S16,epoch_times_2022", "S16,nowhere_2022")},
            "quotes.csv, row 10, column 'source_id': 'nowhere_2022' does not match any id in sources.csv.",
        ),
        (
            {
                "criteria": replace_once(
                    "diplomatic_cost,Diplomatic or strategic cost,Diplomatic cost,cost",
                    "diplomatic_cost,Diplomatic or strategic cost,Diplomatic cost,costly",
                )
            },
            "criteria.csv, row 6, column 'direction': 'costly' must be 'benefit' or 'cost'.",
        ),
        (
            {"options": replace_once(",status_quo,false", ",option,false")},
            "options.csv, column 'role' must mark exactly one option as status_quo in the march_2022 view.",
        ),
        (
            {"options": replace_once("option_id,name", "option_id,title")},
            "options.csv, row 1, column 'name' is missing from the header.",
        ),
        (
            {
                "lenses": replace_once(
                    "equal,Equal weights,Every criterion counts the same.,10,10,10,10,10,10",
                    "equal,Equal weights,Every criterion counts the same.,10,10,10,10,10,-10",
                )
            },
            "lenses.csv, row 5, column 'ill_effects_risk': '-10.0' is negative; weights must be zero or more.",
        ),
        (
            {
                "lenses": replace_once(
                    "equal,Equal weights,Every criterion counts the same.,10,10,10,10,10,10",
                    "equal,Equal weights,Every criterion counts the same.,0,0,0,0,0,0",
                )
            },
            "lenses.csv, row 5 has all weights zero; at least one must be positive.",
        ),
        (
            {"sources": replace_once("epoch_times_2022,The Epoch Times,", "Epoch Times 2022,The Epoch Times,")},
            "sources.csv, row 2, column 'source_id': 'Epoch Times 2022' is not a valid id "
            "(lower-case letters, digits and underscores).",
        ),
        (
            {
                "sources": replace_once(
                    ",2022-03-14,https://www.theepochtimes.com", ",14/03/2022,https://www.theepochtimes.com"
                )
            },
            "sources.csv, row 2, column 'date': '14/03/2022' must be YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
        (
            {"sources": replace_once("https://www.theepochtimes.com/", "javascript:alert(1)//")},
            None,  # message checked by pattern below
        ),
        (
            {
                "facts": replace_once(
                    "overdose_deaths_12m_2021,US drug overdose deaths,104288",
                    "overdose_deaths_12m_2021,US drug overdose deaths,0x10",
                )
            },
            "facts.csv, row 2, column 'value': '0x10' is not a finite number written plainly (like 2 or 2.5).",
        ),
        (
            {"quotes": lambda text: text.split("\n", 1)[0] + "\n"},
            "quotes.csv has a header but no data rows.",
        ),
        ({"scores": lambda _text: ""}, "scores.csv is empty: it needs a header row and data rows."),
    ],
)
def test_damaged_table_names_file_row_column_value_and_rule(data_copy, edits, message):
    with pytest.raises(EvidenceError) as info:
        load_evidence(data_copy(**edits))
    if message is None:
        assert re.fullmatch(
            r"sources\.csv, row 2, column 'url': 'javascript:.*' must be an http\(s\) address or blank\.",
            str(info.value),
        )
    else:
        assert str(info.value) == message


def test_blank_quote_ids_means_no_source_and_the_rationale_must_say_so(data_copy):
    line = "encourage_aml,ill_effects_risk,0,0,1,"

    def blank(rationale: str):
        def edit(text: str) -> str:
            start = text.index(line)
            end = text.index("\n", start)
            return text[:start] + line + rationale + "," + text[end:]

        return edit

    loaded = load_evidence(data_copy(scores=blank("No source: our judgement. Nothing is given up.")))
    assert loaded.score_rows[("encourage_aml", "ill_effects_risk")]["quote_ids"] == ""
    with pytest.raises(EvidenceError) as info:
        load_evidence(data_copy(scores=blank("Nothing is given up.")))
    assert str(info.value) == (
        "scores.csv, row 13, column 'rationale': 'Nothing is given up.' must begin "
        "'No source: our judgement.' when quote_ids is blank."
    )


AML_COST_2022 = "encourage_aml,diplomatic_cost,1,0,2,"


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {"scores_as_of_2022": replace_once(",O21\n", ",F6a\n")},
            "scores_as_of_2022.csv, row 3, column 'quote_ids': 'F6a' is a quote from after the article (March 2022).",
        ),
        (
            {"scores_as_of_2022": replace_once(AML_COST_2022, "fentanyl_tariffs_2025,diplomatic_cost,1,0,2,")},
            "scores_as_of_2022.csv, row 3, column 'option_id': 'fentanyl_tariffs_2025' is an option from after "
            "the article.",
        ),
        (
            {"scores_as_of_2022": replace_once(AML_COST_2022, "encourage_aml,ill_effects_risk,1,0,2,")},
            "scores_as_of_2022.csv, row 3, column 'criterion_id': 'ill_effects_risk' is not needed for "
            "'encourage_aml': its cell in scores.csv cites no post-article quote.",
        ),
        (
            {"scores_as_of_2022": replace_once(AML_COST_2022, "encourage_aml,durability,1,0,2,")},
            "scores_as_of_2022.csv, row 3, column 'criterion_id': 'durability' is listed twice for 'encourage_aml'.",
        ),
        (
            {"scores_as_of_2022": replace_once(AML_COST_2022, "encourage_aml,diplomatic_cost,3,0,2,")},
            "scores_as_of_2022.csv, row 3, column 'likely': '3.0' must lie between low (0) and high (2).",
        ),
        (
            {"scores_as_of_2022": replace_once("No source before March 2022: the middle", "The middle")},
            "scores_as_of_2022.csv, row 2, column 'rationale': 'The middle of the scale, with the full range. The "
            "evidenc...' must begin 'No source before March 2022: the middle of the scale, with the full range.' "
            "when quote_ids is blank.",
        ),
    ],
)
def test_damaged_as_of_2022_table_is_named(data_copy, edits, message):
    with pytest.raises(EvidenceError) as info:
        load_evidence(data_copy(**edits))
    assert str(info.value) == message


def test_a_cell_citing_a_post_article_quote_needs_an_as_of_2022_row(data_copy):
    def drop(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if not line.startswith(AML_COST_2022))

    with pytest.raises(EvidenceError) as info:
        load_evidence(data_copy(scores_as_of_2022=drop))
    assert str(info.value) == (
        "scores_as_of_2022.csv, column 'criterion_id': 'diplomatic_cost' has no row for 'encourage_aml', "
        "whose score in scores.csv cites a post-article quote."
    )
    folder = data_copy()
    (folder / "scores_as_of_2022.csv").unlink()
    with pytest.raises(EvidenceError, match=r"^scores_as_of_2022\.csv is missing: expected it at"):
        load_evidence(folder)


def test_missing_score_cell_is_named(data_copy):
    def drop(text: str) -> str:
        return "\n".join(line for line in text.split("\n") if not line.startswith("encourage_aml,durability,"))

    with pytest.raises(
        EvidenceError,
        match=r"scores\.csv, column 'criterion_id': 'durability' has no score for "
        r"option 'encourage_aml'\.",
    ):
        load_evidence(data_copy(scores=drop))


def test_missing_file_is_named(data_copy):
    folder = data_copy()
    (folder / "facts.csv").unlink()
    with pytest.raises(EvidenceError, match=r"^facts\.csv is missing"):
        load_evidence(folder)


def test_non_utf8_file_is_named(data_copy):
    folder = data_copy()
    (folder / "options.csv").write_bytes("option_id,name\nx,caf\xe9\n".encode("latin-1"))
    with pytest.raises(EvidenceError, match=r"^options\.csv is not UTF-8 text\.$"):
        load_evidence(folder)


def test_lookups_match_tables(evidence):
    assert evidence.option_name("global_industry_self_regulation") == "Global industry self-regulation"
    assert evidence.criterion_name("diplomatic_cost", short=False) == "Diplomatic or strategic cost"
    assert evidence.scale_label("diplomatic_cost", 4) == "very high"
    assert evidence.scale_label("time_to_effect", 0) == "already in force"
    assert evidence.lens_weights("equal") == {c: 10.0 for c in evidence.criterion_ids}


def test_a_session_cannot_change_what_another_session_sees(evidence):
    """The evidence is shared by every session of the server: nothing reachable from it can be changed."""
    from core.problem import build_problem
    from core.scenario import default_scenario

    arrays = (evidence.likely, evidence.low, evidence.high, evidence.benefit, evidence.scale_min, evidence.scale_max)
    for array in (*arrays, evidence.option_post_seed, evidence.option_supply_side):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]
    table = evidence.options
    table.loc[0, "name"] = "Changed by one session"
    assert evidence.options.loc[0, "name"] != "Changed by one session"  # each session gets its own copy
    for rows in (evidence.score_rows, evidence.quote_rows, evidence.option_names, evidence.lens_table):
        with pytest.raises(TypeError):
            rows["x"] = "y"
    with pytest.raises(TypeError):
        next(iter(evidence.score_rows.values()))["likely"] = 9
    problem = build_problem(evidence, default_scenario(evidence))
    for array in (problem.shares, problem.values, problem.view, problem.in_play):
        assert not array.flags.writeable


def _unread(quote_id: str):
    """Mark one quote's words as not read (its ``checked`` cell, the last of its row)."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        k = next(i for i, line in enumerate(lines) if line.startswith(f"{quote_id},"))
        assert lines[k].rstrip("\n").endswith(",publisher")
        lines[k] = lines[k].rstrip("\n").removesuffix("publisher") + "unchecked\n"
        return "".join(lines)

    return edit


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {"quotes": _unread("S9")},
            "scores.csv, row 18, column 'quote_ids': 'S9' is a quote whose words were not read (a summary or "
            "unchecked copy).",
        ),
        (
            {
                "options": replace_once(
                    "lapsed,true,true,today,2025-02-04,2026-02-24,", "lapsed,true,true,today,2025-02-04,,"
                )
            },
            "options.csv, row 9, column 'ended_why': 'The Supreme Court held on 20 February 2026 that IEEPA doe...' "
            "must say why a measure ended exactly when it has ended.",
        ),
        (
            {"measures": replace_once("2025-02-04,2026-02-24", "2025-02-04,2024-02-24")},
            "measures.csv, row 13, column 'in_force_until': '2024-02-24' must not be before in_force_from "
            "(2025-02-04).",
        ),
        (
            {"options": replace_once(",status_quo,true,true,today,", ",option,true,true,today,")},
            "options.csv, column 'role' must mark exactly one option as status_quo in the today view.",
        ),
    ],
)
def test_the_editions_rules_name_what_breaks_them(data_copy, edits, message):
    """A score rests only on words that were read; a measure's life runs forwards and an ended one says why; each
    evidence date has one status quo."""
    with pytest.raises(EvidenceError) as info:
        load_evidence(data_copy(**edits))
    assert str(info.value) == message
