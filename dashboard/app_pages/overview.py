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
st.markdown(
    f"In the 12 months from October 2020 to September 2021, **{count(evidence, 'overdose_deaths_12m_2021')}** "
    f"Americans died of drug overdoses, **{count(evidence, 'opioid_deaths_12m_2021')}** of them involving opioids "
    "(a 12-month provisional count, as Vanda Felbab-Brown gave it in a Brookings blog of 7 March 2022 and the "
    "article repeated it). "
    f"Yet China's exports of fentanyl and precursors are worth, in Jonathan Caulkins' estimate, "
    f'"almost certainly less than {md_escape(dollars(evidence, "china_export_value_high"))} per year".'
)

st.header("The options")
for _, opt in evidence.options.iterrows():
    tags = []
    if opt["role"] == "status_quo":
        tags.append("baseline")
    if opt["role"] == "anti_option":
        tags.append("anti-option")
    if opt["post_seed"]:
        tags.append("after the article")
    tag = f" _({', '.join(tags)})_" if tags else ""
    st.markdown(f"- **{md_escape(opt['name'])}**{tag}: {md_escape(opt['summary'])}")

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
        "- **Not the whole policy.** Demand-side measures (prevention, treatment, harm reduction) and measures "
        "aimed at Mexico are outside the article, and so outside this tool."
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
