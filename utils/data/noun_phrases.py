"""German noun phrases: articles and adjectives, their endings by gender,
number and case, and the function that writes one phrase ("mit dem großen
Hund") with a record of its grammar (`NounPhrase`). Part of the sentence
generator behind `utils.data.grammar`; lesson 1's dictionary lists the forms.

Why: "the" has five German forms, and the right one depends on the noun's
gender, number and case. The tables are a grammar book's.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from utils.data.nouns import NOUN_LIST, Noun, german_noun, nouns_of

# Adjectives: English, German stem (the form before an ending), kinds they fit.
ADJECTIVES: tuple[tuple[str, str, str], ...] = (
    ("big", "groß", "paftcolve"),
    ("small", "klein", "paftcolve"),
    ("old", "alt", "patcxyslvoe"),
    ("new", "neu", "tcxyslvoe"),
    ("young", "jung", "pa"),
    ("long", "lang", "xycsl"),
    ("short", "kurz", "xycs"),
    ("heavy", "schwer", "t"),
    ("red", "rot", "tcvfo"),
    ("blue", "blau", "tcvo"),
    ("green", "grün", "tcvfo"),
    ("yellow", "gelb", "tcvfo"),
    ("black", "schwarz", "tcvoa"),
    ("white", "weiß", "tcvoa"),
    ("brown", "braun", "tcvoa"),
    ("grey", "grau", "tcvoa"),
    ("beautiful", "schön", "patcxslvo"),
    ("ugly", "hässlich", "atclv"),
    ("pretty", "hübsch", "pcl"),
    ("nice", "nett", "p"),
    ("good", "gut", "pfdxys"),
    ("bad", "schlecht", "fdxys"),
    ("cheap", "billig", "tcfdv"),
    ("expensive", "teur", "tcfdvl"),
    ("clean", "sauber", "tclvo"),
    ("dirty", "schmutzig", "tclvoa"),
    ("fresh", "frisch", "fd"),
    ("sweet", "süß", "fda"),
    ("hot", "heiß", "fd"),
    ("cold", "kalt", "fdl"),
    ("warm", "warm", "fdcl"),
    ("delicious", "lecker", "fd"),
    ("healthy", "gesund", "paf"),
    ("strong", "stark", "pad"),
    ("dry", "trocken", "cb"),
    ("wet", "nass", "ac"),
    ("soft", "weich", "c"),
    ("dark", "dunkl", "lc"),
    ("bright", "hell", "le"),
    ("empty", "leer", "lv"),
    ("full", "voll", "lv"),
    ("modern", "modern", "lvte"),
    ("fast", "schnell", "av"),
    ("slow", "langsam", "av"),
    ("quiet", "leis", "pav"),
    ("loud", "laut", "pavel"),
    ("famous", "berühmt", "plxs"),
    ("interesting", "interessant", "pxyl"),
    ("boring", "langweilig", "pxyl"),
    ("strange", "seltsam", "patxy"),
    ("funny", "lustig", "paxys"),
    ("sad", "traurig", "pas"),
    ("happy", "glücklich", "pa"),
    ("friendly", "freundlich", "pa"),
    ("angry", "wütend", "pa"),
    ("tired", "müd", "pa"),
    ("hungry", "hungrig", "pa"),
    ("sick", "krank", "pa"),
    ("clever", "klug", "pa"),
    ("lazy", "faul", "pa"),
    ("brave", "mutig", "pa"),
    ("shy", "schüchtern", "pa"),
    ("wild", "wild", "a"),
    ("rich", "reich", "p"),
    ("poor", "arm", "p"),
    ("polite", "höflich", "p"),
    ("proud", "stolz", "p"),
)

# Possessives take the endings of "ein" (and "kein").
POSSESSIVES: tuple[tuple[str, str], ...] = (
    ("my", "mein"),
    ("your", "dein"),
    ("his", "sein"),
    ("her", "ihr"),
    ("our", "unser"),
    ("their", "ihr"),
)


# --------------------------------------------------------------------------
# Grammar tables. Columns: masculine, feminine, neuter, plural.
# --------------------------------------------------------------------------

_COLUMN = {"m": 0, "f": 1, "n": 2}  # the plural is column 3
DER = {
    "nom": ("der", "die", "das", "die"),
    "acc": ("den", "die", "das", "die"),
    "dat": ("dem", "der", "dem", "den"),
}
# Endings of "dieser", and of an adjective with no article in front of it.
STRONG = {
    "nom": ("er", "e", "es", "e"),
    "acc": ("en", "e", "es", "e"),
    "dat": ("em", "er", "em", "en"),
}
# Endings of "ein", "kein" and the possessives.
EIN = {
    "nom": ("", "e", "", "e"),
    "acc": ("en", "e", "", "e"),
    "dat": ("em", "er", "em", "en"),
}
# Endings of an adjective after an article that already shows the case.
WEAK = {
    "nom": ("e", "e", "e", "en"),
    "acc": ("en", "e", "e", "en"),
    "dat": ("en", "en", "en", "en"),
}
# Preposition + article that German writes as one word.
CONTRACTIONS = {
    ("in", "dem"): "im",
    ("in", "das"): "ins",
    ("an", "dem"): "am",
    ("an", "das"): "ans",
    ("zu", "dem"): "zum",
    ("zu", "der"): "zur",
    ("von", "dem"): "vom",
}


class NounPhrase(NamedTuple):
    """One German noun phrase of a sentence, with the grammar that shaped it."""

    case: str  # "nom", "acc" or "dat"
    gender: str  # "m", "f" or "n"
    number: str  # "sg" or "pl"
    article_lemma: str  # "der", "ein", "dieser", "kein", "mein", ... or "" for none
    article: str  # as written: "dem", "einen", "meine", ""
    adjective_stem: str  # "groß", "teur" (from teuer) or ""
    adjective: str  # as written: "großen", ""
    noun_lemma: str  # "Kind", "Junge"
    noun: str  # as written: "Kindern", "Jungen"
    preposition: str = ""  # "mit", "in", ... when the phrase follows one

    @property
    def text(self) -> str:
        """The phrase as it appears in the sentence: "im großen Park"."""
        contracted = CONTRACTIONS.get((self.preposition, self.article))  # "im"
        if contracted:
            words = (contracted, self.adjective, self.noun)
        else:
            words = (self.preposition, self.article, self.adjective, self.noun)
        return " ".join(filter(None, words))  # leave out the empty ones


def _german_article(lemma: str, case: str, column: int) -> str:
    """The article as written: ("der", "dat", 0) -> "dem", ("mein", "acc", 0)
    -> "meinen"."""
    if lemma == "der":
        return DER[case][column]
    if lemma == "dieser":
        return "dies" + STRONG[case][column]
    if lemma:  # ein, kein, mein, ...
        return lemma + EIN[case][column]
    return ""


def _adjective_ending(article_lemma: str, case: str, column: int) -> str:
    """The adjective's ending after this article: weak, strong or mixed."""
    if article_lemma in ("der", "dieser"):
        return WEAK[case][column]
    if article_lemma:
        # After ein-words the adjective shows the case where the article can't:
        # "ein großer Hund", "ein kleines Kind", but "einen großen Hund".
        return STRONG[case][column] if not EIN[case][column] else WEAK[case][column]
    return STRONG[case][column]


# --------------------------------------------------------------------------
# One noun phrase
# --------------------------------------------------------------------------

_SIZES = ("groß", "klein", "schwer")  # not for mass nouns: no "big milk"
_ADJECTIVES_FOR = {
    n.de: [
        a
        for a in ADJECTIVES
        if set(a[2]) & set(n.kinds) and (n.de_pl or a[1] not in _SIZES)
    ]
    for n in NOUN_LIST
}


def noun_phrase(
    rng: random.Random,
    kinds: str,
    case: str,
    richness: float,
    used: set[str],
    preposition: str = "",
    nouns: list[Noun] | None = None,
    negative: bool = True,
) -> tuple[str, str, NounPhrase]:
    """One noun phrase: English words, German words and the German record.

    ("the big dog", "mit dem großen Hund", NounPhrase(...)) for case "dat", "mit".
    """
    choices = nouns or nouns_of(kinds)
    noun = rng.choice(choices)
    for _ in range(10):  # not the same noun twice in a clause, if we can help it
        if noun.de not in used:
            break
        noun = rng.choice(choices)
    used.add(noun.de)
    mass = not noun.de_pl
    plural = not mass and rng.random() < 0.3
    roll = rng.random()
    if roll < 0.45:
        en_article, lemma = "the", "der"
    elif roll < 0.7:
        en_article, lemma = ("", "") if plural or mass else ("a", "ein")
    elif roll < 0.82:
        en_article, lemma = rng.choice(POSSESSIVES)
    elif roll < 0.94 or not negative:
        en_article, lemma = ("these" if plural else "this"), "dieser"
    else:
        en_article, lemma = "no", "kein"
    column = 3 if plural else _COLUMN[noun.gender]
    en = noun.en_pl if plural else noun.en
    stem = adjective = ""
    adjectives = _ADJECTIVES_FOR[noun.de]
    if adjectives and rng.random() < 0.6 * richness:
        en_adjective, stem, _ = rng.choice(adjectives)
        adjective = stem + _adjective_ending(lemma, case, column)
        en = f"{en_adjective} {en}"
    if en_article:
        if en_article == "a" and en[0] in "aeiou":
            en_article = "an"
        en = f"{en_article} {en}"
    record = NounPhrase(
        case=case,
        gender=noun.gender,
        number="pl" if plural else "sg",
        article_lemma=lemma,
        article=_german_article(lemma, case, column),
        adjective_stem=stem,
        adjective=adjective,
        noun_lemma=noun.de,
        noun=german_noun(noun, case, plural),
        preposition=preposition,
    )
    return en, record.text, record
