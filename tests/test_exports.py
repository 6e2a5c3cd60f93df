"""The briefing files: HTML that needs nothing from outside and escapes every string, a PowerPoint deck that
python-pptx reads back slide by slide, and chart pictures at projector size (kaleido, with Chromium)."""

from __future__ import annotations

import html
import io
import itertools
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import examples
from core.briefing import NO_LINK, TITLE, build_briefing
from core.edits import evidence_with_edits
from core.evidence import split_quote_ids
from core.hindsight import as_of
from core.montecarlo import rank_acceptability
from core.packages import stated_interactions
from core.problem import build_problem
from core.scenario import CustomOption, ScoreOverride, default_scenario
from core.settings import SCENE_IDS
from core.supply_chain import load_supply_chain
from exports import images
from exports.html import briefing_file, briefing_html
from strategies import EVIDENCE, scenarios

HOSTILE = '</script><script>alert(1)</script><img src="http://203.0.113.5/p.png"> **x** [y](http://203.0.113.5/)'
LINK = "http://127.0.0.1:8501/weigh?w=30.20.10.20.10.10"
CHART_SCENES = {"question", "tradeoffs", "ranking", "robustness", "displacement"}
CHAIN = load_supply_chain(EVIDENCE)


def _briefing(scenario):
    ranked = evidence_with_edits(EVIDENCE, scenario) if (scenario.custom_options or scenario.overrides) else EVIDENCE
    problem = build_problem(ranked, scenario)
    acc = rank_acceptability(problem, samples=2_000, first_only=True)
    return build_briefing(ranked, problem, load_supply_chain(EVIDENCE), acc)


def _hostile_scenario():
    mine = CustomOption("mine", HOSTILE, tuple((c, 4.0, 4.0, 4.0) for c in EVIDENCE.criterion_ids), HOSTILE)
    edit = ScoreOverride("encourage_aml", "durability", 3.0, 2.0, 4.0, HOSTILE)
    return replace(default_scenario(EVIDENCE), custom_options=(mine,), overrides=(edit,))


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def test_the_html_briefing_is_self_contained_with_plotly_inlined_once():
    text = briefing_file(_briefing(default_scenario(EVIDENCE)), link=LINK, made="29 November 2026").decode()
    parser = _Tags()
    parser.feed(text)
    parser.close()
    # Nothing loads from anywhere: no script, stylesheet, image, frame or font from a URL.
    for tag, attrs in parser.tags:
        assert "src" not in attrs, (tag, attrs)
        assert not (tag == "link" and attrs.get("rel") == "stylesheet"), attrs
        assert tag not in ("img", "iframe", "object", "embed"), tag
    assert "url(" not in text.split("<script>", 1)[0]  # the style sheet fetches nothing
    library = [s for s in parser.scripts if "plotly.js v" in s[:400]]
    assert len(library) == 1  # plotly.js once, not per chart
    drawn = [s for s in parser.scripts if "Plotly.newPlot" in s and s is not library[0]]
    assert len(drawn) == len(CHART_SCENES)
    assert "@media print" in text and "break-after: page" in text


def test_the_html_briefing_shows_every_chosen_scene_and_its_one_page_summary_first():
    order = ("takeaways", "ranking", "sources")
    briefing = _briefing(replace(default_scenario(EVIDENCE), scenes=order))
    text = briefing_file(briefing, link=LINK, made="29 November 2026").decode()
    body = text.split("</head>", 1)[1]
    summary_end = body.index("</section>")
    for scene in briefing.scenes:
        assert f'id="scene-{scene.scene_id}"' in body
    positions = [body.index(f'id="scene-{s}"') for s in order]
    assert positions == sorted(positions) and positions[0] > summary_end
    assert "question" not in [s.scene_id for s in briefing.scenes] and 'id="scene-question"' not in body
    for needle in (briefing.stamp, "29 November 2026", "Sources", "weigh?w=30.20.10.20.10.10"):
        assert needle in body
    # The summary gives the ranking and how sure it is even when those scenes are left out of the deck.
    summary = body[:summary_end]
    assert "ranks first" in summary and "How sure:" in summary and "draws within our assumed ranges" in summary


def test_every_footnote_in_the_html_briefing_points_at_a_listed_source():
    briefing = _briefing(default_scenario(EVIDENCE))
    parser = _Tags()
    parser.feed(briefing_file(briefing, link=LINK, made="today").decode())
    targets = {a["id"] for _t, a in parser.tags if a.get("id", "").startswith("source-")}
    notes = [
        a["href"].removeprefix("#") for t, a in parser.tags if t == "a" and a.get("href", "").startswith("#source")
    ]
    assert notes and set(notes) <= targets
    assert len(targets) == len(briefing.listed_sources)
    # Every link in the file stays inside it, or opens a source's own page (or the app) when clicked.
    pages = {url for _s, _c, url in briefing.listed_sources if url} | {LINK}
    assert all(a["href"].startswith("#") or a["href"] in pages for t, a in parser.tags if t == "a")
    assert all(a.get("rel") == "noopener noreferrer" for t, a in parser.tags if t == "a" and a["href"] in pages)


class _Body(HTMLParser):
    """The briefing's body as a reader meets it: each quote shown (its id, whether it is against the score) and
    each source listed (its number, its text and the addresses it links to)."""

    def __init__(self) -> None:
        super().__init__()
        self.quotes: list[tuple[str, bool]] = []
        self.sources: dict[str, dict] = {}
        self.hrefs: list[str] = []
        self._source: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "blockquote" and "data-quote" in attrs:
            self.quotes.append((attrs["data-quote"], attrs.get("class") == "against"))
        if tag == "li" and attrs.get("id", "").startswith("source-"):
            self._source = attrs["id"]
            self.sources[self._source] = {"text": "", "links": []}
        if tag == "a":
            self.hrefs.append(attrs.get("href", ""))
            if self._source:
                self.sources[self._source]["links"].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "li":
            self._source = None

    def handle_data(self, data):
        if self._source:
            self.sources[self._source]["text"] += data


def _body(briefing) -> _Body:
    """The briefing file without its charts (they are not what is read here), parsed."""
    text = briefing_html(briefing, [None] * len(briefing.scenes), link=LINK, made="today")
    parser = _Body()
    parser.feed(text.split("</head>", 1)[1])
    parser.close()
    return parser


def _cells_quotes(evidence, problem) -> tuple[set[str], set[str]]:
    """The quotes behind the scores of the options in view, and those only against them, read from the score
    rows (the user's own scores cite none)."""
    behind, against = set(), set()
    for i in problem.view:
        for c in evidence.criterion_ids:
            row = evidence.score_rows[(evidence.option_ids[i], c)]
            if not row.get("user_edit"):
                behind |= set(split_quote_ids(row.get("quote_ids", "")))
                against |= set(split_quote_ids(row.get("against_quote_ids", "")))
    return behind, against - behind


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_html_briefing_holds_every_quote_behind_the_scores_shown_and_says_how_many(scenario):
    """Every quote behind a score shown is in the file under its option and criterion; every source they cite is
    listed once, linked to its own page; and the Sources scene says exactly how many quotes the file holds."""
    if "sources" not in scenario.scenes:
        scenario = replace(scenario, scenes=(*scenario.scenes, "sources"))
    dated = as_of(EVIDENCE, scenario.evidence_date)
    ranked = evidence_with_edits(dated, scenario) if (scenario.custom_options or scenario.overrides) else dated
    problem = build_problem(ranked, scenario)
    briefing = build_briefing(ranked, problem, CHAIN, rank_acceptability(problem, samples=500, first_only=True))
    body = _body(briefing)
    shown = {q for q, _against in body.quotes}
    behind, against = _cells_quotes(ranked, problem)
    assert behind | against <= shown
    interactions = {q for q in shown - behind - against}  # only from interactions between a package's members
    assert all(any(q in it.quote_ids for it in stated_interactions(ranked)) for q in interactions)
    # Each source the quotes cite, once, linked to its own page when it has one.
    cited = {ranked.quote_rows[q]["source_id"] for q in shown}
    listed = {sid: number for number, (sid, _c, _u) in enumerate(briefing.listed_sources, start=1)}
    assert len(listed) == len(briefing.listed_sources) == len(body.sources)
    for sid in cited:
        entry = body.sources[f"source-{listed[sid]}"]
        url = ranked.source_rows[sid]["url"]
        assert entry["links"] == ([url] if url else []), sid
        assert str(ranked.source_rows[sid]["title"]) in entry["text"]
    # The Sources scene counts what the file holds.
    scene = next(s for s in briefing.scenes if s.scene_id == "sources")
    said = next(p for p in scene.points if "quotes behind these scores" in p or "No quote" in p)
    m = re.match(
        r"All (\d+) quotes behind these scores(?: \(and (\d+) more against them\))? are in the briefing "
        r"file's appendix, each with its source\.$",
        said,
    )
    held_behind = {q for q, is_against in body.quotes if not is_against}
    if m is None:
        assert said.startswith("No quote") and not shown
    else:
        assert int(m[1]) == len(held_behind) and int(m[2] or 0) == len(shown - held_behind)
    n = re.search(r": (\d+) quotes from (\d+) sources", scene.headline)
    assert n and int(n[1]) == len(held_behind)
    assert int(n[2]) == len({ranked.quote_rows[q]["source_id"] for q in held_behind})


def _hostile_evidence():
    """The real evidence with a quote, a source's title and its address made hostile (the loader refuses such an
    address; a renderer must not trust that it did)."""
    row = EVIDENCE.score_rows[("emphasize_domestic_interest", "effect_on_precursors")]
    first, second = split_quote_ids(row["quote_ids"])[:2]
    sid = EVIDENCE.quote_rows[second]["source_id"]
    quotes = dict(EVIDENCE.quote_rows)
    quotes[first] = MappingProxyType({**quotes[first], "text": "<script>alert('quote')</script> & more"})
    sources = dict(EVIDENCE.source_rows)
    sources[sid] = MappingProxyType(
        {**sources[sid], "title": "<script>alert('title')</script>", "url": "javascript:alert('url')"}
    )
    sources["epoch_times_2022"] = MappingProxyType(
        {**sources["epoch_times_2022"], "url": 'https://example.org/"><script>alert(1)</script>'}
    )
    return replace(
        EVIDENCE,
        quote_rows=MappingProxyType(quotes),
        source_rows=MappingProxyType(sources),
        version="hostile-test",
    )


def test_hostile_quotes_and_sources_reach_the_html_briefing_as_text_and_are_never_linked():
    evidence = _hostile_evidence()
    problem = build_problem(evidence, default_scenario(evidence))
    briefing = build_briefing(evidence, problem, CHAIN, rank_acceptability(problem, samples=500, first_only=True))
    text = briefing_file(briefing, link=LINK, made="today").decode()
    body = text.split("</head>", 1)[1]
    assert "&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt; &amp; more" in body  # the words are there...
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in body
    assert "javascript:alert(&#x27;url&#x27;)" in body
    assert "<script>alert(" not in body  # ...never as markup
    parsed = _body(briefing)
    assert parsed.hrefs and all(h.startswith(("#", "http://", "https://")) for h in parsed.hrefs)
    assert not [h for h in parsed.hrefs if "javascript" in h.lower() or "<" in h or '"' in h]


def test_the_cover_heads_the_html_briefing_escaped_with_the_link_back_or_why_there_is_none():
    cover = {
        "briefing_title": "Options for <b>the Member</b>",
        "presenter": "A. <i>Analyst</i>",
        "organisation": "Office & staff",
        "briefing_date": "5 December 2026",
    }
    briefing = _briefing(replace(default_scenario(EVIDENCE), **cover))
    text = briefing_file(briefing, link=LINK, made="4 December 2026").decode()
    head, body = text.split("</head>", 1)
    assert "<title>Options for &lt;b&gt;the Member&lt;/b&gt;</title>" in head
    summary = body[: body.index("</section>")]
    assert summary.index("<h1>Options for &lt;b&gt;the Member&lt;/b&gt;</h1>") < summary.index("In brief")
    assert "A. &lt;i&gt;Analyst&lt;/i&gt;, Office &amp; staff" in summary
    assert "5 December 2026" in summary and "4 December 2026" in summary  # the briefer's date, and the file's
    assert f'<a href="{LINK}" rel="noopener noreferrer">{LINK}</a>' in summary and NO_LINK not in summary
    # Without a public address the file says why it has no link back, instead of one that opens nothing.
    plain = briefing_file(_briefing(default_scenario(EVIDENCE)), link="", made="4 December 2026").decode()
    summary = plain.split("</head>", 1)[1].split("</section>", 1)[0]
    assert html.escape(NO_LINK) in summary and "Open this view in the app" not in summary
    assert f"<h1>{html.escape(TITLE)}</h1>" in summary and "4 December 2026" in summary


def test_hostile_names_and_edits_reach_the_html_briefing_as_text():
    text = briefing_file(_briefing(_hostile_scenario()), link=LINK, made="today").decode()
    _head, body = text.split("</head>", 1)
    assert "203.0.113.5" in body  # the text is there...
    assert '<img src="http://203.0.113.5' not in body and "<script>alert(1)" not in body  # ...but never markup
    parser = _Tags()
    parser.feed(body)
    assert not [t for t, a in parser.tags if t == "img" or "src" in a]
    assert sum("alert(1)" in s and "<script>" in s for s in parser.scripts) == 0


def _require_chromium():
    if not images.available():
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail("Chart images need Chromium here, and none was found")
        pytest.skip("no Chromium for kaleido")


@pytest.mark.slow  # draws every scene's chart in Chromium: seconds
def test_the_deck_has_a_slide_per_scene_with_titles_pictures_and_sourced_notes():
    _require_chromium()
    from pptx import Presentation

    from exports.pptx import briefing_deck

    briefing = _briefing(default_scenario(EVIDENCE))
    deck = Presentation(io.BytesIO(briefing_deck(briefing, link=LINK, made="29 November 2026")))
    assert round(deck.slide_width / deck.slide_height, 3) == round(16 / 9, 3)
    slides = list(deck.slides)
    # The title slide, "In brief", one per scene, then the sources (on as many slides as they take).
    scene_slides = slides[2 : 2 + len(SCENE_IDS)]
    assert all(_slide_text(s).startswith("Sources") for s in slides[2 + len(SCENE_IDS) :])
    for slide, scene in zip(scene_slides, briefing.scenes, strict=True):
        titles = [s.text_frame.text for s in slide.shapes if s.name == "Title"]
        assert titles == [scene.headline]
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == (1 if scene.scene_id in CHART_SCENES else 0), scene.scene_id
        # Title, points and picture one under another, all on the slide: none covers another.
        shapes = sorted(slide.shapes, key=lambda sh: sh.top)
        for upper, lower in itertools.pairwise(shapes):
            assert upper.top + upper.height <= lower.top, (scene.scene_id, upper.name, lower.name)
        assert all(sh.left + sh.width <= deck.slide_width and sh.top + sh.height <= deck.slide_height for sh in shapes)
        notes = slide.notes_slide.notes_text_frame.text
        assert briefing.caveat in notes
        for source in scene.sources:
            assert source in notes
    text = "\n".join(_slide_text(s) for s in slides[2 + len(SCENE_IDS) :])
    assert "Sources" in text and briefing.stamp in text and LINK in text
    assert all(citation in text for _sid, citation, _url in briefing.sources)
    assert all(f"{name} {share:g}%" in text for name, share in briefing.weights)


def _slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.slow  # a real Chromium draws the picture
def test_a_scene_chart_is_a_1920_by_1080_picture():
    _require_chromium()
    from exports.picture import scene_png

    briefing = _briefing(default_scenario(EVIDENCE))
    ranking = next(s for s in briefing.scenes if s.scene_id == "ranking")
    about = {"URL": LINK, "Scenario": '{"schema": "fentanyl-policy-scenario"}', "Creation Time": "today"}
    picture = Image.open(io.BytesIO(scene_png(ranking, about)))
    assert picture.size == (1920, 1080)
    # The picture carries where it came from, and the scenario, in its text chunks.
    assert picture.text["Title"] == ranking.headline and picture.text["URL"] == LINK
    assert picture.text["Scenario"].startswith('{"schema"')
    # A drawn chart, not a blank page: the leader's blue bar is in it.
    assert (0, 114, 178) in {c for _, c in picture.convert("RGB").getcolors(1 << 20)}
    with pytest.raises(ValueError, match="no chart"):
        scene_png(next(s for s in briefing.scenes if s.scene_id == "options"))


def test_without_chromium_pictures_say_so_plainly(monkeypatch):
    monkeypatch.setattr(images, "_FOUND", [None])
    with pytest.raises(images.ImagesUnavailable, match="need a Chromium browser"):
        images.png({"data": [], "layout": {}}, 100, 100)


def test_two_briefings_that_differ_only_between_the_samples_are_two_files_to_streamlit():
    """Streamlit's media store tells files over 1 MiB apart by their length and three 64 KiB samples (head,
    middle, tail); a briefing is mostly plotly.js, the same in every file, so two briefings of one length
    that differ only between the samples were one file to it, and one user got another's. The fingerprint
    near the start makes any difference anywhere a different file."""
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id

    from exports.html import briefing_html, fingerprinted

    briefing = _briefing(replace(default_scenario(EVIDENCE), scenes=("question", "sources")))
    page = briefing_html(briefing, [None] * len(briefing.scenes), link=LINK, made="today")
    at = len(page) // 4  # neither the head, the middle nor the tail sample reaches here
    twin = page[:at] + ("x" if page[at] != "x" else "y") + page[at + 1 :]
    assert len(twin.encode()) == len(page.encode()) and twin != page

    def file_id(text: str) -> str:
        return _calculate_file_id(text.encode(), "text/html", "fentanyl-policy-briefing.html")

    assert file_id(page) == file_id(twin)  # the samples alone cannot tell them apart...
    assert file_id(fingerprinted(page)) != file_id(fingerprinted(twin))  # ...the fingerprint does
    made = briefing_file(briefing, link=LINK, made="today").decode()
    assert made.splitlines()[1].startswith("<!-- content sha256:")


# Text a user can give an option or a score's reason, from a link, a file or an upload: anything, the hard
# cases first (noncharacters, surrogates, controls, bidirectional marks, markup).
_HARD = ["Mine\ufffe", "\uffffX", "A\U0010fffe", "B\ufdd0", "C\ud800", "D\x0b\x1f", "E\u202eF", "<b>G</b> $1 & $2"]
_ANY_TEXT = st.sampled_from(_HARD) | st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=()), min_size=1, max_size=40
)


@pytest.mark.slow
@settings(max_examples=examples(10), deadline=None)
@given(name=_ANY_TEXT, reason=_ANY_TEXT)
def test_every_name_the_app_accepts_exports_to_every_format(name, reason):
    """A custom option's name and a score's reason as the scenario reader accepts them (links, files and
    uploads share its rules) reach the HTML, the deck, the picture, the CSV and the scenario file."""
    _require_chromium()
    import json as _json

    from core.edits import score_table
    from core.export import safe_csv
    from core.scenario_io import ScenarioFileError, from_json, to_json
    from core.scoring import InputError
    from exports.picture import scene_png
    from exports.pptx import briefing_deck

    mine = CustomOption("mine", "x", tuple((c, 3.0, 3.0, 3.0) for c in EVIDENCE.criterion_ids), "why")
    edit = ScoreOverride("encourage_aml", "durability", 3.0, 2.0, 4.0, "why")
    start = _json.loads(
        to_json(replace(default_scenario(EVIDENCE), custom_options=(mine,), overrides=(edit,)), EVIDENCE)
    )
    start["custom_options"][0]["name"] = name
    start["overrides"][0]["rationale"] = reason
    try:
        scenario = from_json(_json.dumps(start), EVIDENCE, default_scenario(EVIDENCE)).scenario
    except (ScenarioFileError, InputError):
        return  # refused with a message: nothing to export
    briefing = _briefing(scenario)
    assert briefing_file(briefing, link=LINK, made="today")
    assert briefing_deck(briefing, link=LINK, made="today")
    assert scene_png(
        next(s for s in briefing.scenes if s.scene_id == "ranking"), {"Scenario": to_json(scenario, EVIDENCE)}
    )
    assert safe_csv(score_table(evidence_with_edits(EVIDENCE, scenario), scenario))
    again = from_json(to_json(scenario, EVIDENCE), EVIDENCE, default_scenario(EVIDENCE)).scenario
    assert again.custom_options == scenario.custom_options and again.overrides == scenario.overrides
