"""Briefings that leave the room: a self-contained HTML file, a PowerPoint deck and chart images.

Pure like ``core`` and ``charts`` (no Streamlit): they take a :class:`core.briefing.Briefing` and
return bytes or text, so they can be tested and timed on their own.
"""
