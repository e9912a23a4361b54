"""The search widget of lesson 2.1: one query, the top 5 stories by meaning
(MiniLM) and by words (TF-IDF), side by side, with their scores."""

from __future__ import annotations

import html

from utils.search import Hit
from utils.widgets import View, clean_text

TOP = 5
MAX_QUERY = 300  # characters: a query, not a document


def _column(title: str, hits: list[Hit]) -> str:
    from utils.tasks.news import headline

    rows = "".join(
        f"<tr><td style='text-align:right;padding-right:8px'>{h.score:.2f}</td>"
        f"<td>#{h.doc} {html.escape(headline(h.doc, 80))}</td></tr>"
        for h in hits
    )
    return (
        f"<div style='flex:1;min-width:320px'><b>{title}</b>"
        f"<table style='font-size:14px'>{rows}</table></div>"
    )


def update(query: str = "") -> View:
    """Top stories of gensim's Lee corpus for `query`, both ways."""
    from utils.tasks.news import keyword_index, semantic_index

    text, message = clean_text(query, MAX_QUERY)
    if not text:
        return View(message=message)
    words = keyword_index().search(text, TOP)
    notes = [message] if message else []
    if all(h.score == 0 for h in words):
        notes.append(
            "No story shares a word with this query: TF-IDF has nothing to go on."
        )
    body = _column("By meaning (MiniLM, cosine)", semantic_index().search(text, TOP))
    body += _column("By words (TF-IDF, cosine)", words)
    return View(html=f"<div style='display:flex;gap:24px'>{body}</div>",
                message=" ".join(notes))  # fmt: skip
