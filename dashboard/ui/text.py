"""Show text from data safely: markdown and LaTeX characters are escaped, never rendered."""

from __future__ import annotations

import re

# Every ASCII punctuation character that markdown, Streamlit's LaTeX ($) or its
# colour/emoji shortcodes (:) could read as syntax.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:=^])")


def md_escape(text: object) -> str:
    """Escape ``text`` so ``st.markdown`` shows it exactly as written."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|$])")


def label_escape(text: object) -> str:
    """A lighter escape for widget labels and help: only what would format or typeset.

    Widget labels also become accessible names, where every backslash would be read out.
    """
    return _LABEL_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
