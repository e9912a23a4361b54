"""Search over real news (part 2, lesson 2.1): gensim's Lee corpus, 300
Australian news stories from 2001, and queries whose answers we know.

`PARAPHRASES` say what a story is about in other words than the story's own;
`KEYWORDS` use the story's own names. A search by meaning should do well on
both; a search by words only on the second.
"""

from __future__ import annotations

import functools

from utils.search import KeywordIndex, Query, SemanticIndex


@functools.lru_cache(maxsize=1)
def documents() -> tuple[str, ...]:
    """The 300 stories of gensim's `lee_background.cor`, one per line."""
    from utils.assets import gensim_data

    text = gensim_data("lee_background").read_text(encoding="cp1252")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def headline(doc: int, width: int = 90) -> str:
    """The start of a story's first sentence, at most `width` characters."""
    first = documents()[doc].split(". ")[0]
    return first if len(first) <= width else first[: width - 3].rstrip() + "..."


def _q(text: str, *answers: int) -> Query:
    return Query(text, frozenset(answers))


PARAPHRASES = [
    _q("nurses who deliver babies misused laughing gas", 4),
    _q("a tremor shook farming country in the west", 32),
    _q("an English actor known for a sitcom about politics passes away", 45),
    _q("astronauts land safely after two weeks in orbit", 125),
    _q("oceans could rise sharply as the planet heats up", 31),
    _q("parents want a designer baby to save their sick child", 61),
    _q("an airline sells very cheap tickets to see off a rival", 42),
    _q("a mass naked event at a naturist retreat", 82),
    _q("flames damage a famous place of worship in Manhattan", 109),
    _q("a new road may run over first world war cemeteries", 91),
    _q("malicious software that deletes your files", 253),
    _q("a dead rock star's remains go into a sacred Indian river", 257),
    _q("the central bank lowers the cost of borrowing", 170, 244, 251),
    _q("more and more people are overweight", 172),
    _q("gambling halls earned billions", 205),
]
KEYWORDS = [
    _q("Hopman Cup", 6, 17),
    _q("Sir Peter Blake", 212, 224),
    _q("Kofi Annan Nobel Peace Prize", 186),
    _q("Mitsubishi asks the Government for more money", 164),
    _q("Cathy Freeman", 196),
    _q("Lleyton Hewitt's new coach", 215),
]


@functools.lru_cache(maxsize=1)
def semantic_index() -> SemanticIndex:
    """MiniLM vectors of the 300 stories (about 20 s on 2 cores, once)."""
    return SemanticIndex(documents())


@functools.lru_cache(maxsize=1)
def keyword_index() -> KeywordIndex:
    return KeywordIndex(documents())
