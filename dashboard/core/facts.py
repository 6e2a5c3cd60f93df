"""Figures from ``data/facts.csv``, formatted for text, with their sources."""

from __future__ import annotations

import pandas as pd

from core.evidence import Evidence


def fact(evidence: Evidence, fact_id: str) -> pd.Series:
    """One row of the facts table; ``KeyError`` names an unknown id."""
    table = evidence.facts.set_index("fact_id")
    if fact_id not in table.index:
        raise KeyError(f"Unknown fact id {fact_id!r}.")
    return table.loc[fact_id]


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
    quote = evidence.quotes.set_index("quote_id").loc[quote_id]
    source = evidence.sources.set_index("source_id").loc[quote["source_id"]]
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
