"""Overview: the question, the options, what the tool is and is not, how to use it, the sources."""

from __future__ import annotations

import streamlit as st

from core.facts import citation, count, dollars
from core.text import md_escape
from ui.loaders import get_evidence

evidence = get_evidence()

st.title("Fentanyl precursors from China: weighing the policy options")
st.markdown(
    "**The question.** Most of the chemicals used to make the illicit fentanyl that kills tens of thousands of "
    "Americans a year come from China's vast, loosely regulated chemical industry, and since 2019 they mostly "
    "reach the US through Mexican cartels. What can the US do about China's role, and at what cost?"
)
st.caption(f"{md_escape(evidence.stamp)}: today means that date throughout.")
st.markdown(
    f"In 2024, **{count(evidence, 'overdose_deaths_2024')}** Americans died of drug overdoses (the final count), "
    "far fewer than at the peak of 2022; no source credits the fall to one cause, and deaths were already falling in "
    "2023. When the article appeared, the latest figure was "
    f"**{count(evidence, 'overdose_deaths_12m_2021')}** in the 12 months to September 2021, "
    f"**{count(evidence, 'opioid_deaths_12m_2021')}** of them involving opioids (a 12-month provisional count, as "
    "Vanda Felbab-Brown gave it in a Brookings blog of 7 March 2022). "
    f"Yet China's exports of fentanyl and precursors are worth, in Jonathan Caulkins' estimate, "
    f'"almost certainly less than {md_escape(dollars(evidence, "china_export_value_high"))} per year".'
)

st.header("The options")
TAGS = {"status_quo": "baseline", "anti_option": "anti-option", "lapsed": "history, not ranked"}
for _, opt in evidence.options.iterrows():
    tags = [TAGS[opt["role"]]] if opt["role"] in TAGS else []
    if opt["post_seed"]:
        tags.append("after the article")
    if opt["in_force_until"]:
        tags.append(f"in force {opt['in_force_from']} to {opt['in_force_until']}")
    tag = f" _({md_escape(', '.join(tags))})_" if tags else ""
    st.markdown(f"- **{md_escape(opt['name'])}**{tag}: {md_escape(opt['summary'])}")

st.header("What is in force today")
st.markdown(
    "Doing nothing new means the measures in force at the evidence date, "
    f"{md_escape(evidence.current_to.removeprefix('Evidence current to '))}: the status quo every option is measured "
    "against."
)
for m in evidence.measures_in_force():
    note = f" {md_escape(m['note'])}" if m["note"] else ""
    st.markdown(
        f"- **{md_escape(m['name'])}** ({md_escape(m['actor'])}), in force from {md_escape(m['in_force_from'])}."
        f"{note} _{md_escape(citation(evidence, str(m['quote_id'])))}._"
    )
ended = [m for m in evidence.measure_rows.values() if m["in_force_until"]]
if ended:
    st.markdown("**Ended**")
    for m in sorted(ended, key=lambda m: str(m["in_force_until"])):
        st.markdown(
            f"- **{md_escape(m['name'])}**: in force {md_escape(m['in_force_from'])} to "
            f"{md_escape(m['in_force_until'])}. {md_escape(m['ended_why'])}"
        )

left, right = st.columns(2)
with left:
    st.header("What this tool is")
    st.markdown(
        "- A way to **weigh** the options in the March 2022 Brookings report (Vanda Felbab-Brown) and Jonathan "
        "Caulkins' warning against the tradeoffs those sources state.\n"
        f"- **Traceable**: every score opens the quotes behind it, their sources and dates; the "
        f"{len(evidence.unsourced_cells)} scores no source speaks to say so (°), and those resting on evidence "
        "from after the article are marked (†).\n"
        "- **A package, not rivals**: the options can be combined; the ranking orders priorities, and packages "
        "of two or three can be scored together.\n"
        "- **Yours to disagree with**: change the weights, rule options out, and see what changes."
    )
with right:
    st.header("What it is not")
    st.markdown(
        "- **Not a forecast.** No source gives numeric scores: each score (0 to 4, with a low-high range) is our "
        "interpretation of the quoted evidence, and the app says so.\n"
        "- **Not the report's own ranking.** The report's recommendations section could not be read in full; "
        "the options are rebuilt from its summary and the article.\n"
        "- Facts from **after March 2022** are marked as such (†), and the ranking can be seen as of March 2022.\n"
        "- **Not the whole policy.** Demand-side measures (prevention, treatment, harm reduction) are outside the "
        "article and its sources, and so outside this tool; of the work with Mexico and India, only the "
        "counternarcotics part is weighed here."
    )

st.header("How to use it")
st.markdown(
    "1. Open **Weigh the options** in the sidebar.\n"
    "2. Pick a lens (our reading of the report, public health first, diplomacy first, equal weights) or move the "
    "sliders.\n"
    "3. Read the verdict and the bars: each coloured segment is one criterion's contribution.\n"
    "4. Choose an option and a criterion to see the quote behind the score.\n"
    "5. Switch the method to closeness to the ideal (TOPSIS) to see whether the top option depends on the "
    "method; open **Show the maths**.\n"
    "6. **How sure is the ranking?** shows each option's chance of ranking first, what would flip the answer, and "
    "the tradeoffs.\n"
    "7. **Understand the supply chain** explains the routes, the money and why supply-side gains erode.\n"
    "8. Combine options into packages on the Weigh page, and switch the evidence to March 2022 to see what was "
    "knowable when the article appeared.\n"
    "9. **Share, save and edit** gives a link and QR code to this exact view, scenario files, a comparison, and "
    "your own scores."
)

st.header("Sources")
for _, src in evidence.sources.iterrows():
    line = f"{md_escape(src['publisher'])}, _{md_escape(src['title'])}_"
    if src["author"]:
        line += f", {md_escape(src['author'])}"
    if src["date"]:
        line += f", {md_escape(src['date'])}"
    if src["url"]:
        line += f" ([link]({src['url'].replace(')', '%29')}))"
    if src["access_note"]:
        line += f". {md_escape(src['access_note'])}"
    if src["post_seed"]:
        line += " † after the article"
    st.markdown(f"- {line}")
cited = list(dict.fromkeys(citation(evidence, q) for q in ("S2", "S20a")))  # each source once
st.caption("Figures above: " + md_escape("; ".join(cited)) + ".")
