"""The app's own style sheet: contrast, touch targets, and a layout that fits a phone.

Static CSS only (nothing from data or users), sent once per run as a style-only ``st.html``,
which Streamlit applies without drawing an element.
"""

from __future__ import annotations

import streamlit as st

from ui.client import NARROW_PX
from ui.scene_nav import AUTO_HIDE, AWAKE

CAPTION_COLOUR = "#4D4D4D"  # 8.4:1 on white, 7.7:1 on the sidebar's grey

CSS = f"""
<style>
/* Less empty space above the title, so a chart reaches the first screen. */
[data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
/* The probe that reports the screen width draws nothing. */
.st-key-client_probe, .st-key-memory_participant, .st-key-memory_facilitator {{ display: none; }}
/* Captions at full contrast (Streamlit draws them at 60% opacity: 4.4:1, under the 4.5:1 for small text). */
[data-testid="stCaptionContainer"] {{ opacity: 1; color: {CAPTION_COLOUR}; }}
/* Touch targets of at least 24 px: the help marks and the slider thumbs. */
[data-testid="stTooltipHoverTarget"] button {{ min-width: 28px; min-height: 28px; }}
[data-testid="stTooltipIcon"] svg {{ width: 20px; height: 20px; }}
[data-testid="stSlider"] div:has(> div > input[type="range"]) {{ width: 24px; height: 24px; }}
/* The compact ranking that stays in view above the sliders on a phone. */
.st-key-podium {{
  position: sticky; top: 0; z-index: 5; background: #FFFFFF;
  border-bottom: 1px solid #BDBDBD; padding: 0.25rem 0;
}}
/* Presenter mode: no sidebar, header or controls in sight; large type that grows with the screen
   (at least 28 px, 5.2% of the height for headlines); one scene filling the screen, its chart taking
   the room the text leaves. */
body:has(.st-key-presenter) [data-testid="stSidebar"],
body:has(.st-key-presenter) [data-testid="stSidebarCollapsedControl"],
body:has(.st-key-presenter) [data-testid="stHeader"] {{ display: none !important; }}
body:has(.st-key-presenter) [data-testid="stMainBlockContainer"] {{
  padding: 2vh 3vw 0 3vw; max-width: none;
}}
[data-testid="stLayoutWrapper"]:has(> .st-key-presenter) {{ height: 96vh; }}
.st-key-presenter {{ height: 100%; flex: 1 1 auto !important; gap: 1.5vh; flex-wrap: nowrap; color: #000000; }}
.st-key-presenter p, .st-key-presenter li, .st-key-presenter button p, .st-key-presenter a p {{
  font-size: max(28px, 3.5vh) !important; line-height: 1.25; color: #000000;
}}
.st-key-presenter li {{ margin: 0 0 0.6vh 0; padding: 0; }}
.st-key-presenter h2 {{ font-size: max(34px, 5.2vh) !important; line-height: 1.15; padding: 0; color: #000000; }}
.st-key-presenter .st-key-scene_headline_long h2 {{ font-size: max(28px, 4vh) !important; }}
/* The scene's chart takes the height the headline, the points and the buttons leave. */
[data-testid="stLayoutWrapper"]:has(> .st-key-scene_chart) {{ flex: 1 1 0 !important; min-height: 0; }}
/* Nothing else on the page takes room: the probes draw nothing. */
body:has(.st-key-presenter) [data-testid="stLayoutWrapper"]:has(> .st-key-client_probe),
body:has(.st-key-presenter) [data-testid="stLayoutWrapper"]:has(> .st-key-presenter_keys) {{ display: none; }}
.st-key-scene_chart, .st-key-scene_chart [data-testid="stElementContainer"],
.st-key-scene_chart [data-testid="stFullScreenFrame"], .st-key-scene_chart [data-testid="stPlotlyChart"] {{
  height: 100% !important;
}}
[data-testid="stLayoutWrapper"]:has(> .st-key-scene_nav) {{ margin-top: auto; }}
.st-key-scene_nav {{ flex: 0 0 auto; align-items: center; flex-wrap: nowrap; }}
.st-key-scene_nav button {{ min-height: 48px; }}
/* Previous, Next and the way back show while the mouse moves or after a tap, and fade out when it rests (the
   key handler marks the root element); one of them with the keyboard's focus shows them all. The counter stays. */
.st-key-scene_previous, .st-key-scene_next, .st-key-scene_exit {{ transition: opacity 0.4s ease; }}
html.{AUTO_HIDE}:not(.{AWAKE}) .st-key-scene_nav:not(:has(:focus-visible)) .st-key-scene_previous,
html.{AUTO_HIDE}:not(.{AWAKE}) .st-key-scene_nav:not(:has(:focus-visible)) .st-key-scene_next,
html.{AUTO_HIDE}:not(.{AWAKE}) .st-key-scene_nav:not(:has(:focus-visible)) .st-key-scene_exit {{ opacity: 0; }}
@media (prefers-reduced-motion: reduce) {{
  .st-key-scene_previous, .st-key-scene_next, .st-key-scene_exit {{ transition: none; }}
}}
/* Presenter mode opened on a phone (a student following the deck): the scene scrolls like a page, in the
   phone's own type sizes, its chart as tall as it needs; nothing is squeezed into one screen. */
@media (max-width: {NARROW_PX}px) {{
  [data-testid="stLayoutWrapper"]:has(> .st-key-presenter) {{ height: auto; }}
  .st-key-presenter p, .st-key-presenter li, .st-key-presenter button p, .st-key-presenter a p {{
    font-size: 18px !important;
  }}
  .st-key-presenter h2 {{ font-size: 26px !important; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-scene_chart) {{ flex: none !important; height: auto; }}
  .st-key-scene_nav {{ flex-wrap: wrap; }}
}}
/* A room's join screen on the projector: no sidebar, header or menu; the code in type read from the back row. */
body:has(.st-key-room_screen) [data-testid="stSidebar"],
body:has(.st-key-room_screen) [data-testid="stSidebarCollapsedControl"],
body:has(.st-key-room_screen) [data-testid="stHeader"] {{ display: none !important; }}
body:has(.st-key-room_screen) [data-testid="stMainBlockContainer"] {{ padding: 3vh 4vw 0 4vw; max-width: none; }}
.st-key-room_screen {{ color: #000000; }}
.st-key-room_screen h1 {{ font-size: max(80px, 15vh) !important; letter-spacing: 0.08em; line-height: 1.1; }}
.st-key-room_screen h2 {{ font-size: max(34px, 5.2vh) !important; }}
.st-key-room_screen h3 {{ font-size: max(30px, 4.4vh) !important; }}
.st-key-room_screen p {{ font-size: max(28px, 3.5vh) !important; color: #000000; }}
.st-key-room_screen [data-testid="stImage"] img {{ max-height: 72vh; width: auto !important; max-width: 100%; }}
/* A scene's first line (how current the evidence is; the room's code): body type, no larger. */
.st-key-presenter [data-testid="stCaptionContainer"] p {{ color: #000000; }}
/* A phone's Submit button and what happened to the last tap stay at the bottom of the screen, by the thumb. */
.st-key-answer_bar {{
  position: sticky; bottom: 0; z-index: 5; background: #FFFFFF;
  border-top: 1px solid #BDBDBD; padding: 0.5rem 0 0.75rem 0;
}}
/* The scene chooser shows every chosen scene, however narrow the screen, instead of scrolling inside itself. */
[class*="st-key-scenes-g"] div:has(> [data-testid="stMultiSelectTagsContainer"]),
[class*="st-key-scenes-g"] [data-testid="stMultiSelectTagsContainer"] {{ max-height: none !important; }}
@media (max-width: {NARROW_PX}px) {{
  .st-key-room_screen h1 {{ font-size: 56px !important; }}
  .st-key-room_screen p {{ font-size: 18px !important; }}
  .st-key-room_screen h2, .st-key-room_screen h3 {{ font-size: 24px !important; }}
  h1 {{ font-size: 1.7rem !important; }}
  h3 {{ font-size: 1.25rem !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem; }}
}}
</style>
"""


def inject() -> None:
    st.html(CSS)
