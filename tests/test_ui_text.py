"""Text from data is shown as written: markdown, LaTeX dollars and HTML are escaped."""

from __future__ import annotations

from ui.text import md_escape


def test_dollar_amounts_are_not_read_as_latex():
    assert md_escape("less than $25 million ... more like $10 million") == (
        r"less than \$25 million \.\.\. more like \$10 million"
    )


def test_markdown_and_html_are_escaped():
    assert md_escape("**bold** [link](javascript:x) <script>") == (r"\*\*bold\*\* \[link\]\(javascript\:x\) \<script\>")
    assert md_escape("# heading\n- item") == r"\# heading \- item"
