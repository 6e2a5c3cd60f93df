"""What a room's facilitator does: open a room, claim its controls with the key (wrong keys limited per client
and per room, so guesses cannot lock the facilitator out), and act on it with a facilitator token: reveal the
answers, start a new round, clear it, remove people, close it, read its answers and who is in it.

:class:`store.rooms.Rooms` holds these together with what participants do; callers use it, not this module.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from store.base import Store, client_hash, in_minutes, new_code, round_answers, secret_hash
from store.records import Answer, NotSaved, OpenedRoom, Person, TooLarge, TooMany, WrongKey
from store.schema import attempts_table, facilitators_table, participants_table, rooms_table, submissions_table


class Facilitating(Store):
    """The facilitator's side of the rooms: past opening and claiming a room, every action needs a facilitator
    token of the room."""

    # ----------------------------------------------------------------------- opening a room
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
        self._check_room_limits(who, now)
        key, token = secrets.token_urlsafe(18), secrets.token_urlsafe(24)
        for _ in range(20):
            opened = OpenedRoom(new_code(), key, token)
            try:
                self._insert_room(opened, scenario, who, now)
                return opened
            except IntegrityError:
                continue  # the code was taken: draw another
        raise NotSaved("Not saved: no free room code was found. Try again.")

    def _check_room_limits(self, who: str, now: float) -> None:
        """Raise :class:`TooMany` past the rooms opened from client ``who`` in the last hour, or in all."""
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

    def _insert_room(self, opened: OpenedRoom, scenario: str, who: str, now: float) -> None:
        """The room, this device's facilitator token and the client's "open" attempt, in one transaction
        (:class:`IntegrityError` when the code is taken)."""
        with self._write() as c:
            c.execute(
                rooms_table.insert().values(
                    code=opened.code,
                    key_hash=secret_hash(opened.key),
                    scenario=scenario,
                    round=1,
                    created_at=now,
                    last_active_at=now,
                )
            )
            self._add_facilitator(c, opened.code, opened.token, now)
            c.execute(attempts_table.insert().values(kind="open", client=who, room_code=opened.code, at=now))

    # ----------------------------------------------------------------------- keys and tokens
    def claim(self, code: str, key: str, client: str = "") -> str:
        """A facilitator token for a device that gives the room's key (the key is compared in constant time).

        Wrong keys are limited per client and per room; once a room has had too many, only clients that have
        not given it a wrong key may try, so a flood of guesses cannot lock its facilitator out.
        """
        who = client_hash(client)
        stored = self._stored_key(code, who)
        if stored is None or not hmac.compare_digest(stored, secret_hash(key or "")):
            self._note("key", who, code)
            raise WrongKey("That facilitator key does not open this room.")
        token = secrets.token_urlsafe(24)
        with self._write() as c:
            self._add_facilitator(c, code, token, self.clock())
            self._touch(c, code)
        return token

    def _stored_key(self, code: str, who: str) -> str | None:
        """The hash of room ``code``'s key (None for no such room), once client ``who`` may try a key: raises
        :class:`TooMany` past its own wrong keys, or past the room's when it gave this room a wrong one."""
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
        return stored

    @staticmethod
    def _add_facilitator(c: Connection, code: str, token: str, now: float) -> None:
        c.execute(facilitators_table.insert().values(token_hash=secret_hash(token), room_code=code, created_at=now))

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

    # ----------------------------------------------------------------------- acting on the room
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

    # ----------------------------------------------------------------------- what the controls read
    def answers(self, code: str, token: str, round_: int | None = None) -> list[Answer]:
        """The answers of a round (all rounds if None) of the people still in the room, for the facilitator."""
        self.facilitator(code, token)
        with self._read() as c:
            return round_answers(c, code, round_)

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
