"""The briefing as a PowerPoint deck (python-pptx): a slide per scene, 16:9, then the sources.

Each slide's title is the scene's headline sentence, its points sit under it, its chart is a
picture (drawn by kaleido, see :mod:`exports.images`), and its notes carry what the presenter may
add, the chart in words and the sources. The last slide lists the sources, the date, the evidence
version and the link back to the app.
"""

from __future__ import annotations

import io

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
    blank = deck.slide_layouts[6]
    width = deck.slide_width - 2 * MARGIN
    for index, (scene, image) in enumerate(zip(briefing.scenes, images, strict=True)):
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.add_textbox(MARGIN, Inches(0.3), width, Inches(1.2))
        title.name = "Title"
        _text(title.text_frame, [scene.headline], 30, bold=True)
        top = Inches(1.55)
        if scene.points:
            body_height = Inches(0.5 * len(scene.points) + 0.2) if image is not None else Inches(5.0)
            body = slide.shapes.add_textbox(MARGIN, top, width, body_height)
            body.name = "Points"
            _text(body.text_frame, [f"• {p}" for p in scene.points], 20 if image is not None else 26)
            top += body_height
        if image is not None:
            room = deck.slide_height - top - Inches(0.45)
            picture_width = min(width, Emu(int(room * CHART_PX[0] / CHART_PX[1])))
            slide.shapes.add_picture(io.BytesIO(image), MARGIN, top, width=picture_width)
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
    slide = deck.slides.add_slide(blank)
    title = slide.shapes.add_textbox(MARGIN, Inches(0.3), width, Inches(0.9))
    title.name = "Title"
    _text(title.text_frame, ["Sources"], 30, bold=True)
    body = slide.shapes.add_textbox(MARGIN, Inches(1.2), width, Inches(5.6))
    body.name = "Sources"
    lines = [f"{k + 1}. {citation}" for k, (citation, _url) in enumerate(briefing.sources)]
    _text(body.text_frame, [*lines, "", f"Made {made} · {briefing.stamp} · {briefing.evidence_view}", link], 11)
    slide.notes_slide.notes_text_frame.text = "\n".join(
        f"{citation} {url}".strip() for citation, url in briefing.sources
    )
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def briefing_deck(briefing: Briefing, *, link: str, made: str) -> bytes:
    """The deck, its charts drawn for a projector by the process's one kaleido browser."""
    images = []
    for scene in briefing.scenes:
        fig = scene_figure(scene, PROJECTOR, fill=True)
        images.append(None if fig is None else png(fig, *CHART_PX))
    return briefing_pptx(briefing, images, link=link, made=made)


PROJECTOR_PX = (1920, 1080)


def scene_png(scene: Scene) -> bytes:
    """A scene's chart as a 1920x1080 PNG, in the large projector look; raises ``ValueError`` for a text scene."""
    fig = scene_figure(scene, PROJECTOR_LARGE, fill=True)
    if fig is None:
        raise ValueError(f"The scene {scene.name!r} has no chart.")
    return png(fig, *PROJECTOR_PX)
