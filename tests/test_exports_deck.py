"""The PowerPoint deck and the chart pictures, read as the recipient reads them: slide by slide in python-pptx,
rendered to pages by LibreOffice (every word inside its own box and on the slide), and a picture's title
band read back by OCR (tesseract)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from charts.briefing import scene_figure
from charts.theme import PROJECTOR, PROJECTOR_LARGE
from core.briefing import NO_LINK, build_briefing
from core.montecarlo import rank_acceptability
from core.problem import build_problem
from core.scenario import default_scenario
from core.settings import SCENE_IDS
from core.supply_chain import load_supply_chain
from core.text import clean
from exports import images
from strategies import EVIDENCE

SHOTS = Path(__file__).parent / "screenshots"
LINK = "https://policy.example.org/weigh?w=30.20.10.20.10.10"
MADE = "3 December 2026"
NOW = dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)
HOSTILE = '<script>alert(1)</script> [x](http://203.0.113.5/) **bold** $1 & "q"\u202e'
EMU_PER_PT = 12700


def _require(*tools: str) -> None:
    """Chromium for the charts and the named programs, or a skip (a failure where CI requires them)."""
    missing = [t for t in tools if shutil.which(t) is None] + ([] if images.available() else ["chromium"])
    if missing:
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"The deck and picture checks need {', '.join(missing)} here, and it is missing")
        pytest.skip(f"no {', '.join(missing)}")


def _briefing(**cover):
    scenario = replace(default_scenario(EVIDENCE), **cover)
    problem = build_problem(EVIDENCE, scenario)
    return build_briefing(EVIDENCE, problem, load_supply_chain(EVIDENCE), rank_acceptability(problem, 2_000))


COVER = {"briefing_title": "China and fentanyl precursors: what to press for", "presenter": "Jane Q. Analyst"}
COVER |= {"organisation": "Office of Senator X", "briefing_date": "4 December 2026"}
# The longest words each field takes, hostile text among them: the boxes must still hold them.
LONGEST = {
    "briefing_title": (HOSTILE + " Wide words fill the title slide's title box to its very end. ") * 2,
    "presenter": "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh " * 2,
    "organisation": "Subcommittee on Counternarcotics, Transnational Crime and Civilian Security " * 2,
    "briefing_date": "Thursday 4 December 2026, 10:30 Rayburn 2172",
}
LONGEST = {k: v[: {"briefing_title": 120, "presenter": 80, "organisation": 80}.get(k, 40)] for k, v in LONGEST.items()}


@pytest.fixture(scope="module")
def deck_bytes() -> dict[str, bytes]:
    """Two decks: one with a cover and no public address, one with the longest cover words and a link."""
    _require("soffice", "pdftotext")
    from exports.pptx import briefing_deck

    return {
        "plain": briefing_deck(_briefing(**COVER), link="", made=MADE, now=NOW),
        "longest": briefing_deck(_briefing(**LONGEST), link=LINK, made=MADE, now=NOW),
    }


def _deck(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


@pytest.mark.slow
def test_the_deck_opens_on_a_title_slide_then_in_brief_then_a_slide_per_scene(deck_bytes):
    briefing = _briefing(**COVER)
    deck = _deck(deck_bytes["plain"])
    slides = list(deck.slides)
    first = _texts(slides[0])
    for words in COVER.values():
        assert words in first
    # In brief: the verdict, what the leader adds over doing nothing new, how sure, what would change it.
    brief = _texts(slides[1])
    assert brief.startswith("In brief")
    assert all(line in brief for line in briefing.summary)
    assert any(line.startswith("Against doing nothing new") for line in briefing.summary)
    assert any(line.startswith("How sure") for line in briefing.summary)
    for slide, scene in zip(slides[2:], briefing.scenes, strict=False):
        assert [s.text_frame.text for s in slide.shapes if s.name == "Title"] == [scene.headline]
    assert len(briefing.scenes) == len(SCENE_IDS)
    assert _texts(slides[2 + len(SCENE_IDS)]).startswith("Sources")
    # The file's own properties: what a file manager and PowerPoint's Info pane show.
    props = deck.core_properties
    assert props.title == COVER["briefing_title"]
    assert props.author == "Jane Q. Analyst, Office of Senator X"
    assert "Brookings" in props.subject
    assert props.created == props.modified == NOW.replace(tzinfo=None)


@pytest.mark.slow
def test_hostile_cover_words_reach_the_slide_as_the_same_plain_text(deck_bytes):
    deck = _deck(deck_bytes["longest"])
    title = next(s for s in deck.slides[0].shapes if s.name == "Title").text_frame.text
    assert title == clean(LONGEST["briefing_title"]).strip()
    assert "\u202e" not in title and "<script>" in title  # shown as written, minus the invisible override
    assert deck.core_properties.title == title


@pytest.mark.slow
def test_every_chart_is_drawn_so_its_smallest_text_is_18_points_on_the_slide(deck_bytes):
    """From the picture's size on the slide, its pixels and the figure's smallest font: the points a reader sees."""
    from exports.pptx import PICTURE_SCALE, smallest_font

    briefing = _briefing(**COVER)
    deck = _deck(deck_bytes["plain"])
    charted = [s for s in briefing.scenes if s.info is not None]
    pictures = [sh for slide in deck.slides for sh in slide.shapes if sh.shape_type == 13]  # PICTURE
    assert len(pictures) == len(charted) == 5
    for picture, scene in zip(pictures, charted, strict=True):
        css_width = Image.open(io.BytesIO(picture.image.blob)).size[0] / PICTURE_SCALE
        shown_pt = picture.width / EMU_PER_PT  # the picture's width on the slide, in points
        smallest_px = smallest_font(scene_figure(scene, PROJECTOR, fill=True).to_dict())
        assert smallest_px * shown_pt / css_width >= 18 - 0.05, scene.scene_id
        assert picture.top + picture.height <= deck.slide_height


@pytest.mark.slow
def test_every_row_of_every_deck_chart_is_labelled(deck_bytes):
    """Drawn at the size the slide gives it, a chart names every option: plotly, short of room, labels only
    every other row, and a reader cannot tell which bar is which."""
    from exports.images import svg
    from exports.pptx import PICTURE_SCALE, chart_for

    briefing = _briefing(**COVER)
    deck = _deck(deck_bytes["plain"])
    charted = [s for s in briefing.scenes if s.info is not None]
    pictures = [sh for slide in deck.slides for sh in slide.shapes if sh.shape_type == 13]
    for picture, scene in zip(pictures, charted, strict=True):
        width, height = (v // PICTURE_SCALE for v in Image.open(io.BytesIO(picture.image.blob)).size)
        spec = chart_for(scene, (1, 1)).spec
        rows = max(
            (len(t.get("y") or []) for t in spec["data"] if t.get("type") == "heatmap" or t.get("orientation") == "h"),
            default=0,
        )
        drawn = svg(spec, width, height)
        assert len(re.findall(r'class="ytick"', drawn)) >= rows, (scene.scene_id, rows, height)


@pytest.mark.slow
def test_all_the_decks_own_text_is_at_least_14_points_and_18_on_scene_slides(deck_bytes):
    deck = _deck(deck_bytes["plain"])
    for number, slide in enumerate(deck.slides):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            least = 18 if shape.name in ("Title", "Points") else 14
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    assert run.font.size.pt >= least, (number, shape.name, run.text[:40])


@pytest.mark.slow
def test_speaker_notes_give_two_or_three_talking_points_then_the_data(deck_bytes):
    briefing = _briefing(**COVER)
    deck = _deck(deck_bytes["plain"])
    for slide, scene in zip(list(deck.slides)[2:], briefing.scenes, strict=False):
        notes = slide.notes_slide.notes_text_frame.text.split("\n")
        assert notes[0] == "Talking points:"
        said = [line for line in notes[1:5] if re.match(r"\d\. ", line)]
        assert 2 <= len(said) <= 3 or (len(said) == 1 and not scene.points), scene.scene_id
        assert said[0] == f"1. {scene.headline}"
        if scene.chart_summary:
            assert notes.index("The data:") > notes.index(said[-1])
            assert f"The chart in words: {scene.chart_summary}" in notes


@pytest.mark.slow
def test_a_deck_carries_the_public_link_or_says_how_to_set_one(deck_bytes):
    plain = "\n".join(_texts(s) for s in _deck(deck_bytes["plain"]).slides)
    assert NO_LINK in plain and "127.0.0.1" not in plain and "localhost" not in plain
    linked = _deck(deck_bytes["longest"])
    text = "\n".join(_texts(s) for s in linked.slides)
    assert LINK in text and NO_LINK not in text
    addresses = [
        run.hyperlink.address
        for slide in linked.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for run in p.runs
        if run.hyperlink.address
    ]
    assert LINK in addresses  # a real link on the sources slide, as are the sources' own pages
    assert all(a.startswith("https://") or a.startswith("http://") for a in addresses)


def _rendered(
    data: bytes, tmp_path: Path, name: str
) -> tuple[Path, list[list[tuple[float, float, float, float, str]]]]:
    """The deck as LibreOffice renders it: the PDF, and each page's words as (x0, y0, x1, y1, text) in points."""
    source = tmp_path / f"{name}.pptx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / f"{name}.pdf"
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", layout.stdout))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [
            (float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
            for w in page.iterfind(".//h:word", ns)
        ]
        pages.append(words)
    return pdf, pages


@pytest.mark.slow
@pytest.mark.parametrize("which", ["plain", "longest"])
def test_the_rendered_deck_keeps_every_word_inside_its_own_box_and_on_the_slide(deck_bytes, which, tmp_path):
    """Converted to PDF by LibreOffice (with Carlito, Calibri's metrics): every word lies inside the text box it
    belongs to, that box's whole text is there in order, and nothing leaves the slide. Pages as pictures in
    tests/screenshots/deck-<which>-N.png."""
    deck = _deck(deck_bytes[which])
    pdf, pages = _rendered(deck_bytes[which], tmp_path, which)
    assert len(pages) == len(deck.slides)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / f"deck-{which}")], check=True)
    width, height = deck.slide_width / EMU_PER_PT, deck.slide_height / EMU_PER_PT
    slack = 1.5  # points: glyph outlines a hair past the line box
    for number, (slide, words) in enumerate(zip(deck.slides, pages, strict=True)):
        boxes = [
            (
                s.left / EMU_PER_PT,
                s.top / EMU_PER_PT,
                (s.left + s.width) / EMU_PER_PT,
                (s.top + s.height) / EMU_PER_PT,
                s,
            )
            for s in slide.shapes
            if s.has_text_frame and s.text_frame.text.strip()
        ]
        for x0, y0, x1, y1, text in words:
            assert -slack <= x0 and x1 <= width + slack and -slack <= y0 and y1 <= height + slack, (number, text)
            inside = [
                b
                for b in boxes
                if b[0] - slack <= x0 and x1 <= b[2] + slack and b[1] - slack <= y0 and y1 <= b[3] + slack
            ]
            assert inside, (
                f"slide {number + 1}: {text!r} at {x0:.0f},{y0:.0f}-{x1:.0f},{y1:.0f} is outside every text box"
            )
        for bx0, by0, bx1, by1, shape in boxes:
            held = "".join(
                t
                for x0, y0, x1, y1, t in words
                if bx0 - slack <= x0 and x1 <= bx1 + slack and by0 - slack <= y0 and y1 <= by1 + slack
            )
            assert re.sub(r"\s", "", held) == re.sub(r"\s", "", shape.text_frame.text), (number, shape.name)


def _ocr(picture: Image.Image) -> str:
    out = subprocess.run(
        ["tesseract", "stdin", "stdout", "--psm", "6"], input=_png_bytes(picture), capture_output=True, check=True
    )
    return out.stdout.decode()


def _png_bytes(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.slow
@pytest.mark.parametrize("scene_id", ["tradeoffs", "question"])
def test_a_pictures_headline_source_and_date_are_drawn_in_it(scene_id):
    """Read back by OCR: the headline in the band above the chart; the source, the date and the evidence edition
    in the band under it, with the key to the marks the chart uses."""
    _require("tesseract")
    from exports.picture import MARKS, band_heights, foot_lines, marks_used, scene_png, title_lines

    briefing = _briefing()
    scene = next(s for s in briefing.scenes if s.scene_id == scene_id)
    about = {"Creation Time": MADE, "Evidence": EVIDENCE.stamp, "URL": ""}
    picture = Image.open(io.BytesIO(scene_png(scene, about))).convert("RGB")
    assert picture.size == (1920, 1080)
    picture.save(SHOTS / f"picture-{scene_id}.png")
    spec = scene_figure(scene, PROJECTOR_LARGE, fill=True).to_dict()

    top, bottom = band_heights(title_lines(scene.headline), foot_lines(scene, spec, about))
    heard = set(_words(_ocr(picture.crop((0, 0, 1920, top)))))
    said = _words(scene.headline)
    assert sum(w in heard for w in said) >= 0.9 * len(said), (said, heard)
    foot = " ".join(_words(_ocr(picture.crop((0, 1080 - bottom, 1920, 1080)))))
    assert " ".join(_words(f"Made {MADE}")) in foot
    assert "edition" in foot and EVIDENCE.stamp.split("edition ")[1].rstrip(")").lower() in foot
    if scene.sources:
        assert "source" in foot
    key = marks_used(spec)
    if scene_id == "tradeoffs":
        assert MARKS["†"] in key  # the matrix marks later evidence
    for words in key:
        assert " ".join(_words(words)[-4:]) in foot
