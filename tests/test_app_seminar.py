"""Seminar mode in the app (AppTest, a fresh SQLite file per test): the key shown once and never again, the
controls apart from the room's screen, one participant per phone across reloads, a new round said on the
phone, removal of a burst, a file made only for the facilitator, and the limits on rooms."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import streamlit as st

from app_kit import launch
from core.scenario import ScoreOverride
from core.scenario_io import to_json
from store import rooms as store
from store.rooms import NotSaved, Rooms
from strategies import EVIDENCE
from ui import seminar, state
from ui.loaders import get_evidence

ROOM = "app_pages/room.py"
JOIN = "app_pages/join.py"
SCREEN = "app_pages/screen.py"
_SUBMIT = Rooms.submit
HOSTILE = '<img src="http://203.0.113.5/p.png"> [x](http://203.0.113.5) :red[y]'


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATABASE_VARIABLE, f"sqlite:///{tmp_path / 'rooms.sqlite3'}")
    monkeypatch.setattr(store, "MIN_SECONDS_BETWEEN_SUBMISSIONS", 0.0)
    seminar.forget_stores()
    yield
    seminar.forget_stores()


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def _has_button(at, key) -> bool:
    return any(b.key == key for b in at.button)


def _everything(at) -> str:
    """Every text the page shows, and every value a field holds."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.code] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [s.value for s in at.success]
    parts += [i.value for i in at.info] + [str(t.value) for t in at.text_input]
    return " ".join(parts)


def _open_room(at=None):
    at = at or launch(ROOM)
    _button(at, "room_open").click().run()
    assert not at.exception, [e.value for e in at.exception]
    key = next(t.value for t in at.text_input if t.key == "key_shown")
    _button(at, "key_done").click().run()  # the facilitator closes the dialog
    code, token = at.session_state[state.ROOM]
    return at, code, key, token


def _join(code, name=""):
    at = launch(JOIN)
    at.text_input(key="join_code").set_value(code)
    at.text_input(key="join_name").set_value(name)
    _button(at, "join_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _remembered(at) -> dict:
    return json.loads(at.session_state["remembered_participant"])


def test_the_key_is_shown_once_in_a_dialog_and_the_room_starts_from_the_facilitators_scenario():
    at = launch()
    at.session_state[state.SCENARIO] = at.session_state[state.SCENARIO].with_weights(
        {c: (90 if c == "diplomatic_cost" else 10) for c in at.session_state[state.SCENARIO].weight_map}
    )
    at.switch_page(ROOM).run()
    _button(at, "room_open").click().run()
    key = next(t.value for t in at.text_input if t.key == "key_shown")
    code, token = at.session_state[state.ROOM]
    assert len(key) >= 20 and key != token
    assert "do not show it on the projector" in _everything(at)
    at.run()  # a rerun before the facilitator has kept it (a timer, a reported screen size) keeps the dialog
    assert key in _everything(at)
    _button(at, "key_done").click().run()
    for _ in range(2):  # once closed: the key is on no page and in no state
        at.run()
        assert key not in _everything(at) and key not in repr(dict(at.session_state))
    participant = _join(code)
    answer = participant.session_state[state.ANSWER]
    assert answer.weight_map["diplomatic_cost"] == 90  # everyone weighs from the facilitator's scenario
    assert any(s.value == 90 for s in participant.slider)


def test_the_rooms_screen_shows_the_code_and_counts_and_after_the_reveal_only_results():
    at, code, key, token = _open_room()
    for weight in (80, 20):
        p = _join(code)
        p.slider[0].set_value(weight).run()
        _button(p, "answer_submit").click().run()
        assert any("Saved for round 1" in s.value for s in p.success)
    screen = launch()
    screen.query_params["room"] = code
    screen.session_state[state.LINK_READ] = False
    screen.switch_page(SCREEN).run()
    shown = _everything(screen)
    assert f"# {code}" in [m.value for m in screen.markdown] and "2 joined · 2 answered" in shown
    assert not screen.get("plotly_chart")  # nothing revealed yet
    _button(at, "room_reveal").click().run()
    screen.run()
    headline = next(m.value for m in screen.markdown if m.value.startswith("## "))
    assert "of 2" in headline and screen.get("plotly_chart")
    for page in (screen, at):
        assert key not in _everything(page) and token not in _everything(page)
    # The screen's only buttons step through the scenes: nothing on it acts on the room.
    assert {b.key for b in screen.button} <= {"scene_previous", "scene_next"}


def test_a_reload_or_a_second_tab_is_the_same_participant_with_the_weights_the_phone_had():
    _at, code, _key, token = _open_room()
    phone = _join(code, "Ana")
    phone.slider[0].set_value(65).run()
    _button(phone, "answer_submit").click().run()
    phone.slider[1].set_value(35).run()  # moved after submitting: not sent yet
    remembered = _remembered(phone)
    assert set(remembered) == {code} and remembered[code]["weights"][EVIDENCE.criterion_ids[1]] == 35
    rooms = seminar.get_rooms()
    for _ in range(2):  # a reload, then a second tab: fresh sessions in a browser that remembers
        again = launch()
        again.session_state["remembered_participant"] = json.dumps(remembered)
        again.query_params["room"] = code
        again.session_state[state.LINK_READ] = False
        again.switch_page(JOIN).run()
        assert again.session_state[state.JOINED] == code, _everything(again)
        assert [s.value for s in again.slider][:2] == [65, 35]
        assert rooms.counts(code) == (1, 1)
    # A stranger's phone with the same link is someone else.
    _join(code)
    assert rooms.counts(code) == (2, 1) and [p.number for p in rooms.people(code, token)] == [1, 2]


def test_a_new_round_is_said_on_the_phone_and_unchanged_weights_are_asked_about():
    at, code, _key, token = _open_room()
    phone = _join(code)
    _button(phone, "answer_submit").click().run()
    _button(at, "room_round").click().run()
    phone.run()
    assert any("Round 2 has started" in i.value for i in phone.info)
    _button(phone, "answer_submit").click().run()
    assert any("Submit them unchanged for round 2?" in w.value for w in phone.warning)
    assert seminar.get_rooms().counts(code) == (1, 0)  # nothing filed without a word
    _button(phone, "answer_same").click().run()
    assert any("Saved for round 2" in s.value for s in phone.success)
    assert [a.round for a in seminar.get_rooms().answers(code, token)] == [1, 2]


def test_after_clear_a_phone_that_submits_sees_one_message_and_can_join_again():
    at, code, _key, _token = _open_room()
    phone = _join(code)
    at.checkbox(key="room_clear_sure").check().run()
    _button(at, "room_clear").click().run()
    _button(phone, "answer_submit").click().run()
    messages = [e.value for e in phone.error] + [s.value for s in phone.success] + [i.value for i in phone.info]
    assert len(messages) == 1 and "cleared" in messages[0], messages
    assert _has_button(phone, "join_button") and phone.text_input(key="join_code").value == code


def test_a_refused_write_says_not_saved_and_keeps_the_weights(monkeypatch):
    _at, code, _key, _token = _open_room()
    p = _join(code)
    p.slider[0].set_value(65).run()

    def refuse(*_args, **_kwargs):
        raise NotSaved("Not saved: the database refused the write (disk full). Try again.")

    monkeypatch.setattr(Rooms, "submit", refuse)
    _button(p, "answer_submit").click().run()
    assert any("Not saved" in e.value for e in p.error) and not p.success
    assert p.slider[0].value == 65 and p.session_state[state.ANSWER].weights[0][1] == 65
    monkeypatch.setattr(Rooms, "submit", _SUBMIT)  # the database writes again
    _button(p, "answer_submit").click().run()
    assert any("Saved for round 1" in s.value for s in p.success)


def test_a_burst_from_one_address_is_shown_to_the_facilitator_who_removes_it():
    at, code, _key, _token = _open_room()
    for _ in range(6):  # every AppTest session comes from one address: a burst
        _button(_join(code), "answer_submit").click().run()
    at.run()
    assert any("joined in a burst" in w.value for w in at.warning)
    _button(at, "room_select_burst").click().run()
    assert len(at.multiselect(key="room_remove").value) == 6
    _button(at, "room_remove_button").click().run()
    assert any("0 joined · 0 answered" in m.value for m in at.markdown)


def test_the_answers_file_is_made_on_request_anonymous_and_follows_each_person_across_rounds():
    at, code, _key, _token = _open_room()
    phones = [_join(code, name) for name in (HOSTILE, "Ben")]
    for phone in phones:
        _button(phone, "answer_submit").click().run()
    _button(at, "room_round").click().run()
    phones[1].slider[0].set_value(5).run()
    _button(phones[1], "answer_submit").click().run()
    at.run()
    assert not at.get("download_button")  # nothing is made before the facilitator asks
    _button(at, "room_csv_make").click().run()
    data = at.session_state[state.ROOM_CSV][1].decode("utf-8").splitlines()
    header, rows = data[0], [r.split(",") for r in data[1:]]
    assert header.startswith('"Participant","Round"') and "Joined in a burst" in header
    assert [(r[0], r[1]) for r in rows] == [("1", "1"), ("2", "1"), ("2", "2")]
    assert not any("Ben" in r or "203.0.113.5" in r for r in data)
    assert at.get("download_button")


def test_a_participant_never_holds_the_key_and_cannot_act_for_the_facilitator():
    at, code, key, token = _open_room()
    p = _join(code, HOSTILE)
    _button(p, "answer_submit").click().run()
    assert key not in repr(dict(p.session_state)) and token not in repr(dict(p.session_state))
    p.switch_page(ROOM).run()
    assert not any(_has_button(p, k) for k in ("room_reveal", "room_close", "room_round", "room_clear"))
    p.text_input(key="return_code").set_value(code)
    p.text_input(key="return_key").set_value("guess")
    _button(p, "room_return").click().run()
    assert any("does not open this room" in e.value for e in p.error)
    _button(at, "room_reveal").click().run()
    assert "203.0.113.5" not in _everything(at) and "img" not in _everything(at)


def test_a_scenario_too_large_for_a_room_is_refused_when_it_opens_and_one_within_the_limit_takes_answers():
    at = launch(ROOM)
    overrides = tuple(
        ScoreOverride(o, c, 2.0, 1.0, 3.0, "x" * 480) for o in EVIDENCE.option_ids for c in EVIDENCE.criterion_ids
    )
    base = at.session_state[state.SCENARIO]
    at.session_state[state.SCENARIO] = replace(base, overrides=overrides)
    at.run()
    _button(at, "room_open").click().run()
    assert any("too large to open a room" in e.value for e in at.error)
    # The largest scenario the limit allows: every answer repeats its edits, and each must still be saved.
    limit = store.Limits().max_room_scenario_bytes
    fits = max(
        n for n in range(len(overrides)) if len(to_json(replace(base, overrides=overrides[:n]), EVIDENCE)) <= limit
    )
    at.session_state[state.SCENARIO] = replace(base, overrides=overrides[:fits])
    at.run()
    _button(at, "room_open").click().run()
    assert at.session_state[state.ROOM], _everything(at)
    code, _token = at.session_state[state.ROOM]
    phone = _join(code)
    _button(phone, "answer_submit").click().run()
    assert any("Saved for round 1" in s.value for s in phone.success), _everything(phone)


def test_one_session_opens_a_few_rooms_at_most():
    at = launch(ROOM)
    for _ in range(3):
        at, _code, _key, _token = _open_room(at)
        _button(at, "room_leave").click().run()
    _button(at, "room_open").click().run()
    assert any("the most it may" in e.value for e in at.error) and not at.session_state[state.ROOM]


def test_a_clear_cache_message_leaves_the_shared_store_and_evidence_in_place():
    rooms, evidence = seminar.get_rooms(), get_evidence()
    code = rooms.open_room("{}", "10.0.0.1").code
    st.cache_data.clear()  # what any client's clear_cache message makes the server do
    st.cache_resource.clear()
    assert seminar.get_rooms() is rooms and get_evidence() is evidence
    assert seminar.get_rooms().room(code).code == code
