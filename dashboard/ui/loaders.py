"""Cached loading of the evidence base, shared by every session (it is read-only)."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from core.evidence import DATA_DIR, Evidence, load_evidence
from core.supply_chain import SupplyChain, load_supply_chain

# Lets tests and deployments point the app at another copy of the evidence base.
DATA_DIR_VARIABLE = "DASHBOARD_DATA_DIR"


def _folder() -> str:
    return os.environ.get(DATA_DIR_VARIABLE, str(DATA_DIR))


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str) -> tuple[Evidence, SupplyChain]:
    evidence = load_evidence(Path(folder))
    return evidence, load_supply_chain(evidence, Path(folder))


def get_evidence() -> Evidence:
    """The evidence base, validated once per server process and folder (with the supply-chain tables)."""
    return _load(_folder())[0]


def get_supply_chain() -> SupplyChain:
    return _load(_folder())[1]
