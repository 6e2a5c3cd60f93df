"""Figures from ``data/facts.csv``, formatted for text, with their sources."""

from __future__ import annotations

from collections.abc import Mapping

from core.evidence import Evidence
from core.text import md_escape


def fact(evidence: Evidence, fact_id: str) -> Mapping[str, object]:
    """One row of the facts table; ``KeyError`` names an unknown id."""
    if fact_id not in evidence.fact_rows:
        raise KeyError(f"Unknown fact id {fact_id!r}.")
    return evidence.fact_rows[fact_id]


def count(evidence: Evidence, fact_id: str) -> str:
    """A count written as in the source, with thousands separators: ``104,288``."""
    return f"{int(fact(evidence, fact_id)['value']):,}"


def dollars(evidence: Evidence, fact_id: str) -> str:
    """A dollar amount in words: ``$25 million``, ``$150 billion``."""
    value = float(fact(evidence, fact_id)["value"])
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"${value / size:g} {word}"
    return f"${value:,.0f}"


def citation(evidence: Evidence, quote_id: str) -> str:
    """``Publisher, "Title", date`` for the source of a quote."""
    quote = evidence.quote_rows[quote_id]
    source = evidence.source_rows[quote["source_id"]]
    date = f", {source['date']}" if source["date"] else ""
    return f'{source["publisher"]}, "{source["title"]}"{date}'


def sources_of(evidence: Evidence, quote_ids: str) -> str:
    """The sources behind ``quote_ids`` ("S16;O12") as people name them: "The Epoch Times, 2022-03-14; ...".

    Each source once; "no source" when there is none.
    """
    names: list[str] = []
    for qid in (q.strip() for q in str(quote_ids).split(";")):
        if not qid or qid not in evidence.quote_rows:
            continue
        source = evidence.source_rows[evidence.quote_rows[qid]["source_id"]]
        name = f"{source['publisher']}, {source['date']}" if source["date"] else str(source["publisher"])
        if name not in names:
            names.append(name)
    return "; ".join(names) or "no source"


def citation_markdown(evidence: Evidence, quote_id: str) -> str:
    """Who said a quote, where and when, as safe Markdown: the speaker (unless the publisher speaks for
    itself), publisher, title, date and locator escaped; a link only to the publisher's own http(s) page."""
    q = evidence.quote_rows[quote_id]
    s = evidence.source_rows[q["source_id"]]
    speaker = "" if q["speaker"] == s["publisher"] else f"{md_escape(q['speaker'])}. "
    cite = f"{speaker}{md_escape(s['publisher'])}, _{md_escape(s['title'])}_"
    if s["date"]:
        cite += f", {md_escape(s['date'])}"
    cite += f"; {md_escape(q['locator'])}."
    if s["url"]:
        cite += f" [Source]({s['url'].replace(')', '%29')})"  # checked as a plain http(s) address on loading
    elif s["access_note"]:
        cite += f" {md_escape(s['access_note'])}"
    if q["post_seed"]:
        cite += " **† After the article (March 2022).**"
    return cite
