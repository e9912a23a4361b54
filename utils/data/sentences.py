"""Sentences: English and German word order for a clause, clauses joined into
sentences, and the endless seeded stream of `Pair`s. The generator behind
`utils.data.grammar.make_splits` (lessons 1, 3 and 6 train and test on it).

Why: the German verb comes second in a main clause and last after "weil" or
"dass", and a separable verb splits ("ruft ... an"); `_german` writes those
orders, `_english` the English ones. The sentence plans set how long the
sentences are, so that all four length buckets fill.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from utils.data.clauses import ACTION_VERBS, THAT_VERBS, ClauseWords, choose_clause
from utils.data.noun_phrases import NounPhrase
from utils.data.tokens import LENGTH_BUCKETS
from utils.data.verbs import SUBORDINATORS, en_3sg

# --------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------


class Clause(NamedTuple):
    """One German clause of a sentence and where its verb went."""

    kind: str  # "main", "question" or "sub"
    text: str  # as in the sentence (without its capital first letter or punctuation)
    first: str  # what stands before the verb of a main clause; "" if the verb is first
    conjunction: str  # "weil", "dass", "wenn" or "obwohl" for "sub", else ""
    person: str  # of the subject: "1sg", "2sg", "3sg", "1pl" or "3pl"
    verb: str  # the finite verb: "ruft", "will", "kauft"
    particle: str  # separable prefix left at the end ("an"), or ""
    infinitive: str  # infinitive after a modal verb ("anrufen"), or ""


@dataclass(frozen=True)
class Pair:
    """An English sentence, its German translation and the German structure."""

    en: str
    de: str
    noun_phrases: tuple[NounPhrase, ...] = ()
    clauses: tuple[Clause, ...] = ()


# --------------------------------------------------------------------------
# Word order
# --------------------------------------------------------------------------


def _english(c: ClauseWords, order: str) -> str:
    """English words of a clause. English word order hardly changes:
    only an adverbial may come first, and a question puts "does" in front."""
    third = c.person == "3sg"
    adverb_en, _, adverb_kind = c.adverb or ("", "", "")
    front = freq = end = ""
    if order == "front":
        front = adverb_en
    elif adverb_kind == "t":
        end = adverb_en
    else:
        freq = adverb_en
    base = c.verb_en
    if order == "question":
        if c.modal in ("can", "must"):
            head = [c.modal, c.subject_en, freq, base]
        else:
            aux = "does" if third else "do"
            head = [aux, c.subject_en, freq, "want to" if c.modal else "", base]
    else:
        if c.modal == "want":
            verb = ["wants to" if third else "want to", base]
        elif c.modal:
            verb = [c.modal, base]
        else:
            verb = [en_3sg(base) if third else base]
        head = [front, c.subject_en, freq, *verb]
    words = [*head, c.pronoun_en, *c.objects_en, *c.extras_en, end]
    return " ".join(filter(None, words))


def _german(c: ClauseWords, order: str) -> str:
    """German words of a clause in one of four orders:

    "main"      subject, verb, ...:          der Mann ruft heute die Frau an
    "front"     adverbial, verb, subject:    heute ruft der Mann die Frau an
    "inverted"  verb, subject (questions, and after a subordinate clause):
                                             ruft der Mann heute die Frau an
    "sub"       subject, ..., verb last:     der Mann heute die Frau anruft
    """
    adverb = c.adverb[1] if c.adverb and order != "front" else ""
    middle = [adverb, *c.objects_de, *c.extras_de]
    end = c.infinitive or c.particle
    if order == "main":
        words = [c.subject_de, c.finite, c.pronoun_de, *middle, end]
    elif order == "sub":
        verbs = f"{c.infinitive} {c.finite}" if c.infinitive else c.particle + c.finite
        words = [c.subject_de, c.pronoun_de, *middle, verbs]
    else:
        # Behind the verb, an object pronoun goes before a noun subject:
        # "Heute ruft sie der Mann an", but "Heute ruft er sie an".
        if c.subject_is_pronoun:
            subject = [c.subject_de, c.pronoun_de]
        else:
            subject = [c.pronoun_de, c.subject_de]
        first = c.adverb[1] if order == "front" and c.adverb else ""
        words = [first, c.finite, *subject, *middle, end]
    return " ".join(filter(None, words))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Sentence:
    """Collects the clauses of one sentence and their records."""

    def __init__(self) -> None:
        self.clauses: list[Clause] = []
        self.noun_phrases: list[NounPhrase] = []

    def add(
        self, c: ClauseWords, order: str, conjunction: tuple[str, str] = ("", "")
    ) -> tuple[str, str]:
        en = _english(c, order)
        de = _german(c, "inverted" if order == "question" else order)
        if conjunction[0]:
            en, de = f"{conjunction[0]} {en}", f"{conjunction[1]} {de}"
        if order == "main":
            first = c.subject_de
        elif order == "front" and c.adverb:
            first = c.adverb[1]
        else:
            first = ""
        kind = order if order in ("question", "sub") else "main"
        record = Clause(
            kind=kind,
            text=de,
            first=first,
            conjunction=conjunction[1],
            person=c.person,
            verb=c.finite,
            particle=c.particle,
            infinitive=c.infinitive,
        )
        self.clauses.append(record)
        self.noun_phrases.extend(c.noun_phrases)
        return en, de

    def pair(self, en: str, de: str) -> Pair:
        return Pair(_cap(en), _cap(de), tuple(self.noun_phrases), tuple(self.clauses))


def _main_order(rng: random.Random, c: ClauseWords) -> str:
    """Start with the subject, or now and then with the adverbial."""
    if c.adverb and c.adverb[2] != "f" and rng.random() < 0.5:
        return "front"
    return "main"


def _subordinate(
    rng: random.Random,
    s: _Sentence,
    size: int,
    richness: float,
    conjunction: tuple[str, str],
) -> tuple[str, str]:
    """A subordinate clause and `size - 1` more clauses hanging off it:
    "weil die Frau sagt, dass der Mann den Kuchen kauft"."""
    if size == 1:
        return s.add(choose_clause(rng, richness, ACTION_VERBS), "sub", conjunction)
    en, de = s.add(choose_clause(rng, richness, THAT_VERBS), "sub", conjunction)
    en2, de2 = _subordinate(rng, s, size - 1, richness, ("that", "dass"))
    return f"{en} {en2}", f"{de}, {de2}"


def _clause_group(
    rng: random.Random, s: _Sentence, size: int, richness: float, first: bool
) -> tuple[str, str, bool]:
    """A main clause with `size - 1` subordinate clauses. Also says whether the
    German ends in a subordinate clause, which then needs a closing comma."""
    if size == 1:
        c = choose_clause(rng, richness, ACTION_VERBS)
        en, de = s.add(c, _main_order(rng, c))
        return en, de, False
    roll = rng.random()
    if roll < 0.3:  # "Die Frau sagt, dass ..."
        c = choose_clause(rng, richness, THAT_VERBS)
        en, de = s.add(c, _main_order(rng, c))
        en2, de2 = _subordinate(rng, s, size - 1, richness, ("that", "dass"))
        return f"{en} {en2}", f"{de}, {de2}", True
    conjunction = rng.choice(SUBORDINATORS)
    if first and roll < 0.55:  # "Weil ..., kauft der Mann ..."
        en2, de2 = _subordinate(rng, s, size - 1, richness, conjunction)
        en, de = s.add(choose_clause(rng, richness, ACTION_VERBS), "inverted")
        return f"{en2}, {en}", f"{de2}, {de}", False
    c = choose_clause(rng, richness, ACTION_VERBS)
    en, de = s.add(c, _main_order(rng, c))
    en2, de2 = _subordinate(rng, s, size - 1, richness, conjunction)
    return f"{en} {en2}", f"{de}, {de2}", True


# How a sentence of n clauses splits into clause groups joined by "and"/"but".
_GROUPINGS: dict[int, tuple[tuple[int, ...], ...]] = {
    1: ((1,),),
    2: ((2,), (2,), (1, 1)),
    3: ((3,), (2, 1), (1, 2), (1, 1, 1)),
    4: ((2, 2), (3, 1), (1, 3), (2, 1, 1)),
}


def _sentence(rng: random.Random, n_clauses: int, richness: float) -> Pair:
    """One sentence of `n_clauses` clauses: a question, or clause groups
    joined by "and" and at most one "but"."""
    s = _Sentence()
    if n_clauses == 1 and rng.random() < 0.2:
        c = choose_clause(rng, richness, ACTION_VERBS, question=True)
        en, de = s.add(c, "question")
        return s.pair(en + "?", de + "?")
    groups = rng.choice(_GROUPINGS[n_clauses])
    en, de, open_sub = _clause_group(rng, s, groups[0], richness, first=True)
    but = rng.randrange(len(groups) + 1)  # where "but" goes, if anywhere
    for i, size in enumerate(groups[1:], start=1):
        en2, de2, next_open_sub = _clause_group(rng, s, size, richness, first=False)
        if i == but:
            en, de = f"{en}, but {en2}", f"{de}, aber {de2}"
        else:  # a comma closes a subordinate clause before "und"
            en, de = f"{en} and {en2}", f"{de}{',' if open_sub else ''} und {de2}"
        open_sub = next_open_sub
    return s.pair(en + ".", de + ".")


# Sentence plans: (number of clauses, richness, weight). Richness is how likely
# adjectives, adverbs and extra phrases are. This mix puts about 30%, 30%, 23%
# and 17% of the sentences in the four length buckets.
_PLANS: tuple[tuple[int, float, float], ...] = (
    (1, 0.2, 0.26),
    (1, 1.0, 0.14),
    (2, 0.2, 0.20),
    (2, 0.6, 0.14),
    (3, 0.3, 0.20),
    (4, 0.3, 0.06),
)
_MIN_WORDS, _MAX_WORDS = LENGTH_BUCKETS[0][0], LENGTH_BUCKETS[-1][1]


def pair_stream(rng: random.Random) -> Iterator[Pair]:
    """Endless pairs, 3 to 25 English words long, each plan picked by weight."""
    plans = [plan[:2] for plan in _PLANS]
    cum_weights = list(itertools.accumulate(plan[2] for plan in _PLANS))
    while True:
        n_clauses, richness = rng.choices(plans, cum_weights=cum_weights)[0]
        pair = _sentence(rng, n_clauses, richness)
        if _MIN_WORDS <= pair.en.count(" ") + 1 <= _MAX_WORDS:  # = n_words(pair.en)
            yield pair


def generate_pairs(n: int, seed: int = 0) -> list[Pair]:
    """`n` sentence pairs, the same ones for the same seed.

    A sentence may come up twice; `make_splits` removes repeats."""
    return list(itertools.islice(pair_stream(random.Random(seed)), n))
