"""Presenter mode and the briefing section in the app (AppTest): the deck is the scenario's, the scene on
screen steps and stays in range, the chooser edits the deck, and a missing Chromium is said plainly."""

from __future__ import annotations

from dataclasses import replace

from app_kit import SCENARIOS, launch, widget
from core.problem import problem_for
from core.settings import SCENE_IDS, SCENE_NAMES
from exports import images
from ui import briefing_view, state
from ui.loaders import get_evidence

PRESENT = "app_pages/present.py"


def _headline(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## ")).removeprefix("## ")


def _counter(at) -> str:
    return next(m.value for m in at.markdown if " / " in m.value and m.value.startswith("**"))


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_presenter_mode_steps_through_the_scenarios_deck_and_stays_in_range():
    at = launch(PRESENT)
    assert _counter(at) == f"**1 / {len(SCENE_IDS)}**"
    assert "Americans died of overdoses in 2024" in _headline(at)  # the question and the stakes, from the data
    assert _button(at, "scene_previous").disabled
    seen = [_headline(at)]
    for k in range(1, len(SCENE_IDS)):
        _button(at, "scene_next").click().run()
        assert not at.exception
        assert _counter(at) == f"**{k + 1} / {len(SCENE_IDS)}**"
        seen.append(_headline(at))
    assert len(set(seen)) == len(SCENE_IDS)  # a different idea on every screen
    assert _button(at, "scene_next").disabled
    _button(at, "scene_previous").click().run()
    assert _counter(at) == f"**{len(SCENE_IDS) - 1} / {len(SCENE_IDS)}**"
    # The briefer drops scenes: the scene on screen is kept within the shorter deck.
    at.session_state[state.SCENARIO] = replace(at.session_state[state.SCENARIO], scenes=("ranking", "sources"))
    at.run()
    assert _counter(at) == "**2 / 2**" and " scores rest on quoted sources: " in _headline(at)


def test_the_deck_follows_the_scenarios_order():
    at = launch()
    at.session_state[state.SCENARIO] = replace(at.session_state[state.SCENARIO], scenes=("takeaways", "options"))
    at.switch_page(PRESENT).run()
    assert "comes first with these weights" in _headline(at)
    _button(at, "scene_next").click().run()
    problem = problem_for(get_evidence(), at.session_state[state.SCENARIO])
    competing = sum(problem.evidence.option_roles[i] == "option" for i in problem.view)
    assert _headline(at).startswith(f"{competing} options to weigh against doing nothing new")


def test_the_scene_chooser_edits_the_deck_and_refuses_an_empty_one():
    at = launch(SCENARIOS)
    chooser = widget(at, "multiselect", "scenes")
    assert chooser.value == list(SCENE_IDS)
    chooser.set_value(["ranking", "question"]).run()
    assert at.session_state[state.SCENARIO].scenes == ("ranking", "question")
    _button(at, "scenes_standard").click().run()
    assert at.session_state[state.SCENARIO].scenes == ("question", "ranking")
    widget(at, "multiselect", "scenes").set_value([]).run()
    assert at.session_state[state.SCENARIO].scenes == ("question", "ranking")
    assert any("at least one scene" in w.value for w in at.warning)
    assert widget(at, "multiselect", "scenes").value == ["question", "ranking"]
    assert SCENE_NAMES["ranking"] in widget(at, "multiselect", "scenes").options


def test_without_chromium_the_html_briefing_stays_and_the_picture_buttons_say_why(monkeypatch):
    monkeypatch.setattr(images, "_FOUND", [None])
    at = launch(SCENARIOS)
    keys = {b.proto.id for b in at.get("download_button")} | {b.key for b in at.button}
    assert any("download_briefing_html" in k for k in keys)
    assert not any("download_briefing_pptx" in k or "download_scene_png" in k for k in keys)
    assert any("need a Chromium browser" in i.value for i in at.info)


def test_with_chromium_every_briefing_file_is_offered(monkeypatch):
    monkeypatch.setattr(images, "_FOUND", ["/usr/bin/chromium"])
    at = launch(SCENARIOS)
    assert any("download_briefing_html" in b.proto.id for b in at.get("download_button"))
    assert {"download_briefing_pptx", "download_scene_png"} <= {b.key for b in at.button}


def test_a_slow_file_is_made_once_per_session_off_the_page_and_handed_to_its_own_session(monkeypatch):
    """A deck takes seconds: asking again while it is made says so instead of queueing another, a full queue
    says the server is busy, and the finished file is offered for download to the session that asked."""
    import threading

    from ui import slow_files

    monkeypatch.setattr(images, "_FOUND", ["/usr/bin/chromium"])
    release = threading.Event()
    made = []

    def deck(*_args, **_kwargs):
        release.wait(10)
        made.append(1)
        return b"deck of this session"

    monkeypatch.setattr(briefing_view, "_deck", deck)
    at = launch(SCENARIOS)
    _button(at, "download_briefing_pptx").click().run()
    assert any("Preparing the slides" in i.value for i in at.info)
    _button(at, "download_briefing_pptx").click().run()  # an impatient second click
    assert any("Still preparing the slides" in i.value for i in at.info)
    monkeypatch.setattr(slow_files, "MAX_WAITING", 1)  # the queue is full with this session's deck
    other = launch(SCENARIOS)
    _button(other, "download_briefing_pptx").click().run()
    assert any("making other people's files" in i.value for i in other.info)
    release.set()
    at.session_state[slow_files.JOB].future.result(10)
    at.run()
    downloads = [d for d in at.get("download_button") if "download_pptx" in d.proto.id]
    assert len(downloads) == 1 and made == [1]  # one deck made, for the session that asked


def test_the_title_slides_words_typed_on_share_are_the_scenarios_and_reach_the_files(monkeypatch):
    """Title, presenter, organisation and date are part of the scenario (so a link and a file carry them), kept
    as typed, without invisible characters, and handed to the deck and the HTML briefing."""
    from core.scenario_link import to_query

    monkeypatch.setattr(images, "_FOUND", ["/usr/bin/chromium"])
    handed = []
    monkeypatch.setattr(
        briefing_view, "_deck", lambda _e, scenario, link, _m: handed.append((scenario, link)) or b"deck"
    )
    at = launch(SCENARIOS)
    typed = {
        "briefing_title": "[Read](http://203.0.113.5/) me",
        "presenter": "Jane\u202e Doe",
        "organisation": "Office",
    }
    for name, words in typed.items():
        widget(at, "text_input", name).input(words).run()
    scenario = at.session_state[state.SCENARIO]
    assert (scenario.briefing_title, scenario.presenter, scenario.organisation) == (
        "[Read](http://203.0.113.5/) me",
        "Jane Doe",
        "Office",
    )
    query = to_query(scenario, get_evidence())
    assert query["bt"] == scenario.briefing_title and query["bp"] == "Jane Doe"
    _button(at, "download_briefing_pptx").click().run()
    _wait_for_file(at)
    assert handed[0][0].presenter == "Jane Doe"


def test_files_carry_a_link_only_at_a_configured_public_address(monkeypatch):
    """A file travels to people who cannot open this machine: without DASHBOARD_PUBLIC_URL it carries no link
    (and the page says how to set one); with it, the link starts with that address."""
    from ui import links

    monkeypatch.delenv(links.PUBLIC_URL_VARIABLE, raising=False)
    handed = []
    monkeypatch.setattr(images, "_FOUND", ["/usr/bin/chromium"])
    monkeypatch.setattr(briefing_view, "_deck", lambda _e, _s, link, _m: handed.append(link) or b"deck")
    at = launch(SCENARIOS)
    assert any("DASHBOARD\\_PUBLIC\\_URL" in c.value or "DASHBOARD_PUBLIC_URL" in c.value for c in at.caption)
    _button(at, "download_briefing_pptx").click().run()
    _wait_for_file(at)
    monkeypatch.setenv(links.PUBLIC_URL_VARIABLE, "https://policy.example.org/")
    at = launch(SCENARIOS)
    assert not any("DASHBOARD" in c.value for c in at.caption)
    _button(at, "download_briefing_pptx").click().run()
    _wait_for_file(at)
    assert handed[0] == "" and handed[1].startswith("https://policy.example.org/weigh?")


def _wait_for_file(at) -> None:
    """Wait until the session's slow file (made off the page, in a worker thread) is made."""
    from ui import slow_files

    at.session_state[slow_files.JOB].future.result(10)
