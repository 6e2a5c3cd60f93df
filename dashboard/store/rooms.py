"""The seminar rooms' store: the one module callers use to talk to the database (SQLAlchemy Core).

:class:`Rooms` holds what participants do and what a room's screen reads; what the facilitator does is
in :mod:`store.facilitating`, the plumbing (transactions, the limits' counts, expiry) in :mod:`store.base`.

An SQLite file by default (no set-up: WAL journal, ``BEGIN IMMEDIATE`` transactions so writers queue
instead of failing, a busy timeout, full sync so a confirmed answer survives a crash, the file readable
by its owner only), or PostgreSQL when ``DATABASE_URL`` is given (several app replicas behind a load
balancer share one database, and so every participant's identity and every limit).

Who may do what rests on secrets that only their holders see, each stored here as its SHA-256 only:

- the **facilitator key**, shown once when a room opens, claims the room's controls on a device
  (:meth:`Rooms.claim`); attempts are limited per client and per room (:class:`Limits`);
- a **facilitator token**, one per device that opened or claimed the room, kept by that browser, lets
  it back in after a reload without the key (:meth:`Rooms.facilitator`);
- a **participant token**, kept by a phone's browser, is the participant: a reload, a second tab or a
  move to another app process presents the same token and is the same participant.

A participant's answer is a scenario in its file form (:mod:`core.scenario_io`), validated by the
caller. Every write is one transaction, and :meth:`Rooms.submit` returns only after the commit, so an
answer confirmed to a participant is on disk. Nothing is cached: every read goes to the database.
Every resource a stranger can create is bounded: rooms (per client, in all, and they expire), people
(per client and minute, and per room), and the size of what is stored.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from store.base import client_hash, in_minutes, new_participant, round_answers, secret_hash
from store.facilitating import Facilitating
from store.records import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANSWER_BYTES,
    MAX_NAME_CHARS,
    Answer,
    Joined,
    Limits,
    NotSaved,
    OpenedRoom,
    Person,
    Removed,
    Revealed,
    Room,
    RoomClosed,
    RoomNotFound,
    StoreError,
    TooFast,
    TooLarge,
    TooMany,
    WrongKey,
)
from store.schema import (
    DATABASE_VARIABLE,
    attempts_table,
    make_engine,
    metadata,
    participants_table,
    rooms_table,
    submissions_table,
)

MIN_SECONDS_BETWEEN_SUBMISSIONS = 1.0  # per participant: a double tap saves once
__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DATABASE_VARIABLE",
    "MAX_NAME_CHARS",
    "Answer",
    "Joined",
    "Limits",
    "NotSaved",
    "OpenedRoom",
    "Person",
    "Removed",
    "Room",
    "RoomClosed",
    "RoomNotFound",
    "Rooms",
    "StoreError",
    "TooFast",
    "TooLarge",
    "TooMany",
    "WrongKey",
    "make_engine",
    "metadata",
    "new_participant",
]


class Rooms(Facilitating):
    """Rooms, participants and their answers, in one database: what participants do and what the room's
    screen reads here, what the facilitator does in :class:`store.facilitating.Facilitating`."""

    # ----------------------------------------------------------------------- the room's screen
    def revealed(self, code: str) -> Revealed | None:
        """The room's results once the facilitator has revealed them (None before): no key is needed, as
        they are what the room's screen shows everyone."""
        room = self.room(code)
        if not room.revealed:
            return None
        p = participants_table
        with self._read() as c:
            answers = round_answers(c, code, room.round)
            before = round_answers(c, code, room.round - 1) if room.round > 1 else []
            joins = c.execute(
                select(p.c.number, p.c.joined_at, p.c.client).where(p.c.room_code == code, p.c.removed.isnot(True))
            ).all()
        return Revealed(room, answers, before, [(int(n or 0), float(at), client or "") for n, at, client in joins])

    # ----------------------------------------------------------------------- a participant's phone
    def seat(self, code: str, token: str) -> tuple[Room, str]:
        """The room and what ``token`` is in it ("member", "removed" or "absent"), in one read: what a phone
        checks on every redraw."""
        p, r = participants_table, rooms_table
        mine = (p.c.room_code == r.c.code) & (p.c.participant == secret_hash(token or ""))
        query = select(r, p.c.removed, p.c.number).select_from(r.outerjoin(p, mine)).where(r.c.code == code)
        with self._read() as c:
            row = c.execute(query).first()
        if row is None or self._expired(row.last_active_at):
            raise RoomNotFound(f"There is no room {code}: check the code on the screen.")
        room = Room(row.code, row.scenario, row.round, bool(row.revealed), bool(row.closed))
        status = "absent" if row.number is None else "removed" if row.removed else "member"
        return room, status

    def status(self, code: str, token: str) -> str:
        """What ``token`` is in room ``code``: "member", "removed" or "absent" (never joined, or cleared)."""
        with self._read() as c:
            removed = c.execute(
                select(participants_table.c.removed).where(
                    participants_table.c.room_code == code, participants_table.c.participant == secret_hash(token or "")
                )
            ).first()
        if removed is None:
            return "absent"
        return "removed" if removed[0] else "member"

    # ----------------------------------------------------------------------- joining
    def join(self, code: str, token: str, name: str | None, client: str = "", attempt: int = 0) -> Joined:
        """Join ``code`` as the participant whose browser holds ``token``: the same token is the same
        participant (its name may change), and a new one counts against the client's limit."""
        who = client_hash(client)
        room = self._room_to_join(code, who)
        person = secret_hash(token)
        name = (name or "").strip()[:MAX_NAME_CHARS] or None
        now = self.clock()
        try:
            with self._write() as c:
                # People joining one room at once take their numbers in turn (the room's row is locked until
                # this transaction ends; SQLite has one writer at a time anyway), whichever process they are on.
                c.execute(select(rooms_table.c.code).where(rooms_table.c.code == code).with_for_update())
                joined = self._rejoin(c, room, person, name)
                if joined is not None:
                    return joined
                number = self._next_number(c, code, who, now)
                c.execute(
                    participants_table.insert().values(
                        room_code=code,
                        participant=person,
                        name=name,
                        joined_at=now,
                        number=number,
                        client=client_hash(client, code),
                        removed=False,
                    )
                )
                c.execute(attempts_table.insert().values(kind="join", client=who, room_code=code, at=now))
                self._touch(c, code)
                return Joined(room, number, False, None)
        except IntegrityError:
            # The same participant joined from another tab at the same instant (joined once), or another
            # took the same number at the same instant on a database that does not queue writers: again.
            if attempt >= 5:
                raise NotSaved("Not saved: too many people joined at the same instant. Try again.") from None
            return self.join(code, token, name, client, attempt + 1)

    def _room_to_join(self, code: str, who: str) -> Room:
        """Room ``code``, open, for client ``who``; a wrong code counts against the client's limit, checked first:
        past it even a right code waits, so a right guess tells nothing either."""
        since = self.clock() - self._window()
        with self._read() as c:
            wrong = self._count(c, "code", since, client=who)
        if wrong >= self.limits.wrong_codes_per_client:
            raise TooMany(f"Too many wrong room codes from your network: try again in {in_minutes(self._window())}.")
        try:
            room = self.room(code)
        except RoomNotFound:
            self._note("code", who)
            raise
        if room.closed:
            raise RoomClosed("This room is closed.")
        return room

    def _rejoin(self, c: Connection, room: Room, person: str, name: str | None) -> Joined | None:
        """``person`` back in ``room`` (a reload, a second tab, another process), renamed if given a name;
        None if they never joined it. Raises :class:`Removed` for someone the facilitator removed."""
        p = participants_table
        mine = (p.c.room_code == room.code) & (p.c.participant == person)
        row = c.execute(select(p.c.number, p.c.removed).where(mine)).first()
        if row is None:
            return None
        if row.removed:
            raise Removed("The facilitator removed you from this room.")
        if name:
            c.execute(p.update().where(mine).values(name=name))
        self._touch(c, room.code)
        return Joined(room, int(row.number or 0), True, self._last_answer(c, room.code, person))

    def _next_number(self, c: Connection, code: str, who: str, now: float) -> int:
        """The number of a new participant in room ``code``, once client ``who`` may add one and the room has
        space (else :class:`TooMany`)."""
        recent = self._count(c, "join", now - 60, client=who)
        if recent >= self.limits.joins_per_client_per_minute:
            raise TooMany(
                f"{recent} people joined from your network in the last minute, the most we allow "
                f"({self.limits.joins_per_client_per_minute}): wait a minute and join again."
            )
        count, highest = c.execute(
            select(
                func.count().filter(participants_table.c.removed.isnot(True)),
                func.max(participants_table.c.number),
            ).where(participants_table.c.room_code == code)
        ).one()
        if count >= self.limits.max_participants:
            raise TooMany(f"This room is full ({self.limits.max_participants} people).")
        return int(highest or 0) + 1

    @staticmethod
    def _last_answer(c: Connection, code: str, person: str) -> tuple[int, str] | None:
        row = c.execute(
            select(submissions_table.c.round, submissions_table.c.scenario)
            .where(submissions_table.c.room_code == code, submissions_table.c.participant == person)
            .order_by(submissions_table.c.round.desc(), submissions_table.c.id.desc())
            .limit(1)
        ).first()
        return (int(row.round), row.scenario) if row is not None else None

    # ----------------------------------------------------------------------- answering
    def submit(self, code: str, token: str, scenario: str) -> int:
        """Save the participant's answer for the room's current round, replacing an earlier one; return the round.

        Returns only after the commit. Raises :class:`TooFast` within a second of the last answer.
        """
        if len(scenario.encode("utf-8")) > MAX_ANSWER_BYTES:
            raise TooLarge("Not saved: the answer is too large.")
        person = secret_hash(token)
        now = self.clock()
        try:
            with self._write() as c:
                round_, earlier = self._answer_slot(c, code, person, now)
                s = submissions_table
                if earlier is None:
                    c.execute(
                        s.insert().values(
                            room_code=code, round=round_, participant=person, scenario=scenario, submitted_at=now
                        )
                    )
                else:
                    c.execute(s.update().where(s.c.id == earlier).values(scenario=scenario, submitted_at=now))
                self._touch(c, code)
                return round_
        except IntegrityError:
            # Two answers from one participant at the same instant (a double tap from two tabs, on a database
            # that does not queue writers): the other one was saved, and this one is not needed.
            raise TooFast("Already saved a moment ago; wait a second before saving again.") from None

    @staticmethod
    def _answer_slot(c: Connection, code: str, person: str, now: float) -> tuple[int, int | None]:
        """Where ``person``'s answer goes: room ``code``'s current round, and the id of their earlier answer in
        it (None for a first). Raises when the room is gone or closed, the person is not (or no longer) in
        it, or their earlier answer is less than :data:`MIN_SECONDS_BETWEEN_SUBMISSIONS` old."""
        room = c.execute(select(rooms_table.c.round, rooms_table.c.closed).where(rooms_table.c.code == code)).first()
        if room is None:
            raise RoomNotFound(f"There is no room {code}.")
        if room.closed:
            raise RoomClosed("This room is closed: your answer was not saved.")
        p, s = participants_table, submissions_table
        joined = c.execute(select(p.c.removed).where(p.c.room_code == code, p.c.participant == person)).first()
        if joined is None:
            raise RoomNotFound("Your answer was not saved: the room was cleared. Join again to answer.")
        if joined.removed:
            raise Removed("Not saved: the facilitator removed you from this room.")
        last = c.execute(
            select(s.c.id, s.c.submitted_at).where(
                s.c.room_code == code, s.c.round == room.round, s.c.participant == person
            )
        ).first()
        if last is not None and now - last.submitted_at < MIN_SECONDS_BETWEEN_SUBMISSIONS:
            raise TooFast("Already saved a moment ago; wait a second before saving again.")
        return int(room.round), None if last is None else last.id
