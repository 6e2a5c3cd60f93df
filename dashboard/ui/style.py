"""The app's own style sheet: contrast, touch targets, and a layout that fits a phone.

Static CSS only (nothing from data or users), sent once per run as a style-only ``st.html``,
which Streamlit applies without drawing an element.
"""

from __future__ import annotations

import streamlit as st

from ui.client import NARROW_PX

CAPTION_COLOUR = "#4D4D4D"  # 8.4:1 on white, 7.7:1 on the sidebar's grey

CSS = f"""
<style>
/* Less empty space above the title, so a chart reaches the first screen. */
[data-testid="stMainBlockContainer"] {{ padding-top: 3rem; }}
/* The probe that reports the screen width draws nothing. */
.st-key-client_probe {{ display: none; }}
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
@media (max-width: {NARROW_PX}px) {{
  h1 {{ font-size: 1.7rem !important; }}
  h3 {{ font-size: 1.25rem !important; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem; }}
}}
</style>
"""


def inject() -> None:
    st.html(CSS)
