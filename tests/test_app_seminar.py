"""Seminar mode in the app (AppTest, a fresh SQLite file per test): a facilitator opens a room from their scenario,
participants join and answer, the answers stay hidden until revealed, the key never reaches a participant, and
a refused write says "not saved" and keeps the participant's weights."""

from __future__ import annotations

import pytest

from app_kit import launch
from store import rooms as store
from store.rooms import NotSaved, Rooms
from ui import seminar_view, state

ROOM = "app_pages/room.py"
JOIN = "app_pages/join.py"
_SUBMIT = Rooms.submit
HOSTILE = '<img src="http://203.0.113.5/p.png"> [x](http://203.0.113.5) :red[y]'


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATABASE_VARIABLE, f"sqlite:///{tmp_path / 'rooms.sqlite3'}")
    monkeypatch.setattr(store, "MIN_SECONDS_BETWEEN_SUBMISSIONS", 0.0)
    seminar_view.get_rooms.clear()
    yield
    seminar_view.get_rooms.clear()


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def _open_room():
    at = launch(ROOM)
    _button(at, "room_open").click().run()
    assert not at.exception
    return at, *at.session_state[state.ROOM]


def _join(code, name=""):
    at = launch(JOIN)
    at.text_input(key="join_code").set_value(code)
    at.text_input(key="join_name").set_value(name)
    _button(at, "join_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _everything(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.code] + [c.value for c in at.caption]
    return " ".join(parts + [e.value for e in at.error] + [w.value for w in at.warning] + [s.value for s in at.success])


def test_a_room_starts_from_the_facilitators_scenario_and_shows_its_key_once():
    at = launch()
    at.session_state[state.SCENARIO] = at.session_state[state.SCENARIO].with_weights(
        {c: (90 if c == "diplomatic_cost" else 10) for c in at.session_state[state.SCENARIO].weight_map}
    )
    at.switch_page(ROOM).run()
    _button(at, "room_open").click().run()
    code, key = at.session_state[state.ROOM]
    assert any(c.value == key for c in at.code) and any(code in m.value for m in at.markdown)
    at.run()
    assert not any(c.value == key for c in at.code)  # shown once
    participant = _join(code)
    answer = participant.session_state[state.ANSWER]
    assert answer.weight_map["diplomatic_cost"] == 90  # everyone weighs from the facilitator's scenario
    assert [s.value for s in participant.slider][:1] and any(s.value == 90 for s in participant.slider)


def test_answers_are_hidden_until_revealed_then_the_room_is_summarised():
    at, code, _key = _open_room()
    for weight in (80, 20):
        p = _join(code)
        p.slider[0].set_value(weight).run()
        _button(p, "answer_submit").click().run()
        assert any("Saved for round 1" in s.value for s in p.success)
    at.run()
    assert any("2 joined · 2 answered" in m.value for m in at.markdown)
    assert not any(m.value.startswith("### ") for m in at.markdown)  # nothing revealed yet
    _button(at, "room_reveal").click().run()
    assert any(m.value.startswith("### ") and "of 2" in m.value for m in at.markdown)
    assert any(el.proto.id.endswith("room_disagreement") for el in at.get("plotly_chart"))


def test_a_participant_never_holds_the_key_nor_sees_a_name_and_cannot_act_for_the_facilitator():
    at, code, key = _open_room()
    p = _join(code, HOSTILE)
    _button(p, "answer_submit").click().run()
    assert key not in repr(dict(p.session_state)) and key not in _everything(p)
    assert state.ROOM not in p.session_state or not p.session_state[state.ROOM]
    # The participant's session on the facilitator's page has no room: only "open" or "return with the key".
    p.switch_page(ROOM).run()
    assert not any(b.key in ("room_reveal", "room_close", "room_round") for b in p.button)
    p.text_input(key="return_code").set_value(code)
    p.text_input(key="return_key").set_value("guess")
    _button(p, "room_return").click().run()
    assert any("does not open this room" in e.value for e in p.error)
    # Names reach no page: not the facilitator's, revealed or not.
    _button(at, "room_reveal").click().run()
    assert "203.0.113.5" not in _everything(at) and "img" not in _everything(at)


def test_a_refused_write_says_not_saved_and_keeps_the_weights(monkeypatch):
    _at, code, _key = _open_room()
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


def test_a_join_link_brings_the_code_and_a_wrong_code_is_named():
    at2 = launch()  # a fresh session opened with the link
    at2.query_params["room"] = "ABC234"
    at2.session_state[state.LINK_READ] = False
    at2.switch_page(JOIN).run()
    assert at2.text_input(key="join_code").value == "ABC234"
    assert not any("unknown link parts" in w.value for w in at2.warning)
    _button(at2, "join_button").click().run()
    assert any("There is no room ABC234" in e.value for e in at2.error)


def test_the_csv_is_anonymous_and_clearing_needs_the_facilitators_confirmation():
    at, code, key = _open_room()
    for name in (HOSTILE, "Ben"):
        p = _join(code, name)
        _button(p, "answer_submit").click().run()
    rows = seminar_view._csv(code, key, seminar_view.get_evidence()).decode("utf-8").splitlines()
    assert len(rows) == 3 and rows[0].startswith('"Answer","Round"')
    assert not any("Ben" in r or "203.0.113.5" in r for r in rows)
    at.run()
    assert _button(at, "room_clear").disabled  # not without ticking "Yes, delete every answer"
    at.checkbox(key="room_clear_sure").check().run()
    _button(at, "room_clear").click().run()
    assert any("0 joined · 0 answered" in m.value for m in at.markdown)
