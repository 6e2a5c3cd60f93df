"""The seminar rooms' store: the one module that talks to the database (SQLAlchemy Core).

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

import hmac
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from store.base import Store, client_hash, in_minutes, new_code, new_participant, secret_hash
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
    facilitators_table,
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


class Rooms(Store):
    """Rooms, participants and their answers, in one database."""

    def open_room(self, scenario: str, client: str = "") -> OpenedRoom:
        """A new room starting from ``scenario`` (a scenario file): its code, its key and this device's token.

        Raises :class:`TooLarge` for a starting scenario over the limit (its score edits would make every
        answer too large) and :class:`TooMany` past the limits on rooms.
        """
        size = len(scenario.encode("utf-8"))
        if size > self.limits.max_room_scenario_bytes:
            raise TooLarge(
                f"This scenario is too large to open a room with ({size:,} bytes of score edits and settings; "
                f"the limit is {self.limits.max_room_scenario_bytes:,}). Undo some score edits and try again."
            )
        self._purge_now_and_then()
        who = client_hash(client)
        now = self.clock()
        with self._read() as c:
            opened = self._count(c, "open", now - 3600, client=who)
            live = int(c.execute(select(func.count()).select_from(rooms_table)).scalar_one())
        if opened >= self.limits.rooms_per_client_per_hour:
            raise TooMany(
                f"Not opened: {opened} rooms were opened from your network in the last hour, the most we allow "
                f"({self.limits.rooms_per_client_per_hour}). Return to one of them, or try again later."
            )
        if live >= self.limits.live_rooms:
            raise TooMany("Not opened: the server holds as many rooms as it can. Try again later.")
        key, token = secrets.token_urlsafe(18), secrets.token_urlsafe(24)
        for _ in range(20):
            code = new_code()
            try:
                with self._write() as c:
                    c.execute(
                        rooms_table.insert().values(
                            code=code,
                            key_hash=secret_hash(key),
                            scenario=scenario,
                            round=1,
                            created_at=now,
                            last_active_at=now,
                        )
                    )
                    c.execute(
                        facilitators_table.insert().values(
                            token_hash=secret_hash(token), room_code=code, created_at=now
                        )
                    )
                    c.execute(attempts_table.insert().values(kind="open", client=who, room_code=code, at=now))
                return OpenedRoom(code, key, token)
            except IntegrityError:
                continue  # the code was taken: draw another
        raise NotSaved("Not saved: no free room code was found. Try again.")

    def claim(self, code: str, key: str, client: str = "") -> str:
        """A facilitator token for a device that gives the room's key (the key is compared in constant time).

        Wrong keys are limited per client and per room; once a room has had too many, only clients that have
        not given it a wrong key may try, so a flood of guesses cannot lock its facilitator out.
        """
        who = client_hash(client)
        since = self.clock() - self._window()
        with self._read() as c:
            mine = self._count(c, "key", since, client=who)
            mine_here = self._count(c, "key", since, client=who, room=code)
            here = self._count(c, "key", since, room=code)
            stored = c.execute(select(rooms_table.c.key_hash).where(rooms_table.c.code == code)).scalar()
        wait = in_minutes(self._window())
        if mine >= self.limits.wrong_keys_per_client:
            raise TooMany(f"Too many wrong keys from your network: try again in {wait}.")
        if here >= self.limits.wrong_keys_per_room and mine_here:
            raise TooMany(f"Too many wrong keys for this room: try again in {wait}, or from another device.")
        if stored is None or not hmac.compare_digest(stored, secret_hash(key or "")):
            self._note("key", who, code)
            raise WrongKey("That facilitator key does not open this room.")
        token = secrets.token_urlsafe(24)
        with self._write() as c:
            c.execute(
                facilitators_table.insert().values(
                    token_hash=secret_hash(token), room_code=code, created_at=self.clock()
                )
            )
            self._touch(c, code)
        return token

    def facilitator(self, code: str, token: str) -> None:
        """Raise :class:`WrongKey` unless ``token`` is a facilitator token of room ``code``."""
        with self._read() as c:
            room = c.execute(
                select(facilitators_table.c.room_code).where(
                    facilitators_table.c.token_hash == secret_hash(token or "")
                )
            ).scalar()
        if room is None or not hmac.compare_digest(room, code):
            raise WrongKey("This device is not the facilitator of that room: return to it with its key.")

    def forget(self, code: str, token: str) -> None:
        """This device leaves the room's controls (the room stays open; the key still claims it)."""
        with self._write() as c:
            c.execute(
                delete(facilitators_table).where(
                    facilitators_table.c.token_hash == secret_hash(token or ""), facilitators_table.c.room_code == code
                )
            )

    def _update(self, code: str, token: str, **values) -> None:
        self.facilitator(code, token)
        with self._write() as c:
            c.execute(
                rooms_table.update().where(rooms_table.c.code == code).values(last_active_at=self.clock(), **values)
            )

    def reveal(self, code: str, token: str, revealed: bool = True) -> None:
        self._update(code, token, revealed=revealed)

    def new_round(self, code: str, token: str) -> int:
        self._update(code, token, round=rooms_table.c.round + 1, revealed=False)
        return self.room(code).round

    def close(self, code: str, token: str) -> None:
        self._update(code, token, closed=True)

    def clear(self, code: str, token: str) -> None:
        """Delete the room's answers and participants (the room stays, at round 1, hidden)."""
        self.facilitator(code, token)
        with self._write() as c:
            c.execute(delete(submissions_table).where(submissions_table.c.room_code == code))
            c.execute(delete(participants_table).where(participants_table.c.room_code == code))
            c.execute(
                rooms_table.update()
                .where(rooms_table.c.code == code)
                .values(round=1, revealed=False, last_active_at=self.clock())
            )

    def remove(self, code: str, token: str, numbers: list[int]) -> int:
        """Remove participants by number, with all their answers; they cannot rejoin with the same phone."""
        self.facilitator(code, token)
        with self._write() as c:
            who = select(participants_table.c.participant).where(
                participants_table.c.room_code == code, participants_table.c.number.in_(list(numbers))
            )
            c.execute(
                delete(submissions_table).where(
                    submissions_table.c.room_code == code, submissions_table.c.participant.in_(who)
                )
            )
            done = c.execute(
                participants_table.update()
                .where(participants_table.c.room_code == code, participants_table.c.number.in_(list(numbers)))
                .values(removed=True)
            ).rowcount
        return int(done or 0)

    def answers(self, code: str, token: str, round_: int | None = None) -> list[Answer]:
        """The answers of a round (all rounds if None) of the people still in the room, for the facilitator."""
        self.facilitator(code, token)
        with self._read() as c:
            return self._answers(c, code, round_)

    @staticmethod
    def _answers(c: Connection, code: str, round_: int | None) -> list[Answer]:
        s, p = submissions_table, participants_table
        query = (
            select(s.c.participant, p.c.number, s.c.round, s.c.scenario, s.c.submitted_at)
            .join(p, (p.c.room_code == s.c.room_code) & (p.c.participant == s.c.participant))
            .where(s.c.room_code == code, p.c.removed.isnot(True))
        )
        if round_ is not None:
            query = query.where(s.c.round == round_)
        rows = c.execute(query.order_by(s.c.id)).all()
        return [Answer(r.participant, int(r.number or 0), r.round, r.scenario, r.submitted_at) for r in rows]

    def revealed(self, code: str) -> Revealed | None:
        """The room's results once the facilitator has revealed them (None before): no key is needed, as
        they are what the room's screen shows everyone."""
        room = self.room(code)
        if not room.revealed:
            return None
        p = participants_table
        with self._read() as c:
            answers = self._answers(c, code, room.round)
            before = self._answers(c, code, room.round - 1) if room.round > 1 else []
            joins = c.execute(
                select(p.c.number, p.c.joined_at, p.c.client).where(p.c.room_code == code, p.c.removed.isnot(True))
            ).all()
        return Revealed(room, answers, before, [(int(n or 0), float(at), client or "") for n, at, client in joins])

    def people(self, code: str, token: str) -> list[Person]:
        """Everyone in the room (not removed), for the facilitator's controls."""
        self.facilitator(code, token)
        p, s = participants_table, submissions_table
        with self._read() as c:
            round_ = c.execute(select(rooms_table.c.round).where(rooms_table.c.code == code)).scalar()
            answered = set(
                c.execute(select(s.c.participant).where(s.c.room_code == code, s.c.round == round_)).scalars()
            )
            rows = c.execute(
                select(p.c.participant, p.c.number, p.c.joined_at, p.c.client)
                .where(p.c.room_code == code, p.c.removed.isnot(True))
                .order_by(p.c.number)
            ).all()
        return [Person(int(r.number or 0), r.joined_at, r.client or "", r.participant in answered) for r in rows]

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

    def join(self, code: str, token: str, name: str | None, client: str = "", attempt: int = 0) -> Joined:
        """Join ``code`` as the participant whose browser holds ``token``: the same token is the same
        participant (its name may change), and a new one counts against the client's limit."""
        who = client_hash(client)
        since = self.clock() - self._window()
        with self._read() as c:
            wrong = self._count(c, "code", since, client=who)
        if wrong >= self.limits.wrong_codes_per_client:  # checked first: a right guess must not tell either
            raise TooMany(f"Too many wrong room codes from your network: try again in {in_minutes(self._window())}.")
        try:
            room = self.room(code)
        except RoomNotFound:
            self._note("code", who)
            raise
        if room.closed:
            raise RoomClosed("This room is closed.")
        person = secret_hash(token)
        name = (name or "").strip()[:MAX_NAME_CHARS] or None
        now = self.clock()
        try:
            with self._write() as c:
                row = c.execute(
                    select(participants_table.c.number, participants_table.c.removed).where(
                        participants_table.c.room_code == code, participants_table.c.participant == person
                    )
                ).first()
                if row is not None:
                    if row.removed:
                        raise Removed("The facilitator removed you from this room.")
                    if name:
                        c.execute(
                            participants_table.update()
                            .where(participants_table.c.room_code == code, participants_table.c.participant == person)
                            .values(name=name)
                        )
                    self._touch(c, code)
                    return Joined(room, int(row.number or 0), True, self._last_answer(c, code, person))
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
                number = int(highest or 0) + 1
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

    @staticmethod
    def _last_answer(c: Connection, code: str, person: str) -> tuple[int, str] | None:
        row = c.execute(
            select(submissions_table.c.round, submissions_table.c.scenario)
            .where(submissions_table.c.room_code == code, submissions_table.c.participant == person)
            .order_by(submissions_table.c.round.desc(), submissions_table.c.id.desc())
            .limit(1)
        ).first()
        return (int(row.round), row.scenario) if row is not None else None

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
                room = c.execute(
                    select(rooms_table.c.round, rooms_table.c.closed).where(rooms_table.c.code == code)
                ).first()
                if room is None:
                    raise RoomNotFound(f"There is no room {code}.")
                if room.closed:
                    raise RoomClosed("This room is closed: your answer was not saved.")
                joined = c.execute(
                    select(participants_table.c.removed).where(
                        participants_table.c.room_code == code, participants_table.c.participant == person
                    )
                ).first()
                if joined is None:
                    raise RoomNotFound("Your answer was not saved: the room was cleared. Join again to answer.")
                if joined.removed:
                    raise Removed("Not saved: the facilitator removed you from this room.")
                last = c.execute(
                    select(submissions_table.c.id, submissions_table.c.submitted_at).where(
                        submissions_table.c.room_code == code,
                        submissions_table.c.round == room.round,
                        submissions_table.c.participant == person,
                    )
                ).first()
                if last is not None and now - last.submitted_at < MIN_SECONDS_BETWEEN_SUBMISSIONS:
                    raise TooFast("Already saved a moment ago; wait a second before saving again.")
                if last is None:
                    c.execute(
                        submissions_table.insert().values(
                            room_code=code, round=room.round, participant=person, scenario=scenario, submitted_at=now
                        )
                    )
                else:
                    c.execute(
                        submissions_table.update()
                        .where(submissions_table.c.id == last.id)
                        .values(scenario=scenario, submitted_at=now)
                    )
                self._touch(c, code)
                return int(room.round)
        except IntegrityError:
            # Two answers from one participant at the same instant (a double tap from two tabs, on a database
            # that does not queue writers): the other one was saved, and this one is not needed.
            raise TooFast("Already saved a moment ago; wait a second before saving again.") from None
