"""The evidence base's tables, each declared once, and the loop that reads and checks them in order.

Every table of ``data/`` is one :class:`core.tables.Table` in :data:`TABLES`: its columns, their kinds and
the tables they refer to. The rules that span rows or tables are in :mod:`core.evidence_rules`; the
:class:`core.evidence.Evidence` built from the checked tables is in :mod:`core.evidence`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd

from core.evidence_rules import CHECKED, VIEWS
from core.tables import QUOTE_ID, SLUG, Column, EvidenceError, Table, read_table, text_column

Direction = Literal["benefit", "cost"]
DIRECTIONS: tuple[Direction, ...] = ("benefit", "cost")
ROLES = ("option", "anti_option", "status_quo", "lapsed")  # lapsed: a measure that ended, kept as history


def _id(name: str, pattern=SLUG) -> Column:
    return Column(name, "id", pattern=pattern)


def _ref(name: str, table: str, required: bool = True, multiple: bool = False) -> Column:
    return Column(name, "text", required, ref=table, multiple=multiple)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "criteria",
            (
                _id("criterion_id"),
                text_column("name"),
                text_column("short_name"),
                Column("direction", choices=DIRECTIONS, choice_rule="must be 'benefit' or 'cost'."),
                Column("scale_min", "number"),
                Column("scale_max", "number"),
                text_column("definition"),
                text_column("scale_labels"),
            ),
        ),
        Table(
            "sources",
            (
                _id("source_id"),
                text_column("publisher"),
                text_column("title"),
                text_column("author", False),
                Column("date", "date", False),
                text_column("url", False),
                text_column("access_note", False),
                Column("post_seed", "bool", False),
            ),
        ),
        Table(
            "quotes",
            (
                _id("quote_id", QUOTE_ID),
                _ref("source_id", "sources"),
                text_column("text"),
                text_column("locator"),
                text_column("speaker"),
                Column("post_seed", "bool", False),
                text_column("caveat", False),
                Column("verbatim", "bool", False),
                Column("checked", choices=CHECKED, choice_rule=f"must be one of {', '.join(CHECKED)}."),
            ),
        ),
        Table(
            "options",
            (
                _id("option_id"),
                text_column("name"),
                text_column("short_name"),
                text_column("summary"),
                text_column("origin"),
                Column("role", choices=ROLES, choice_rule=f"must be one of {', '.join(ROLES)}."),
                Column("post_seed", "bool", False),
                Column("supply_side", "bool", False),
                Column("views", choices=VIEWS, choice_rule=f"must be one of {', '.join(VIEWS)}."),
                Column("in_force_from", "date", False),
                Column("in_force_until", "date", False),
                text_column("ended_why", False),
                _ref("life_quote_id", "quotes", required=False),
            ),
        ),
        Table(
            "scores",
            (
                _ref("option_id", "options"),
                _ref("criterion_id", "criteria"),
                Column("likely", "number"),
                Column("low", "number"),
                Column("high", "number"),
                text_column("rationale"),
                _ref("quote_ids", "quotes", required=False, multiple=True),
                _ref("against_quote_ids", "quotes", required=False, multiple=True),
            ),
        ),
        Table(
            "scores_as_of_2022",
            (
                _ref("option_id", "options"),
                _ref("criterion_id", "criteria"),
                Column("likely", "number"),
                Column("low", "number"),
                Column("high", "number"),
                text_column("rationale"),
                _ref("quote_ids", "quotes", required=False, multiple=True),
            ),
            may_be_empty=True,
        ),
        Table(
            "interactions",
            (
                _id("interaction_id"),
                _ref("option_a", "options"),
                _ref("option_b", "options"),
                _ref("criterion_id", "criteria"),
                Column("shift", "number"),
                _ref("quote_ids", "quotes", multiple=True),
                text_column("rationale"),
            ),
            may_be_empty=True,
        ),
        Table(
            "lenses",
            (
                _id("lens_id"),
                text_column("name"),
                text_column("description"),
                _ref("position_quote_id", "quotes", False),
            ),
        ),
        Table(
            "measures",
            (
                _id("measure_id"),
                text_column("name"),
                text_column("actor"),
                _ref("option_id", "options", required=False),
                Column("in_force_from", "date"),
                Column("in_force_until", "date", False),
                text_column("ended_why", False),
                _ref("quote_id", "quotes"),
                text_column("note", False),
            ),
            may_be_empty=True,
        ),
        Table(
            "facts",
            (
                _id("fact_id"),
                text_column("label"),
                Column("value", "number", False),
                text_column("unit", False),
                text_column("qualifier", False),
                text_column("period", False),
                Column("date", "date", False),
                _ref("quote_id", "quotes"),
                Column("post_seed", "bool", False),
                text_column("note", False),
            ),
        ),
        Table("editions", (Column("date"), text_column("summary"))),
    )
}
FILES = tuple(TABLES)
COLUMNS: dict[str, tuple[str, ...]] = {name: table.column_names for name, table in TABLES.items()}
# The order in which tables are read: each after the tables it refers to.
ORDER = (
    "criteria",
    "sources",
    "quotes",
    "options",
    "scores",
    "scores_as_of_2022",
    "interactions",
    "lenses",
    "measures",
    "facts",
    "editions",
)
AS_OF_2022 = "scores_as_of_2022"


def read_all(texts: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """Every table read and checked, each after the tables it refers to."""
    for name in FILES:
        if name not in texts:
            raise EvidenceError(name, None, None, None, "is missing: the evidence base needs this table.")
    frames: dict[str, pd.DataFrame] = {}
    known: dict[str, set[str]] = {}
    for name in ORDER:
        table = TABLES[name]
        if name == "lenses":  # one weight column per criterion
            weights = tuple(Column(c, "number") for c in frames["criteria"]["criterion_id"])
            table = Table(table.name, table.columns, weights)
        frames[name] = read_table(table, texts[name], known)
        id_column = next((c.name for c in table.columns if c.kind == "id"), None)
        if id_column:
            known[name] = set(frames[name][id_column])
    return frames
