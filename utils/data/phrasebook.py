"""The course phrasebook: everyday English sentences with natural German translations.

The grammar gives us endless clean sentences; this file gives us real language.
Each pair was written for the course, grouped by topic (greetings, travel,
weather, ...), and many carry a short note where German does not follow the
English word by word: idioms, verb-second and verb-final order, separable verbs,
"Ich habe Hunger" for "I'm hungry". We use it for demos and as a small, honest
test set for every model in the course, from the phrase table to the LLM.

    >>> from utils.data import phrasebook
    >>> phrasebook.load_phrasebook("weather")[2].de
    'Es regnet in Strömen.'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

PHRASEBOOK_PATH = Path(__file__).with_name("phrasebook.tsv")
_HEADER = ["en", "de", "topic", "note"]


@dataclass(frozen=True)
class Phrase:
    """One English -> German pair, its topic, and an optional teaching note."""

    en: str
    de: str
    topic: str
    note: str = ""


@cache
def _all_phrases() -> tuple[Phrase, ...]:
    """Read the whole TSV once; later calls reuse the result."""
    lines = PHRASEBOOK_PATH.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != _HEADER:
        raise ValueError(f"{PHRASEBOOK_PATH.name}: header must be {_HEADER}")
    phrases = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) == 3:  # an editor may have stripped an empty note
            fields.append("")
        if len(fields) != 4:
            raise ValueError(
                f"{PHRASEBOOK_PATH.name}, line {number}: "
                f"expected 4 tab-separated fields, got {len(fields)}"
            )
        phrases.append(Phrase(*(field.strip() for field in fields)))
    return tuple(phrases)


def topics() -> list[str]:
    """The topic names, in the order they first appear in the file."""
    return list(dict.fromkeys(phrase.topic for phrase in _all_phrases()))


def load_phrasebook(topic: str | None = None) -> list[Phrase]:
    """All pairs in file order, or only those of one topic.

    Returns a fresh list each time, so changing it never touches the cache.
    """
    phrases = _all_phrases()
    if topic is None:
        return list(phrases)
    if topic not in topics():
        raise ValueError(
            f"unknown topic {topic!r}; choose one of: {', '.join(topics())}"
        )
    return [phrase for phrase in phrases if phrase.topic == topic]


def _deck_example() -> Phrase:
    """Find the line taken word for word from the course's source deck."""
    en, de = "What's the German for cake?", "Was heißt auf Deutsch Kuchen?"
    for phrase in _all_phrases():
        if phrase.en == en:
            if phrase.de != de:
                raise ValueError(f"the deck's line was changed: {phrase.de!r}")
            return phrase
    raise ValueError(f"the deck's line {en!r} is missing from the phrasebook")


# The source deck's own example, kept exactly as the deck has it. Its German is
# understandable but unusual; the note and the pairs after it give the natural
# ways to ask.
DECK_EXAMPLE: Phrase = _deck_example()
