"""What the seminar store holds and returns: its limits, its records and its errors (no SQL here)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 6
MAX_ANSWER_BYTES = 64_000
MAX_NAME_CHARS = 40
LIMITS_PREFIX = "SEMINAR_"


@dataclass(frozen=True)
class Limits:
    """What one client (a network address) and one room may do. Each is overridable by an environment
    variable named ``SEMINAR_`` plus the field's name in capitals (``SEMINAR_JOINS_PER_CLIENT_PER_MINUTE=200``
    for a lecture whose phones all reach a hosted server through one address)."""

    joins_per_client_per_minute: int = 20  # new participants; a reload or second tab is not new
    wrong_codes_per_client: int = 30  # in ``window_minutes`` (typos of a class on one address): 1 code in 887M
    wrong_keys_per_client: int = 5  # in ``window_minutes``
    wrong_keys_per_room: int = 20  # in ``window_minutes``; then only clients with no wrong key here may try
    window_minutes: int = 10
    rooms_per_client_per_hour: int = 10
    live_rooms: int = 1000  # in the whole store
    room_idle_hours: int = 24  # a room with no activity for this long is deleted, answers and all
    max_room_scenario_bytes: int = 32_000  # a room's starting scenario file (answers repeat its score edits)
    max_participants: int = 500  # per room

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(LIMITS_PREFIX + f.name.upper())
            if raw is not None:
                try:
                    values[f.name] = max(1, int(raw))
                except ValueError:
                    continue  # a typo keeps the documented default
        return cls(**values)


class StoreError(Exception):
    """A problem the user can act on; the message says what happened and what to do."""


class RoomNotFound(StoreError):
    pass


class RoomClosed(StoreError):
    pass


class WrongKey(StoreError):
    """A facilitator key or token that does not open the room."""


class TooFast(StoreError):
    pass


class TooMany(StoreError):
    """A limit was reached (people, rooms, attempts); the message says which and when to try again."""


class TooLarge(StoreError):
    pass


class Removed(StoreError):
    """The facilitator removed this participant from the room."""


class NotSaved(StoreError):
    """The database refused the write (read-only, full, unreachable): nothing was saved."""


@dataclass(frozen=True)
class Room:
    code: str
    scenario: str
    round: int
    revealed: bool
    closed: bool


@dataclass(frozen=True)
class OpenedRoom:
    code: str
    key: str  # shown once, to the facilitator alone
    token: str  # this device's facilitator token, kept by its browser


@dataclass(frozen=True)
class Answer:
    participant: str  # the token's hash: never shown
    number: int  # the participant's stable anonymous number in the room
    round: int
    scenario: str
    submitted_at: float


@dataclass(frozen=True)
class Joined:
    room: Room
    number: int
    resumed: bool  # the same participant as before (a reload, a second tab, another app process)
    last_answer: tuple[int, str] | None  # their latest answer (round, scenario file), to restore the phone


@dataclass(frozen=True)
class Person:
    """A participant as the facilitator's controls list them: no name, no token."""

    number: int
    joined_at: float
    client: str
    answered: bool  # in the current round


@dataclass(frozen=True)
class Revealed:
    """What the room's screen shows once the facilitator reveals: the round's answers and the one before,
    and when and from which (hashed) address each participant joined, to spot a burst."""

    room: Room
    answers: list[Answer]
    before: list[Answer]  # the previous round's (empty in round 1)
    joins: list[tuple[int, float, str]]  # (participant number, joined at, address hash)
