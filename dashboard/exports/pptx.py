"""The briefing as a PowerPoint deck (python-pptx): a slide per scene, 16:9, then the sources.

Each slide's title is the scene's headline sentence, its points sit under it, its chart is a
picture (drawn by kaleido, see :mod:`exports.images`), and its notes carry what the presenter may
add, the chart in words and the sources. The last slide lists the sources, the date, the evidence
version and the link back to the app.
"""

from __future__ import annotations

import io

from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from charts.briefing import scene_figure
from charts.theme import PROJECTOR, PROJECTOR_LARGE
from core.briefing import Briefing, Scene
from exports.images import png

WIDE = (Inches(13.333), Inches(7.5))  # 16:9
MARGIN = Inches(0.5)
INK = RGBColor(0x1A, 0x1A, 0x1A)
# The picture area under the title and the points, in pixels for kaleido (at 120 px an inch).
CHART_PX = (1480, 560)


TITLE_PT, POINTS_PT, TEXT_SLIDE_PT = 28, 18, 24


def _height(lines: list[str], size: int, width: Emu, bold: bool = False) -> Emu:
    """The height that ``lines`` of ``size`` points need across ``width``, wrapped: an estimate on the safe side
    (an average letter taken as 0.55 em wide, 0.65 em in bold, lines 1.2 em apart), as a deck has no layout
    engine of its own."""
    per_line = max(1, int(width / Pt(size * (0.65 if bold else 0.55))))
    rows = sum(max(1, -(-len(line) // per_line)) for line in lines)
    return Emu(int(Pt(size * 1.2) * rows + Inches(0.15)))


def _fitting(lines: list[str], width: Emu, room: Emu) -> int:
    """The largest type, from the text slide's size down to the points' size, at which ``lines`` fit ``room``."""
    for size in range(TEXT_SLIDE_PT, POINTS_PT, -1):
        if _height(lines, size, width) <= room:
            return size
    return POINTS_PT


def _text(frame, lines: list[str], size: int, bold: bool = False) -> None:
    frame.word_wrap = True
    for k, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = INK


def briefing_pptx(briefing: Briefing, images: list[bytes | None], *, link: str, made: str) -> bytes:
    """The deck as .pptx bytes; ``images`` are the scenes' charts as PNG (None for text scenes)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    for index, (scene, image) in enumerate(zip(briefing.scenes, images, strict=True)):
        slide = _scene_slide(deck, scene, image)
        width = deck.slide_width - 2 * MARGIN
        footer = slide.shapes.add_textbox(MARGIN, deck.slide_height - Inches(0.45), width, Inches(0.35))
        footer.name = "Footer"
        _text(footer.text_frame, [f"{index + 1} / {len(briefing.scenes)} · {briefing.stamp}"], 11)
        notes = [*scene.notes]
        if scene.chart_summary:
            notes.append(f"The chart in words: {scene.chart_summary}")
        if scene.sources:
            notes.append("Source: " + "; ".join(scene.sources))
        notes.append(briefing.caveat)
        slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)
    _sources_slide(deck, briefing, link=link, made=made)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _scene_slide(deck, scene: Scene, image: bytes | None):
    """A slide with the scene's headline, its points under it and its chart under them, one under another."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    width = deck.slide_width - 2 * MARGIN
    title_height = _height([scene.headline], TITLE_PT, width, bold=True)
    title = slide.shapes.add_textbox(MARGIN, Inches(0.3), width, title_height)
    title.name = "Title"
    _text(title.text_frame, [scene.headline], TITLE_PT, bold=True)
    top = Inches(0.3) + title_height + Inches(0.1)
    if scene.points:
        lines = [f"• {p}" for p in scene.points]
        size = POINTS_PT if image is not None else _fitting(lines, width, deck.slide_height - top - Inches(0.55))
        body_height = _height(lines, size, width)
        body = slide.shapes.add_textbox(MARGIN, top, width, body_height)
        body.name = "Points"
        _text(body.text_frame, lines, size)
        top += body_height + Inches(0.1)
    if image is not None:
        room = deck.slide_height - top - Inches(0.45)
        picture_width = min(width, Emu(int(room * CHART_PX[0] / CHART_PX[1])))
        slide.shapes.add_picture(io.BytesIO(image), MARGIN, top, width=picture_width)
    return slide


def _sources_slide(deck, briefing: Briefing, *, link: str, made: str) -> None:
    """The last slide: the sources, the weights and settings, when and from which evidence, and the link."""
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    width = deck.slide_width - 2 * MARGIN
    title = slide.shapes.add_textbox(MARGIN, Inches(0.3), width, Inches(0.9))
    title.name = "Title"
    _text(title.text_frame, ["Sources"], TITLE_PT, bold=True)
    body = slide.shapes.add_textbox(MARGIN, Inches(1.2), width, Inches(5.6))
    body.name = "Sources"
    lines = [f"{k + 1}. {citation}" for k, (_sid, citation, _url) in enumerate(briefing.sources)]
    weights = "Weights: " + ", ".join(f"{name} {share:g}%" for name, share in briefing.weights)
    settings = "; ".join(f"{what}: {value}" for what, value in briefing.settings)
    made_line = f"Made {made} · {briefing.stamp} · {briefing.evidence_view}"
    _text(body.text_frame, [*lines, "", weights, settings, made_line, link], 11)
    slide.notes_slide.notes_text_frame.text = "\n".join(
        f"{citation} {url}".strip() for _sid, citation, url in briefing.sources
    )


def briefing_deck(briefing: Briefing, *, link: str, made: str) -> bytes:
    """The deck, its charts drawn for a projector by the process's one kaleido browser."""
    images = []
    for scene in briefing.scenes:
        fig = scene_figure(scene, PROJECTOR, fill=True)
        images.append(None if fig is None else png(fig, *CHART_PX))
    return briefing_pptx(briefing, images, link=link, made=made)


PROJECTOR_PX = (1920, 1080)


def scene_png(scene: Scene, about: dict[str, str] | None = None) -> bytes:
    """A scene's chart as a 1920x1080 PNG in the large projector look, carrying in its text chunks the
    headline, the chart in words, its sources and ``about`` (the date, the evidence version, the link, the
    scenario); raises ``ValueError`` for a scene without a chart."""
    fig = scene_figure(scene, PROJECTOR_LARGE, fill=True)
    if fig is None:
        raise ValueError(f"The scene {scene.name!r} has no chart.")
    picture = Image.open(io.BytesIO(png(fig, *PROJECTOR_PX)))
    info = PngInfo()
    fields = {"Title": scene.headline, "Description": scene.chart_summary, "Source": "; ".join(scene.sources)}
    for key, value in {**fields, **(about or {})}.items():
        if value:
            info.add_itxt(key, value)  # UTF-8 text, read by any PNG reader (and never drawn)
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=info)
    return out.getvalue()
