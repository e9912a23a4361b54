"""One clause's words, chosen at random: subject, verb, objects, an adverbial
and prepositional phrases, each of a kind the verb fits. Part of the sentence
generator behind `utils.data.grammar`.

Why: the words are chosen once, and the word order afterwards, so that the
English and the German of a pair say the same thing. `ClauseWords` holds the
choice; `utils.data.sentences` puts it in English and German order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from utils.data.noun_phrases import NounPhrase, noun_phrase
from utils.data.nouns import INSIDE, PLACE_PREPS, PLACES, Noun, nouns_of
from utils.data.verbs import ADVERBS, MODALS, PRONOUNS, VERB_LIST, Verb, conjugate

ACTION_VERBS = [v for v in VERB_LIST if v.frame != "that"]
THAT_VERBS = [v for v in VERB_LIST if v.frame == "that"]
_TIME_ADVERBS = [a for a in ADVERBS if a[2] == "t"]
_FREQUENCY_ADVERBS = [a for a in ADVERBS if a[2] != "t"]


@dataclass(slots=True)
class ClauseWords:
    """A clause with all its words chosen but its German word order still open."""

    person: str
    subject_en: str
    subject_de: str
    subject_is_pronoun: bool
    verb_en: str  # English base form: "look for"
    modal: str  # "", "want", "can" or "must"
    finite: str  # German finite verb: "ruft", "will"
    particle: str  # separable prefix for the end of a main clause: "an"
    infinitive: str  # after a modal: "anrufen"
    adverb: tuple[str, str, str] | None
    pronoun_en: str  # an object pronoun ("her"), which German moves forward
    pronoun_de: str
    objects_en: list[str]
    objects_de: list[str]
    extras_en: list[str]  # prepositional phrases, in English order
    extras_de: list[str]  # and in German order
    noun_phrases: list[NounPhrase]


def _pronoun_object(rng: random.Random, person: str) -> tuple[str, ...]:
    """An object pronoun that doesn't clash with the subject ("I see me")."""
    while True:
        pronoun = rng.choice(PRONOUNS)
        if pronoun[0][0] == "3" or pronoun[0][0] != person[0]:
            return pronoun


def choose_clause(
    rng: random.Random, richness: float, verbs: list[Verb], question: bool = False
) -> ClauseWords:
    """Choose the words of one clause: subject, verb, objects, adverb, phrases."""
    verb = rng.choice(verbs)
    used: set[str] = set()  # nouns already in this clause
    nps: list[NounPhrase] = []

    def phrase(
        kinds: str,
        case: str,
        preposition: str = "",
        nouns: list[Noun] | None = None,
        negative: bool = True,
    ) -> tuple[str, str]:
        # "no" only where it reads well: "the man has no car", but not
        # "with no dog", "no man and the woman" or "Does no man ...?".
        negative = negative and not preposition and not question
        en, de, record = noun_phrase(
            rng, kinds, case, richness, used, preposition, nouns, negative
        )
        nps.append(record)
        return en, de

    def place_phrase(role: str) -> tuple[str, str]:
        """Where ("at"), where to ("to") or where from ("from")."""
        place = rng.choice(PLACES)
        if place.de in used:
            place = rng.choice(PLACES)
        en_at, de_at, en_to, de_to = PLACE_PREPS.get(place.de, INSIDE)
        if role == "at":
            en_prep, de_prep, case = en_at, de_at, "dat"
        elif role == "to":
            en_prep, de_prep, case = en_to, de_to, "dat" if de_to == "zu" else "acc"
        else:  # out of a building, away from anywhere else
            en_prep, de_prep, case = "from", "aus" if de_at == "in" else "von", "dat"
        en, de = phrase("l", case, de_prep, [place])
        return f"{en_prep} {en}", de

    # Subject: a pronoun, a noun phrase, or two noun phrases joined by "and".
    if "p" in verb.subject_kinds and rng.random() < 0.2:
        pronouns = PRONOUNS[1:] if question else PRONOUNS  # no "Do I ...?"
        person, subject_en, subject_de, *_ = rng.choice(pronouns)
        is_pronoun = True
    else:
        two = rng.random() < 0.1 * richness
        subject_en, subject_de = phrase(verb.subject_kinds, "nom", negative=not two)
        person = "3pl" if nps[-1].number == "pl" else "3sg"
        is_pronoun = False
        if two:
            en, de = phrase(verb.subject_kinds, "nom", negative=False)
            subject_en, subject_de = f"{subject_en} and {en}", f"{subject_de} und {de}"
            person = "3pl"

    # Verb: maybe a modal verb first, which sends the main verb to the end.
    stative = "S" in verb.extras
    modal = ""
    if not stative and verb.frame != "that" and rng.random() < 0.15:
        modal = rng.choice(tuple(MODALS))
    prefix, _, base = verb.de.rpartition("|")
    if modal:  # "will ... anrufen"
        finite = conjugate(MODALS[modal], person)
        particle, infinitive = "", prefix + base
    else:  # "ruft ... an"
        finite = conjugate(base, person)
        particle, infinitive = prefix, ""
    adverb = None
    if not stative and rng.random() < 0.4 * richness:
        # Keep the English simple: no "often wants to buy", no "says today that".
        if modal:
            adverb = rng.choice(_TIME_ADVERBS)
        elif verb.frame == "that":
            adverb = rng.choice(_FREQUENCY_ADVERBS)
        else:
            adverb = rng.choice(ADVERBS)

    # Objects: German puts the dative before the accusative.
    # A pronoun object gets a place of its own (see _german); never after
    # "pick up" and the like, since "picks up her" is wrong English.
    pronoun_en = pronoun_de = ""
    objects_en: list[str] = []
    objects_de: list[str] = []
    can_be_pronoun = " " not in verb.en
    if verb.frame in ("dat", "dat+acc"):
        kinds = verb.object_kinds if verb.frame == "dat" else "p"
        if can_be_pronoun and "p" in kinds and rng.random() < 0.15:
            pronoun = _pronoun_object(rng, person)
            pronoun_en, pronoun_de = pronoun[3], pronoun[5]
        else:
            en, de = phrase(kinds, "dat")
            objects_en.append(en)
            objects_de.append(de)
    if verb.frame in ("acc", "dat+acc"):
        kinds = verb.object_kinds
        if (
            verb.frame == "acc"
            and can_be_pronoun
            and "p" in kinds
            and rng.random() < 0.15
        ):
            pronoun = _pronoun_object(rng, person)
            pronoun_en, pronoun_de = pronoun[3], pronoun[4]
        else:
            two = rng.random() < 0.15 * richness and len(nouns_of(kinds)) > 4
            en, de = phrase(kinds, "acc", negative=not two)
            if two:
                en2, de2 = phrase(kinds, "acc", negative=False)
                en, de = f"{en} and {en2}", f"{de} und {de2}"
            objects_en.append(en)
            objects_de.append(de)

    # Prepositional phrases: with/for/from someone, then a place.
    extras = "" if stative else verb.extras
    people_en: list[str] = []
    people_de: list[str] = []
    for extra, en_prep, de_prep, case, kinds in (
        ("W", "with", "mit", "dat", "pa"),
        ("B", "for", "für", "acc", "p"),
        ("F", "from", "von", "dat", "p"),
    ):
        if extra in extras and rng.random() < 0.3 * richness:
            if extra == "W" and rng.random() < 0.3:
                en_prep, de_prep, case = "without", "ohne", "acc"
            en, de = phrase(kinds, case, de_prep)
            people_en.append(f"{en_prep} {en}")
            people_de.append(de)
    place_en: list[str] = []
    place_de: list[str] = []
    if verb.frame == "to":
        roll = rng.random()
        if roll < 0.15:
            en, de = "home", "nach Hause"
        elif roll < 0.3:
            en, de = phrase("p", "dat", "zu")
            en = f"to {en}"
        else:
            en, de = place_phrase("to")
        place_en, place_de = [en], [de]
    elif "P" in extras and rng.random() < 0.6 * richness:
        en, de = place_phrase("from")
        place_en, place_de = [en], [de]
    elif "!" in extras or ("L" in extras and rng.random() < 0.4 * richness):
        en, de = ("at home", "zu Hause") if rng.random() < 0.1 else place_phrase("at")
        place_en, place_de = [en], [de]

    return ClauseWords(
        person=person,
        subject_en=subject_en,
        subject_de=subject_de,
        subject_is_pronoun=is_pronoun,
        verb_en=verb.en,
        modal=modal,
        finite=finite,
        particle=particle,
        infinitive=infinitive,
        adverb=adverb,
        pronoun_en=pronoun_en,
        pronoun_de=pronoun_de,
        objects_en=objects_en,
        objects_de=objects_de,
        # English says "goes into the park with the dog",
        # German "geht mit dem Hund in den Park".
        extras_en=place_en + people_en,
        extras_de=people_de + place_de,
        noun_phrases=nps,
    )
