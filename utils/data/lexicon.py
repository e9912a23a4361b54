"""The course's word-for-word dictionary, made from the grammar's own words
(part 1, lesson 1, "Attempt 1: a dictionary, word by word").

Why: with every German form of every English word, translating word by word
gets the words right and the sentence wrong, which is the lesson's point.

    lexicon()["the"] == ["der", "die", "das", "den", "dem"]
"""

from __future__ import annotations

import functools

from utils.data.noun_phrases import (
    ADJECTIVES,
    CONTRACTIONS,
    DER,
    EIN,
    POSSESSIVES,
    STRONG,
)
from utils.data.nouns import NOUN_LIST, PLACE_PREPS, WEAK_NOUNS, german_noun
from utils.data.verbs import (
    ADVERBS,
    MODALS,
    PRONOUNS,
    SUBORDINATORS,
    VERB_LIST,
    conjugate,
    en_3sg,
)

# English words that do the job of a German separable prefix.
_PARTICLES = ("up", "on", "off", "in", "out", "at", "to", "away", "along", "back")


@functools.cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}

    def add(en: str, *de: str) -> None:
        forms = table.setdefault(en.lower(), [])
        forms.extend(d for d in de if d not in forms)

    slots = [(case, column) for case in DER for column in range(4)]
    add("the", *(DER[case][column] for case, column in slots))
    for en in ("a", "an"):
        add(en, *("ein" + EIN[case][column] for case, column in slots if column < 3))
    add(
        "this",
        *("dies" + STRONG[case][column] for case, column in slots if column < 3),
    )
    add("these", *("dies" + STRONG[case][3] for case in STRONG))
    for en, de in (*POSSESSIVES, ("no", "kein")):
        add(en, *(de + EIN[case][column] for case, column in slots))
    for _, en, de, en_obj, acc, dat in PRONOUNS:
        add(en, de)
        add(en_obj, acc, dat)
    for noun in NOUN_LIST:
        add(noun.en, noun.de, *[noun.de_pl] * (noun.de in WEAK_NOUNS))
        if noun.en_pl:
            add(noun.en_pl, noun.de_pl, german_noun(noun, "dat", plural=True))
    for en, stem, _ in ADJECTIVES:
        add(en, *(stem + ending for ending in ("e", "en", "er", "es", "em")))
    # Prepositions, the usual translation first, each with its contractions.
    prepositions = [("in", "in"), ("into", "in"), ("at", "an"), ("on", "auf")]
    prepositions += [("with", "mit"), ("without", "ohne"), ("for", "für")]
    prepositions += [("from", "von"), ("from", "aus"), ("to", "zu"), ("to", "nach")]
    for en_at, de_at, en_to, de_to in PLACE_PREPS.values():
        prepositions += [(en_at, de_at), (en_to, de_to)]
    for en, de in prepositions:
        add(en, de, *(c for (p, _), c in CONTRACTIONS.items() if p == de))
    for en, de, _ in (
        *ADVERBS,
        ("at home", "zu Hause", ""),
        ("home", "nach Hause", ""),
    ):
        en_words, de_words = en.split(), de.split()
        if len(en_words) == len(de_words):
            for e, d in zip(en_words, de_words):
                add(e, d)
        elif en_words[-1].lower() not in table:
            add(en_words[-1], de)
    for en, de in (*SUBORDINATORS, ("that", "dass"), ("and", "und"), ("but", "aber")):
        add(en, de)
    persons = ("1sg", "2sg", "1pl")  # "1pl" also stands for the infinitive
    for en, modal in MODALS.items():
        add(en, *(conjugate(modal, p) for p in persons))
        add(en + ("s" if en == "want" else ""), conjugate(modal, "3sg"))
    add("do", "tue", "tust", "tun")
    add("does", "tut")
    add("to", "zu")
    # One-word verbs first: "gets" is "bekommt" before it is "steht (auf)".
    for verb in sorted(VERB_LIST, key=lambda verb: " " in verb.en):
        prefix, _, base = verb.de.rpartition("|")
        head, *rest = verb.en.split()
        add(head, *(conjugate(base, p) for p in persons))
        add(en_3sg(head), conjugate(base, "3sg"))
        if prefix:  # the joined forms of subordinate clauses: "anruft"
            add(head, *(prefix + conjugate(base, p) for p in persons))
            add(en_3sg(head), prefix + conjugate(base, "3sg"))
        for word in rest:  # "pick UP" is "AB|holen", "go SHOPPING" "EIN|kaufen"
            if prefix and word in _PARTICLES:
                add(word, prefix)
            elif word not in table:
                add(word, prefix + base)
    return {en: tuple(de) for en, de in table.items()}


def lexicon() -> dict[str, list[str]]:
    """The course's English->German word dictionary, every form of every word:
    lexicon()["the"] == ["der", "die", "das", "den", "dem"],
    lexicon()["buys"] == ["kauft"], lexicon()["cake"] == ["Kuchen"].

    Keys are lower-case English words; values list German words, most usual first.
    """
    return {en: list(de) for en, de in _lexicon().items()}
