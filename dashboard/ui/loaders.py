"""Loading of the evidence base, once per process and folder, shared by every session (it is read-only).

Kept in a cache of its own rather than Streamlit's: any client can ask the server to clear Streamlit's
caches (a ``clear_cache`` message), and nobody should be able to make the server reload its evidence."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from core.evidence import DATA_DIR, Evidence, load_evidence
from core.supply_chain import SupplyChain, load_supply_chain

# Lets tests and deployments point the app at another copy of the evidence base.
DATA_DIR_VARIABLE = "DASHBOARD_DATA_DIR"


def _folder() -> str:
    return os.environ.get(DATA_DIR_VARIABLE, str(DATA_DIR))


@lru_cache(maxsize=4)
def _load(folder: str) -> tuple[Evidence, SupplyChain]:
    evidence = load_evidence(Path(folder))
    return evidence, load_supply_chain(evidence, Path(folder))


def get_evidence() -> Evidence:
    """The evidence base, validated once per server process and folder (with the supply-chain tables)."""
    return _load(_folder())[0]


def get_supply_chain() -> SupplyChain:
    return _load(_folder())[1]
