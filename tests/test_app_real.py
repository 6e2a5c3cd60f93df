"""The app shows the real evidence as the sources give it: the Overview's figures, the evidence cards'
quotes and sources, the supply-chain charts, and the loader's message when the data is broken."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_kit import APP, SUPPLY, WEIGH, chart, headings, launch, text


def test_overview_states_question_figures_options_and_scope():
    at = launch()
    body = " ".join(m.value for m in at.markdown)
    assert "**104,288**" in body and "**78,388**" in body
    assert "12-month provisional count" in body
    assert r"\$25 million" in body  # the dollar sign is escaped, not read as LaTeX
    assert "Not a forecast" in body
    assert "Global self-regulation of the chemical and pharmaceutical industries" in body
    assert "after the article" in body


def test_evidence_card_shows_range_rationale_quote_and_source():
    at = launch(WEIGH)
    at.selectbox(key="card_option").set_value("diplomatic_concession").run()
    at.selectbox(key="card_criterion").set_value("diplomatic_cost").run()
    shown = text(at)
    assert "Likely score **4** (very high); range 3 to 4" in shown
    assert "catastrophic error of trading something diplomatically important" in shown
    assert "The Epoch Times" in shown
    assert "our interpretation" in shown


def test_post_article_quotes_are_flagged_on_the_card():
    at = launch(WEIGH)
    at.selectbox(key="card_option").set_value("law_enforcement_cooperation").run()
    at.selectbox(key="card_criterion").set_value("independence_from_relations").run()
    assert "† After the article (March 2022)." in " ".join(c.value for c in at.caption)


def test_broken_evidence_stops_the_app_with_the_loader_message(data_copy, monkeypatch):
    folder = data_copy(scores=lambda t: t.replace("encourage_aml,durability,1,0,2", "encourage_aml,durability,9,0,2"))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "") == (
        "The evidence base in data/ could not be loaded, so the dashboard cannot start. scores.csv, row 9, "
        "column 'likely': '9.0' is outside the scale of 'durability' (0 to 4)."
    )


def test_supply_chain_page_draws_every_chart_with_source_and_data():
    at = launch(SUPPLY)
    keys = (
        "routes_chart",
        "before_after_chart",
        "timeline_chart",
        "deaths_chart",
        "value_chart",
        "industry_chart",
        "displacement_chart",
    )
    for key in keys:
        chart(at, key)
    assert sum(c.value.startswith("Source:") for c in at.caption) >= 7
    assert any("0.007%" in h for h in headings(at))
    # The data behind each chart is built only when its expander is opened, then shown with its CSV.
    assert not at.get("download_button")
    for key in keys:
        at.session_state[f"{key}_data"] = True
    at.run()
    assert not at.exception
    assert sorted(b.proto.label for b in at.get("download_button")) == ["Download as CSV"] * len(keys)
    assert len(at.dataframe) >= len(keys)


def test_era_selector_switches_the_routes():
    at = launch(SUPPLY)
    after = [a["text"].replace("<br>", " ") for a in chart(at, "routes_chart")["layout"]["annotations"]]
    assert "precursors and pre-precursors" in after
    at.get("button_group")[0].set_value("before_2019").run()
    before = [a["text"].replace("<br>", " ") for a in chart(at, "routes_chart")["layout"]["annotations"]]
    assert "finished fentanyl" in before and "precursors and pre-precursors" not in before
