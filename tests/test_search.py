"""Search by meaning (MiniLM) against search by words (TF-IDF), lesson 2.1."""

import pytest

from utils import search_view
from utils.search import (
    Hit,
    KeywordIndex,
    Query,
    SemanticIndex,
    hit_rate,
    rank_of_answer,
)

DOCS = [
    "The cat sat on the mat all afternoon.",
    "Interest rates were cut by the central bank.",
    "A kitten dozed on the rug by the fire.",
    "The striker scored twice in the cup final.",
]


def test_keyword_index_needs_shared_words_and_semantic_does_not():
    words, meaning = KeywordIndex(DOCS), SemanticIndex(DOCS)
    # no word in common with the kitten story, only its meaning
    query = "a young feline sleeping on a carpet"
    assert all(h.score == 0 for h in words.search(query, 4))
    assert meaning.search(query, 1)[0].doc in (0, 2)
    assert words.search("bank interest", 1)[0].doc == 1
    assert meaning.search("the football match", 1)[0].doc == 3


def test_scores_are_cosines_and_ties_go_to_the_lower_index():
    hits = SemanticIndex(DOCS).search(DOCS[1], 4)
    assert hits[0] == Hit(1, pytest.approx(1.0, abs=1e-5))
    assert all(-1 <= h.score <= 1 for h in hits)
    assert [h.doc for h in KeywordIndex(DOCS).search("zebra", 4)] == [0, 1, 2, 3]


class FixedIndex:
    def __init__(self, order):
        self.order = order

    def search(self, query, k=5):
        return [Hit(d, 1.0 - 0.1 * i) for i, d in enumerate(self.order[:k])]


def test_rank_and_hit_rate():
    index = FixedIndex([3, 1, 4, 0, 2, 5])
    assert rank_of_answer(index, Query("q", frozenset({4})), 5) == 3
    assert rank_of_answer(index, Query("q", frozenset({5})), 5) is None
    assert rank_of_answer(index, Query("q", frozenset({0, 1})), 5) == 2
    queries = [Query("a", frozenset({3})), Query("b", frozenset({5}))]
    assert hit_rate(index, queries, 5) == 0.5
    assert hit_rate(index, queries, 6) == 1.0
    assert hit_rate(index, queries, 1) == 0.5


def test_news_queries_name_real_stories():
    from utils.tasks import news

    docs = news.documents()
    assert len(docs) == 300
    assert "nitrous oxide" in docs[4] and "Endeavour" in docs[125]
    for q in news.PARAPHRASES + news.KEYWORDS:
        assert q.answers and all(0 <= a < 300 for a in q.answers)
    assert news.headline(4).startswith("Six midwives have been suspended")
    assert len(news.headline(4, 40)) <= 40


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "type"),
        ("   ", "type"),
        ("😀😀", "No story shares a word"),
        ("x" * 400, "300"),
    ],
)
def test_search_widget_explains_bad_input(query, message):
    view = search_view.update(query)
    assert message.lower() in view.message.lower()


def test_search_widget_shows_five_stories_both_ways():
    view = search_view.update("bushfires near Sydney")
    assert view.message == ""
    assert view.html.count("<tr>") == 2 * search_view.TOP
    assert "By meaning" in view.html and "By words" in view.html
