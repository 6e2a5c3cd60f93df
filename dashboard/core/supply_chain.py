"""The supply-chain tables in ``data/``: events, overdose deaths, places and routes.

Validated like the rest of the evidence base; every row points to a quote or a source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from core.evidence import DATA_DIR, Evidence
from core.tables import SLUG, Column, EvidenceError, Table, read_table, text_column

MEASURES = ("all_overdose", "synthetic_opioids", "all_overdose_12m_provisional", "opioids_12m_provisional")
STATUSES = ("final", "provisional")
ERAS = ("before_2019", "after_2019", "both")


def _choice(name: str, choices: tuple[str, ...]) -> Column:
    return Column(name, choices=choices, choice_rule=f"must be one of {', '.join(choices)}.")


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "events",
            (
                Column("event_id", "id", pattern=SLUG),
                Column("date", "date"),
                text_column("title"),
                text_column("detail"),
                Column("quote_id", ref="quotes"),
                Column("post_seed", "bool", False),
                text_column("caveat", False),
                Column("disputed", "bool", False),
            ),
        ),
        Table(
            "deaths",
            (
                text_column("year"),
                _choice("measure", MEASURES),
                Column("deaths", "number"),
                _choice("status", STATUSES),
                text_column("period"),
                Column("source_id", ref="sources"),
                Column("post_seed", "bool", False),
                text_column("note", False),
            ),
        ),
        Table(
            "places",
            (
                Column("place_id", "id", pattern=SLUG),
                text_column("name"),
                Column("lat", "number"),
                Column("lon", "number"),
                text_column("note"),
            ),
        ),
        Table(
            "routes",
            (
                Column("route_id", "id", pattern=SLUG),
                _choice("era", ERAS),
                Column("from_place", ref="places"),
                Column("to_place", ref="places"),
                text_column("what"),
                text_column("description"),
                Column("quote_id", ref="quotes"),
            ),
        ),
    )
}
FILES = tuple(TABLES)
COLUMNS: dict[str, tuple[str, ...]] = {name: table.column_names for name, table in TABLES.items()}


@dataclass(frozen=True)
class SupplyChain:
    """The supply-chain tables, shared by every session: each is handed out as a copy."""

    tables: Mapping[str, pd.DataFrame]

    @property
    def events(self) -> pd.DataFrame:
        return self.tables["events"].copy()

    @property
    def deaths(self) -> pd.DataFrame:
        return self.tables["deaths"].copy()

    @property
    def places(self) -> pd.DataFrame:
        return self.tables["places"].copy()

    @property
    def routes(self) -> pd.DataFrame:
        return self.tables["routes"].copy()


def _check_deaths(de: pd.DataFrame) -> None:
    for row, year in enumerate(de["year"], start=2):
        if not re.fullmatch(r"(19|20)\d\d", year):
            raise EvidenceError("deaths", row, "year", year, "must be a four-digit year.")
    for row, value in enumerate(de["deaths"], start=2):
        if value <= 0 or value != int(value):
            raise EvidenceError("deaths", row, "deaths", value, "must be a positive whole number.")
    seen: set[tuple[str, str]] = set()
    for row, (year, measure) in enumerate(zip(de["year"], de["measure"], strict=True), start=2):
        if (year, measure) in seen:
            raise EvidenceError("deaths", row, "measure", measure, f"appears twice for {year}.")
        seen.add((year, measure))


def _check_places(pl: pd.DataFrame) -> None:
    for row, (lat, lon) in enumerate(zip(pl["lat"], pl["lon"], strict=True), start=2):
        if not -90 <= lat <= 90:
            raise EvidenceError("places", row, "lat", lat, "must be a latitude from -90 to 90.")
        if not -180 <= lon <= 180:
            raise EvidenceError("places", row, "lon", lon, "must be a longitude from -180 to 180.")


def build_supply_chain(texts: Mapping[str, str], evidence: Evidence) -> SupplyChain:
    """Validate the four supply-chain tables against each other and the evidence base."""
    for name in FILES:
        if name not in texts:
            raise EvidenceError(name, None, None, None, "is missing: the supply-chain charts need this table.")
    known = {"quotes": set(evidence.quote_rows), "sources": set(evidence.source_rows)}
    frames = {}
    for name in ("events", "deaths", "places", "routes"):
        frames[name] = read_table(TABLES[name], texts[name], known)
        if name == "places":
            known["places"] = set(frames[name]["place_id"])
    _check_deaths(frames["deaths"])
    frames["deaths"]["year"] = frames["deaths"]["year"].astype(int)
    frames["deaths"]["deaths"] = frames["deaths"]["deaths"].astype(int)
    _check_places(frames["places"])
    frames["events"] = frames["events"].sort_values("date", kind="stable").reset_index(drop=True)
    return SupplyChain(MappingProxyType(frames))


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
    return float(evidence.fact_rows[fact_id]["value"])


def value_chain(evidence: Evidence) -> tuple[Amounts, float, float]:
    """China's export value against US users' spending, and China's share of it (low, high).

    The share is an order-of-magnitude comparison of different years (about 2022 against 2016).
    """
    low, high = _value(evidence, "china_export_value_likely"), _value(evidence, "china_export_value_high")
    spend = _value(evidence, "us_drug_spending_2016")
    amounts = Amounts(
        labels=(
            "China's exports of fentanyl and precursors (Caulkins, about 2022)",
            "What US users spent on four illegal drugs (RAND, 2016)",
        ),
        low=(low, spend),
        high=(high, spend),
        notes=(
            f"possibly ${low / 1e6:g}m, almost certainly under ${high / 1e6:g}m",
            f"about ${spend / 1e9:g}bn, fentanyl not counted",
        ),
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
