"""What the seminar's three pages share: the store, the join link, and answers read back as scenarios.

The store is one per server process and database, kept outside Streamlit's caches: any client can ask the
server to clear those (a ``clear_cache`` message), and the rooms' connection pool must outlive that.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pandas as pd

from core.cache import Memo
from core.evidence import Evidence
from core.export import safe_csv
from core.scenario import Scenario
from core.scenario_io import ScenarioFileError, from_json
from core.scoring import InputError
from core.seminar import RoomResults, find_bursts, results_table, room_results
from store.rooms import Answer, Rooms, make_engine
from store.schema import database_url
from ui.links import origin

_LOCK = threading.Lock()
_STORES: dict[str, Rooms] = {}


def get_rooms() -> Rooms:
    """The store for this process's database (made once; it holds a connection pool, never room data)."""
    url = database_url()
    with _LOCK:
        if url not in _STORES:
            _STORES[url] = Rooms(make_engine(url))
        return _STORES[url]


def forget_stores() -> None:
    """Close every store (tests point the app at a new database)."""
    with _LOCK:
        for rooms in _STORES.values():
            rooms.engine.dispose()
        _STORES.clear()


def join_link(code: str) -> str:
    return f"{origin().url}join?room={code}"


def screen_link(code: str) -> str:
    return f"{origin().url}screen?room={code}"


# An answer's file read back, by its text (immutable), so a room's view that redraws every few seconds does not
# read forty files again each time. Bounded; holds nothing a session does not also hold.
_READ: Memo[Scenario | None] = Memo(max_entries=2048)


def _read(text: str, base: Evidence) -> Scenario | None:
    try:
        return from_json(text, base, Scenario(weights=())).scenario
    except (ScenarioFileError, InputError):
        return None  # validated before it was saved; a file from another evidence version may no longer load


def scenarios(answers: Sequence[Answer], base: Evidence) -> tuple[list[Scenario], list[int]]:
    """The answers as scenarios, with their participants' numbers (an answer that no longer loads is left out)."""
    out, numbers = [], []
    for answer in answers:
        scenario = _READ.get((base.key, answer.scenario), lambda text=answer.scenario: _read(text, base))
        if scenario is not None:
            out.append(scenario)
            numbers.append(answer.number)
    return out, numbers


def results(base: Evidence, answers: Sequence[Answer], joins: Sequence[tuple[int, float, str]] = ()) -> RoomResults:
    """The room's results for ``answers``, with the people who joined in a burst marked."""
    parsed, numbers = scenarios(answers, base)
    return room_results(base, parsed, numbers, find_bursts(joins))


def answers_csv(base: Evidence, answers: Sequence[Answer], joins: Sequence[tuple[int, float, str]]) -> bytes:
    """Every round's answers, anonymised: a row per answer, each person under the same number in every round."""
    tables = []
    for round_ in sorted({a.round for a in answers}):
        tables.append(results_table(results(base, [a for a in answers if a.round == round_], joins), round_))
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    if not table.empty:
        table = table.sort_values(["Participant", "Round"], kind="stable")
    return safe_csv(table)
