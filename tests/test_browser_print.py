"""The HTML briefing printed as a recipient prints it: Chromium turns the file, opened offline, into a PDF on A4 and on
US Letter, poppler reads the PDF back (``pdftotext -layout``) and draws its pages (``pdftoppm``) for a person to look
at, in ``tests/screenshots/print_<paper>-N.png``.

Every tick label, axis title, legend entry and annotation each chart draws (read from the chart's own SVG with the
print media applied) must be printed whole, on its scene's pages, inside the side margins, neither hidden nor printed
over another label, and lie inside its chart, which fits the page's printable area: a chart laid out for the screen
and cut by the paper printed "20" for "2023" and lost the "5" of a time axis. The cover and one-page summary must stay
page one, nothing may be fetched from anywhere, and back on the screen the charts follow the window again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import replace

import pytest

from browser_kit import SHOTS, offline_page, unavailable
from core.briefing import build_briefing
from core.edits import evidence_with_edits
from core.montecarlo import rank_acceptability
from core.problem import build_problem
from core.scenario import CustomOption, default_scenario
from core.settings import SCENE_IDS
from core.supply_chain import load_supply_chain
from exports.html import briefing_file
from strategies import EVIDENCE
from test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = pytest.mark.browser
PAPERS_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}  # the papers' widths and heights
MM = 96 / 25.4  # CSS pixels in a millimetre

# Every label a chart draws: ticks, axis titles, legend entries, annotations and the title, each with its lines
# (plotly draws a broken label as one text of several tspans) and its box; and the chart's own box.
CHART_LABELS_JS = """
() => [...document.querySelectorAll('.chart.js-plotly-plot')].map(chart => {
  const frame = chart.getBoundingClientRect();
  const texts = [];
  chart.querySelectorAll(
    '.xtick text, .ytick text, .legendtext, .g-xtitle text, .g-ytitle text, .annotation-text, .gtitle'
  ).forEach(t => {
    const style = getComputedStyle(t);
    let lines = [...t.querySelectorAll('tspan.line')].map(s => s.textContent.trim()).filter(Boolean);
    if (!lines.length && t.textContent.trim()) lines = [t.textContent.trim()];
    if (!lines.length) return;
    const b = t.getBoundingClientRect();
    texts.push({lines, hidden: style.display === 'none' || style.visibility === 'hidden',
                left: b.left, right: b.right, top: b.top, bottom: b.bottom});
  });
  const section = chart.closest('section');
  return {id: chart.id, kicker: section.querySelector('.kicker').textContent.trim(),
          left: frame.left, right: frame.right, top: frame.top, bottom: frame.bottom, width: frame.width,
          height: frame.height, texts};
})
"""
# The page margins the file asks the printer for (its @page rule): left, right, top and bottom, in CSS pixels.
PAGE_MARGINS_JS = """
() => {
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSPageRule) {
        const s = rule.style;
        return [s.marginLeft, s.marginRight, s.marginTop, s.marginBottom].map(m => {
          const probe = document.createElement('div');
          probe.style.cssText = `position:absolute;visibility:hidden;width:${m || '0px'}`;
          document.body.appendChild(probe);
          const width = probe.getBoundingClientRect().width;
          probe.remove();
          return width;
        });
      }
    }
  }
  return [0, 0, 0, 0];
}
"""
NAME = "Precursor task force <b>x</b>"  # the user's own option, in markup, on two lines of a label
LONG_NAME = "Interagency working group on precursor chemicals <script>x</script>"  # on five lines


COVER = {
    "briefing_title": "Fentanyl precursors: options for the Member <em>draft</em>",
    "presenter": "A. Analyst",
    "organisation": "Office of Rep. Example & staff",
    "briefing_date": "5 December 2026",
}


def _scenario(name: str = "", weights: tuple[float, ...] | None = None, cover: dict | None = None):
    """Every scene; with ``weights`` (else the lens's), an option of the user's own called ``name`` and the
    briefer's ``cover``."""
    scenario = replace(default_scenario(EVIDENCE), scenes=SCENE_IDS, **(cover or {}))
    if weights:
        scenario = replace(scenario, lens=None, weights=tuple(zip(EVIDENCE.criterion_ids, weights, strict=True)))
    if name:
        mine = CustomOption("mine", name, tuple((c, 4.0, 3.0, 4.0) for c in EVIDENCE.criterion_ids), "mine")
        scenario = replace(scenario, custom_options=(mine,))
    return scenario


EXTREME = (40, 25, 40, 5, 5, 5)  # a third each on effect and time to effect: options fall below doing nothing new
SCENARIOS = {
    "default": lambda: _scenario(),
    "extreme": lambda: _scenario(NAME, EXTREME, COVER),
    "long_name": lambda: _scenario(LONG_NAME, EXTREME),
}
KNOWN: dict = {}  # defects of the charts themselves, on screen as on paper (none known now)


def _briefing_file(scenario) -> bytes:
    ranked = evidence_with_edits(EVIDENCE, scenario) if scenario.custom_options else EVIDENCE
    problem = build_problem(ranked, scenario)
    acc = rank_acceptability(problem, samples=2_000, first_only=True)
    briefing = build_briefing(ranked, problem, load_supply_chain(EVIDENCE), acc)
    return briefing_file(briefing, link="https://policy.example.org/weigh?w=30.20.10", made="4 December 2026")


def _poppler() -> None:
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is missing: install Debian's poppler-utils (apt-get install poppler-utils)")


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def _scene_pages(pages: list[str], kickers: list[str]) -> dict[str, list[int]]:
    """The pages of each scene: from the page that starts with its kicker ("3. TRADEOFFS AND EVIDENCE") to the
    page before the next scene's, or before the appendix."""
    starts = {}
    for kicker in kickers:
        found = [k for k, page in enumerate(pages) if k > 0 and _words(page).startswith(_words(kicker))]
        assert found, f"no printed page starts with the scene '{kicker}'"
        starts[kicker] = found[0]
    ends = sorted(starts.values())
    after = next((k for k, p in enumerate(pages) if _words(p).startswith("appendix")), len(pages))
    return {kicker: list(range(start, next((e for e in ends if e > start), after))) for kicker, start in starts.items()}


def _overlap(a: dict, b: dict) -> bool:
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return w > 1.5 and h > 1.5


def _layout_problems(charts: list[dict], margins: list[float]) -> list[str]:
    """Charts larger than a paper's printable area, and labels hidden, running past their chart's edge or
    printed over one another."""
    left, right, top, bottom = margins
    problems = []
    for paper, (width_mm, height_mm) in PAPERS_MM.items():
        wide, high = width_mm * MM - left - right, height_mm * MM - top - bottom
        for c in charts:
            if c["width"] > wide + 0.5 or c["height"] > high + 0.5:
                problems.append(
                    f"{c['kicker']}: the chart is {c['width']:.0f} x {c['height']:.0f} px, the printable area of "
                    f"{paper} {wide:.0f} x {high:.0f} px"
                )
    for chart in charts:
        texts = chart["texts"]
        for k, t in enumerate(texts):
            label = " / ".join(t["lines"])
            if t["hidden"]:
                problems.append(f"{chart['kicker']}: '{label}' is hidden")
            inside = (
                t["left"] >= chart["left"] - 1
                and t["right"] <= chart["right"] + 1
                and t["top"] >= chart["top"] - 1
                and t["bottom"] <= chart["bottom"] + 1
            )
            if not inside:
                problems.append(f"{chart['kicker']}: '{label}' runs past its chart's edge")
            problems += [
                f"{chart['kicker']}: '{label}' is printed over '{' / '.join(u['lines'])}'"
                for u in texts[k + 1 :]
                if _overlap(t, u)
            ]
    return problems


def _printed_problems(pages: list[str], charts: list[dict], paper: str, cover: dict) -> list[str]:
    """Labels of each chart not printed whole on its scene's pages; the cover and summary not on page one."""
    problems = []
    # The cover and summary are page one; the first scene starts page two.
    first = _words(pages[0])
    if not ("in brief" in first and "the weights used" in first and "policy.example.org" in first):
        problems.append(f"{paper}: the summary's end is not on page one")
    problems += [f"{paper}: the cover's '{v}' is not on page one" for v in cover.values() if _words(v) not in first]
    if not _words(pages[1]).startswith(_words(charts[0]["kicker"])):
        problems.append(f"{paper}: the first scene does not start page two")
    where = _scene_pages(pages, [c["kicker"] for c in charts])
    for chart in charts:
        printed = _words(" ".join(pages[k] for k in where[chart["kicker"]]))
        lines = [line for t in chart["texts"] for line in t["lines"]]
        problems += [
            f"{paper}, {chart['kicker']}: '{line}' is not printed whole"
            for line in lines
            if _words(line) not in printed
        ]
        # Every word of every label, as often as the chart draws it (a lone tick "5" too).
        missing = Counter(w for line in lines for w in _words(line).split()) - Counter(printed.split())
        problems += [f"{paper}, {chart['kicker']}: '{w}' is printed {n} time(s) too few" for w, n in missing.items()]
    return problems


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def _outside(pdf, paper: str, margins: list[float]) -> list[str]:
    """Words printed outside the page's printable width (its side margins): cut by the paper."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True)
    left, right = (m * 0.75 - 1 for m in margins[:2])  # CSS pixels to points, with a point to spare
    problems = []
    for number, (width, _height, words) in enumerate(_PAGE.findall(boxes.stdout), start=1):
        for x0, _y0, x1, _y1, word in _WORD.findall(words):
            if float(x0) < left or float(x1) > float(width) - right:
                problems.append(f"{paper}, page {number}: '{word}' is printed past the side margin")
    return problems


def _print(page, paper: str, name: str, folder, margins: list[float]) -> tuple[list[str], list[str]]:
    """``page`` printed on ``paper``: its pages' text and the words printed past its margins; its pages as
    pictures in the screenshots folder."""
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format=paper, print_background=True))
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SHOTS / name)], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    return text.stdout.split("\f"), _outside(pdf, paper, margins)


@pytest.mark.parametrize("weighting", [pytest.param(w, marks=KNOWN.get(w, ())) for w in SCENARIOS])
def test_the_printed_briefing_shows_every_chart_label_whole_on_a4_and_letter(browser, tmp_path, weighting):  # noqa: F811
    _poppler()
    path = tmp_path / "briefing.html"
    path.write_bytes(_briefing_file(SCENARIOS[weighting]()))
    page, fetched, errors = offline_page(browser, path, device_scale_factor=1)
    context = page.context
    page.wait_for_function("() => document.querySelectorAll('.chart .main-svg').length >= 5")
    screen_width = page.evaluate("() => document.querySelector('.chart').getBoundingClientRect().width")

    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    charts = page.evaluate(CHART_LABELS_JS)
    assert len(charts) == 5
    margins = page.evaluate(PAGE_MARGINS_JS)
    problems = _layout_problems(charts, margins)
    for paper in PAPERS_MM:
        name = f"print_{paper.lower()}" + ("" if weighting == "default" else f"_{weighting}")
        pages, outside = _print(page, paper, name, tmp_path, margins)
        cover = COVER if weighting == "extreme" else {}
        problems += _printed_problems(pages, charts, paper, cover) + outside
    assert not problems, "\n".join(problems)
    assert not errors and fetched == []

    # Back on the screen the charts take the window's width again, and follow it (they stay responsive).
    page.emulate_media(media="screen")
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('.chart svg').getBoundingClientRect().width - {screen_width}) < 2"
    )
    page.set_viewport_size({"width": 800, "height": 900})
    page.wait_for_function(
        "() => { const c = document.querySelector('.chart'); "
        "return Math.abs(c.querySelector('svg').getBoundingClientRect().width - c.getBoundingClientRect().width) < 2 "
        "&& c.getBoundingClientRect().width < 800; }"
    )
    context.close()
