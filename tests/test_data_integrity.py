"""The real evidence base: quotes are verbatim, figures match the article, sources are honest."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pandas as pd
import pytest

from conftest import DATA, SEED
from core import supply_chain
from core.evidence import AS_OF_2022, COLUMNS, FILES, NO_SOURCE_2022, split_quote_ids

# Hosts that hold copies or mirrors of other publishers' pages (see the evidence brief);
# the app must cite the original and link only to the publisher's own site.
MIRROR_HOSTS = {
    "docslib.org",
    "fdocuments.us",
    "fdocuments.in",
    "198mexiconews.com",
    "taiseidrug.com",
    "doksi.net",
    "bluelight.org",
    "www.bluelight.org",
    "newsbite.mooo.com",
    "redcensor.com",
    "politics.stackexchange.com",
    "archives.lincolndailynews.com",
    "americansecuritytoday.com",
    "smallwarsjournal.com",
    "droidyapp.net",
    "aiad2022.org",
    "scmp.sxfx.eu.org",
    "bbs.magnum.uk.net",
    "readkong.com",
    "www.readkong.com",
}


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def article() -> str:
    return normalise(SEED.read_text(encoding="utf-8"))


def test_every_seed_quote_is_verbatim_in_the_article(evidence, article):
    seed_quotes = evidence.quotes[evidence.quotes["source_id"] == "epoch_times_2022"]
    assert len(seed_quotes) >= 15
    for _, q in seed_quotes.iterrows():
        assert normalise(q["text"]) in article, f"quote {q['quote_id']} is not verbatim in the seed article"


@pytest.mark.parametrize(
    ("fact_id", "written"),
    [
        ("overdose_deaths_12m_2021", "104,288"),
        ("opioid_deaths_12m_2021", "78,388"),
        ("china_pharma_firms", "5,000"),
        ("china_chemical_firms_low", "160,000"),
        ("china_chemical_firms_high", "400,000"),
        ("otay_mesa_seizure", "3,100"),
    ],
)
def test_seed_figures_match_the_article_exactly(evidence, article, fact_id, written):
    fact = evidence.facts.set_index("fact_id").loc[fact_id]
    assert f"{int(fact['value']):,}" == written
    assert written in article
    quote = evidence.quote_rows[fact["quote_id"]]
    assert written in quote["text"], "the fact's quote must contain the figure"


def test_caulkins_dollar_figures_are_his(evidence, article):
    facts = evidence.facts.set_index("fact_id")
    assert facts.at["china_export_value_high", "value"] == 25_000_000
    assert facts.at["china_export_value_likely", "value"] == 10_000_000
    assert "less than $25 million per year and possibly more like $10 million" in article


def test_provisional_death_count_is_labelled_as_such(evidence):
    facts = evidence.facts.set_index("fact_id")
    for fact_id in ("overdose_deaths_12m_2021", "opioid_deaths_12m_2021"):
        assert "12 months" in facts.at[fact_id, "period"]
        assert "provisional" in facts.at[fact_id, "note"]


def test_every_cited_quote_exists_and_has_a_source(evidence):
    rows = [((r["option_id"], r["criterion_id"]), r) for r in evidence.scores_2022.to_dict("records")]
    for (option_id, criterion_id), row in [*evidence.score_rows.items(), *rows]:
        for qid in split_quote_ids(row["quote_ids"]):
            assert qid in evidence.quote_rows, f"{option_id}/{criterion_id} cites unknown quote {qid!r}"
            assert evidence.quote_rows[qid]["source_id"] in evidence.source_rows
        assert len(str(row["rationale"])) > 20, f"{option_id}/{criterion_id} needs a real rationale"


def test_a_cell_without_a_source_says_so(evidence):
    # No source is an empty quote_ids cell, and the rationale says so first; a cited cell never claims no source.
    for (option_id, criterion_id), row in evidence.score_rows.items():
        cited = split_quote_ids(row["quote_ids"])
        says_none = str(row["rationale"]).startswith("No source: our judgement.")
        assert says_none == (not cited), f"{option_id}/{criterion_id}: blank quote_ids and 'No source' go together"


def post_article_cells(evidence):
    """The 2022-option cells of scores.csv that cite a post-article quote, and those citing nothing else."""
    post_option = dict(zip(evidence.option_ids, evidence.option_post_seed, strict=True))
    any_post, only_post = set(), set()
    for (option_id, criterion_id), row in evidence.score_rows.items():
        if post_option[option_id]:
            continue
        flags = [bool(evidence.quote_rows[q]["post_seed"]) for q in split_quote_ids(row["quote_ids"])]
        if any(flags):
            any_post.add((option_id, criterion_id))
        if flags and all(flags):
            only_post.add((option_id, criterion_id))
    return any_post, only_post


def as_of_2022_cells(evidence):
    return list(zip(evidence.scores_2022["option_id"], evidence.scores_2022["criterion_id"], strict=True))


def test_a_cell_citing_only_post_article_quotes_is_in_the_as_of_2022_table(evidence):
    _, only_post = post_article_cells(evidence)
    assert only_post <= set(as_of_2022_cells(evidence))


def test_every_2022_cell_citing_a_post_article_quote_has_exactly_one_as_of_2022_row(evidence):
    any_post, _ = post_article_cells(evidence)
    listed = as_of_2022_cells(evidence)
    assert sorted(listed) == sorted(any_post), "one row for each such cell, and no others"
    assert len(listed) == len(set(listed))


def test_the_as_of_2022_table_uses_no_post_article_quote(evidence):
    for row in evidence.scores_2022.itertuples(index=False):
        for qid in split_quote_ids(row.quote_ids):
            assert not evidence.quote_rows[qid]["post_seed"], f"{row.option_id}/{row.criterion_id} cites {qid}"


def test_the_as_of_2022_view_covers_the_2022_options_and_falls_back_to_neutral_only_without_a_source(evidence):
    post_option = dict(zip(evidence.option_ids, evidence.option_post_seed, strict=True))
    for row in evidence.scores_2022.itertuples(index=False):
        assert not post_option[row.option_id]
        j = evidence.criterion_ids.index(row.criterion_id)
        lo, hi = evidence.scale_min[j], evidence.scale_max[j]
        assert lo <= row.low <= row.likely <= row.high <= hi
        fallback = not split_quote_ids(row.quote_ids)
        assert row.rationale.startswith(NO_SOURCE_2022) == fallback, (row.option_id, row.criterion_id)
        if fallback:  # the documented neutral score: the middle of the scale and its full range
            assert (row.likely, row.low, row.high) == ((lo + hi) / 2, lo, hi)


def test_post_article_flags_are_consistent(evidence):
    for qid, q in evidence.quote_rows.items():
        source = evidence.source_rows[q["source_id"]]
        if source["post_seed"]:
            assert q["post_seed"], f"quote {qid} comes from a post-article source but is not flagged"
        if source["date"] and source["date"][:7] > "2022-03":
            assert source["post_seed"], f"source {q['source_id']} is dated after March 2022 but not flagged"
    # The 2025 option is marked as after the article.
    assert evidence.options.set_index("option_id").at["fentanyl_tariffs_2025", "post_seed"]


def test_sources_link_only_to_publishers_and_say_when_read_in_a_copy(evidence):
    for source_id, s in evidence.source_rows.items():
        if s["url"]:
            host = urlparse(s["url"]).hostname or ""
            assert host not in MIRROR_HOSTS, f"{source_id} links to a mirror ({host})"
        else:
            assert re.search(r"as reported by|copy|undated", str(s["access_note"]), re.I), (
                f"{source_id} has no publisher URL, so its access note must say how it was read"
            )


def test_options_include_the_report_options_the_anti_option_and_the_baseline(evidence):
    roles = dict(zip(evidence.option_ids, evidence.option_roles, strict=True))
    for option_id in (
        "emphasize_domestic_interest",
        "encourage_aml",
        "global_industry_self_regulation",
        "law_enforcement_cooperation",
        "sanctions_and_indictments",
    ):
        assert roles[option_id] == "option"
    assert roles["diplomatic_concession"] == "anti_option"
    assert roles["status_quo_2022"] == "status_quo"


def test_score_ranges_are_sensible_for_the_key_quotes(evidence):
    # The "no ill effects" options score at the bottom of the ill-effects scale.
    for option_id in ("emphasize_domestic_interest", "encourage_aml"):
        assert evidence.score_rows[(option_id, "ill_effects_risk")]["likely"] == 0
    # Caulkins' "catastrophic error" is the worst diplomatic cost.
    assert evidence.score_rows[("diplomatic_concession", "diplomatic_cost")]["likely"] == 4
    # The report's "may make more of a difference" option has the best effect on precursors.
    effect = {o: evidence.score_rows[(o, "effect_on_precursors")]["likely"] for o in evidence.option_ids}
    assert effect["global_industry_self_regulation"] == max(effect.values())


def test_data_readme_documents_every_file_and_column():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    tables = {**{n: COLUMNS[n] for n in FILES}, **{n: supply_chain.COLUMNS[n] for n in supply_chain.FILES}}
    tables[AS_OF_2022] = COLUMNS["scores"]
    tables["interactions"] = tuple(read_csv("interactions").columns)  # read directly: documented whether loaded or not
    for name, columns in tables.items():
        assert f"`{name}.csv`" in readme, f"data/README.md does not document {name}.csv"
        for column in columns:
            documented = f"`{column}`" in readme or (column in ("lat", "lon") and "`lat`, `lon`" in readme)
            documented = documented or (column in ("from_place", "to_place") and "`from_place`, `to_place`" in readme)
            assert documented, f"data/README.md does not document column {column} of {name}.csv"


# The data tables read directly with pandas, every cell as text (blank stays ""), so these checks do not depend on
# the loader.
def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


COST_PAIR = ("diplomatic_cost", "ill_effects_risk")


def cell_quotes(row: dict) -> set[str]:
    """Every quote a score cell names, for it or against it."""
    return set(split_quote_ids(row.get("quote_ids", ""))) | set(split_quote_ids(row.get("against_quote_ids", "")))


def quotes_setting_both_costs(frame: pd.DataFrame) -> dict[str, set[str]]:
    """Per option, the quotes named in both its diplomatic-cost cell and its ill-effects cell (none expected)."""
    cells = {(r["option_id"], r["criterion_id"]): cell_quotes(r) for r in frame.to_dict("records")}
    shared = {}
    for option_id in {o for o, _ in cells}:
        dip, ill = (cells.get((option_id, c), set()) for c in COST_PAIR)
        if dip & ill:
            shared[option_id] = dip & ill
    return shared


def march_2022_view(scores: pd.DataFrame, as_of: pd.DataFrame) -> pd.DataFrame:
    """The scores the March 2022 view shows: each as-of-2022 row in place of its whole cell in scores.csv."""
    replaced = set(zip(as_of["option_id"], as_of["criterion_id"], strict=True))
    kept = scores[[cell not in replaced for cell in zip(scores["option_id"], scores["criterion_id"], strict=True)]]
    return pd.concat([kept, as_of], ignore_index=True).fillna("")


def test_diplomatic_cost_and_ill_effects_never_rest_on_the_same_quote():
    # One statement sets one of the two: a quote is given to the criterion its words speak to.
    scores, as_of = read_csv("scores"), read_csv(AS_OF_2022)
    for name, frame in (("scores", scores), (AS_OF_2022, as_of), ("March 2022 view", march_2022_view(scores, as_of))):
        assert quotes_setting_both_costs(frame) == {}, f"{name}: a quote sets both diplomatic cost and ill effects"


def test_the_two_cost_definitions_do_not_overlap():
    definitions = read_csv("criteria").set_index("criterion_id")["definition"]
    dip, ill = (definitions[c] for c in COST_PAIR)
    # "Backlash" is what diplomatic cost counts; neither definition may use the word that let both claim it.
    assert "backlash" not in dip.lower() and "backlash" not in ill.lower()
    assert ill.startswith("Harm outside diplomacy") and "diplomatic cost" in ill  # says where a response is counted
    assert "retaliation" in dip and "cooperation lost" in dip


INTERACTION_COLUMNS = ["interaction_id", "option_a", "option_b", "criterion_id", "shift", "quote_ids", "rationale"]


@pytest.fixture(scope="module")
def interactions() -> pd.DataFrame:
    return read_csv("interactions")


def test_interactions_name_existing_options_criteria_and_quotes(interactions):
    assert list(interactions.columns) == INTERACTION_COLUMNS
    assert len(interactions) >= 1
    option_order = list(read_csv("options")["option_id"])
    criteria = set(read_csv("criteria")["criterion_id"])
    quotes = read_csv("quotes").set_index("quote_id")
    ids = list(interactions["interaction_id"])
    assert len(ids) == len(set(ids)), "interaction ids must be unique"
    for row in interactions.to_dict("records"):
        where = row["interaction_id"]
        assert re.fullmatch(r"[a-z][a-z0-9_]*", where), f"{where!r} is not a lower-case slug"
        a, b = row["option_a"], row["option_b"]
        assert a in option_order and b in option_order, where
        assert a != b, f"{where}: an interaction is between two different options"
        assert option_order.index(a) < option_order.index(b), f"{where}: option_a comes first in options.csv"
        assert row["criterion_id"] in criteria, where
        assert re.fullmatch(r"-?[0-9]+", row["shift"]), f"{where}: shift must be a whole number"
        assert int(row["shift"]) in (-2, -1, 1, 2), f"{where}: shift must lie in -2..2 and not be 0"
        cited = split_quote_ids(row["quote_ids"])
        assert cited, f"{where}: an interaction must cite at least one quote"
        for qid in cited:
            assert qid in quotes.index, f"{where} cites unknown quote {qid!r}"
            # Like a score, an interaction rests only on words that were read.
            assert quotes.at[qid, "verbatim"] == "true" and quotes.at[qid, "checked"] in ("publisher", "copy"), qid
        assert len(row["rationale"]) > 40, f"{where} needs a real rationale"


def test_an_interaction_does_not_count_a_members_own_evidence_again(interactions):
    # A consequence already in an option's own score on the criterion is not added again for the package.
    scores = read_csv("scores")
    as_of = read_csv(AS_OF_2022)
    setting = {}
    for frame in (scores, as_of):
        for r in frame.to_dict("records"):
            setting.setdefault((r["option_id"], r["criterion_id"]), set()).update(split_quote_ids(r["quote_ids"]))
    for row in interactions.to_dict("records"):
        cited = set(split_quote_ids(row["quote_ids"]))
        for option_id in (row["option_a"], row["option_b"]):
            again = cited & setting[(option_id, row["criterion_id"])]
            assert not again, f"{row['interaction_id']}: {sorted(again)} already set {option_id}'s own score"
