"""The supply-chain tables in ``data/``: events, overdose deaths, places and routes.

Validated like the rest of the evidence base; every row points to a quote or a source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.evidence import (
    DATA_DIR,
    DATE,
    SLUG,
    Evidence,
    EvidenceError,
    _check_columns,
    _check_ids,
    _check_refs,
    _check_text,
    _read,
    _to_bool,
    _to_float,
)

FILES = ("events", "deaths", "places", "routes")
COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("event_id", "date", "title", "detail", "quote_id", "post_seed", "caveat"),
    "deaths": ("year", "measure", "deaths", "status", "period", "source_id", "post_seed", "note"),
    "places": ("place_id", "name", "lat", "lon", "note"),
    "routes": ("route_id", "era", "from_place", "to_place", "what", "description", "quote_id"),
}
REQUIRED = {
    "events": ("event_id", "date", "title", "detail", "quote_id"),
    "deaths": ("year", "measure", "deaths", "status", "period", "source_id"),
    "places": ("place_id", "name", "lat", "lon", "note"),
    "routes": ("route_id", "era", "from_place", "to_place", "what", "description", "quote_id"),
}
MEASURES = ("all_overdose", "synthetic_opioids", "all_overdose_12m_provisional", "opioids_12m_provisional")
STATUSES = ("final", "provisional")
ERAS = ("before_2019", "after_2019", "both")


@dataclass(frozen=True)
class SupplyChain:
    events: pd.DataFrame
    deaths: pd.DataFrame
    places: pd.DataFrame
    routes: pd.DataFrame

    @property
    def place_rows(self) -> Mapping[str, Mapping[str, object]]:
        return {r["place_id"]: r for r in self.places.to_dict("records")}


def _check_choice(name: str, frame: pd.DataFrame, col: str, choices: tuple[str, ...]) -> None:
    for row, value in zip(range(2, len(frame) + 2), frame[col], strict=True):
        if value not in choices:
            raise EvidenceError(name, row, col, value, f"must be one of {', '.join(choices)}.")


def build_supply_chain(texts: Mapping[str, str], evidence: Evidence) -> SupplyChain:
    """Validate the four supply-chain tables against each other and the evidence base."""
    for name in FILES:
        if name not in texts:
            raise EvidenceError(name, None, None, None, "is missing: the supply-chain charts need this table.")
    t = {name: _read(name, texts[name]) for name in FILES}
    for name in FILES:
        _check_columns(name, t[name], COLUMNS[name])
        _check_text(name, t[name], REQUIRED[name])
    quotes, sources = set(evidence.quote_rows), set(evidence.source_rows)

    ev = t["events"]
    _check_ids("events", ev, "event_id", SLUG)
    for row, date in zip(range(2, len(ev) + 2), ev["date"], strict=True):
        if not DATE.match(date):
            raise EvidenceError("events", row, "date", date, "must be YYYY, YYYY-MM or YYYY-MM-DD.")
    _check_refs("events", ev, "quote_id", quotes, "quotes")
    ev["post_seed"] = _to_bool("events", ev, "post_seed")

    de = t["deaths"]
    for row, year in zip(range(2, len(de) + 2), de["year"], strict=True):
        if not re.fullmatch(r"(19|20)\d\d", year):
            raise EvidenceError("deaths", row, "year", year, "must be a four-digit year.")
    de["year"] = de["year"].astype(int)
    _check_choice("deaths", de, "measure", MEASURES)
    _check_choice("deaths", de, "status", STATUSES)
    de["deaths"] = _to_float("deaths", de, "deaths")
    for row, value in zip(range(2, len(de) + 2), de["deaths"], strict=True):
        if value <= 0 or value != int(value):
            raise EvidenceError("deaths", row, "deaths", value, "must be a positive whole number.")
    de["deaths"] = de["deaths"].astype(int)
    _check_refs("deaths", de, "source_id", sources, "sources")
    de["post_seed"] = _to_bool("deaths", de, "post_seed")
    seen: set[tuple[int, str]] = set()
    for row, (year, measure) in enumerate(zip(de["year"], de["measure"], strict=True), start=2):
        if (year, measure) in seen:
            raise EvidenceError("deaths", row, "measure", measure, f"appears twice for {year}.")
        seen.add((year, measure))

    pl = t["places"]
    _check_ids("places", pl, "place_id", SLUG)
    pl["lat"] = _to_float("places", pl, "lat")
    pl["lon"] = _to_float("places", pl, "lon")
    for row, (lat, lon) in enumerate(zip(pl["lat"], pl["lon"], strict=True), start=2):
        if not -90 <= lat <= 90:
            raise EvidenceError("places", row, "lat", lat, "must be a latitude from -90 to 90.")
        if not -180 <= lon <= 180:
            raise EvidenceError("places", row, "lon", lon, "must be a longitude from -180 to 180.")

    ro = t["routes"]
    _check_ids("routes", ro, "route_id", SLUG)
    _check_choice("routes", ro, "era", ERAS)
    _check_refs("routes", ro, "from_place", set(pl["place_id"]), "places")
    _check_refs("routes", ro, "to_place", set(pl["place_id"]), "places")
    _check_refs("routes", ro, "quote_id", quotes, "quotes")

    ev = ev.sort_values("date", kind="stable").reset_index(drop=True)
    return SupplyChain(events=ev, deaths=de, places=pl, routes=ro)


def load_supply_chain(evidence: Evidence, data_dir: Path = DATA_DIR) -> SupplyChain:
    texts = {}
    for name in FILES:
        path = data_dir / f"{name}.csv"
        if not path.exists():
            raise EvidenceError(name, None, None, None, f"is missing: expected it at {path}.")
        texts[name] = path.read_text(encoding="utf-8")
    return build_supply_chain(texts, evidence)


@dataclass(frozen=True)
class Amounts:
    """Labelled ranges for a bar chart, with the fact ids behind each number."""

    labels: tuple[str, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]
    notes: tuple[str, ...]
    fact_ids: tuple[tuple[str, ...], ...]

    def table(self, unit: str) -> pd.DataFrame:
        return pd.DataFrame(
            {"Item": self.labels, f"Low ({unit})": self.low, f"High ({unit})": self.high, "Note": self.notes}
        )


def _value(evidence: Evidence, fact_id: str) -> float:
    return float(evidence.facts.set_index("fact_id").at[fact_id, "value"])


def value_chain(evidence: Evidence) -> tuple[Amounts, float, float]:
    """China's export value against US users' spending, and China's share of it (low, high).

    The share is an order-of-magnitude comparison of different years (about 2022 against 2016).
    """
    low, high = _value(evidence, "china_export_value_likely"), _value(evidence, "china_export_value_high")
    spend = _value(evidence, "us_drug_spending_2016")
    amounts = Amounts(
        labels=(
            "China's exports of fentanyl and precursors (Caulkins, about 2022)",
            "What US users spent on illegal drugs (RAND, 2016)",
        ),
        low=(low, spend),
        high=(high, spend),
        notes=(f"possibly ${low / 1e6:g}m, almost certainly under ${high / 1e6:g}m", f"about ${spend / 1e9:g}bn"),
        fact_ids=(("china_export_value_likely", "china_export_value_high"), ("us_drug_spending_2016",)),
    )
    return amounts, low / spend, high / spend


def industry_scale(evidence: Evidence) -> tuple[Amounts, float, float]:
    """Firms in China's pharmaceutical and chemical industries, and how many times larger the second is."""
    pharma = _value(evidence, "china_pharma_firms")
    chem_low, chem_high = _value(evidence, "china_chemical_firms_low"), _value(evidence, "china_chemical_firms_high")
    amounts = Amounts(
        labels=("Pharmaceutical firms", "Chemical manufacturers and distributors"),
        low=(pharma, chem_low),
        high=(pharma, chem_high),
        notes=(
            f"more than {pharma:,.0f}",
            f"{chem_low:,.0f} to {chem_high:,.0f}",
        ),
        fact_ids=(("china_pharma_firms",), ("china_chemical_firms_low", "china_chemical_firms_high")),
    )
    return amounts, chem_low / pharma, chem_high / pharma
