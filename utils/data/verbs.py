"""The grammar's verbs and the words around them: German conjugation, modal
verbs, pronouns, adverbials, and the conjunctions that send the German verb to
the end. Part of the sentence generator behind `utils.data.grammar`.

Why: which form the German verb takes and where it goes (second, or last) is
what word-by-word translation gets wrong. `conjugate` writes the German
present tense, `en_3sg` the English he/she form.
"""

from __future__ import annotations

from typing import NamedTuple

# Verbs: English base form, German infinitive ("|" marks a separable prefix),
# frame, subject kinds, object kinds, extras.
# Frames: "-" no object, "acc" accusative object, "dat" dative object,
#   "dat+acc" dative person and accusative thing ("gives the child the book"),
#   "to" goes somewhere, "that" takes a "dass" clause.
# Extras: L where ("in the park"), W with/without someone, B for someone,
#   F from someone, P from a place, ! needs a place,
#   S a state, not an action: no modal verb, adverb or phrase added.
_VERBS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("buy", "kaufen", "acc", "p", "fdtcx", "LWB"),
    ("eat", "essen", "acc", "pa", "f", "LW"),
    ("drink", "trinken", "acc", "pa", "d", "LW"),
    ("see", "sehen", "acc", "pa", "patclvoe", "L"),
    ("look for", "suchen", "acc", "pa", "patcvx", "LW"),
    ("find", "finden", "acc", "pa", "patcvx", "L"),
    ("take", "nehmen", "acc", "p", "fdtc", ""),
    ("carry", "tragen", "acc", "p", "ta", "LW"),
    ("hold", "halten", "acc", "p", "ta", "L"),
    ("catch", "fangen", "acc", "pa", "ta", "L"),
    ("cook", "kochen", "acc", "p", "k", "LWB"),
    ("bake", "backen", "acc", "p", "b", "LWB"),
    ("order", "bestellen", "acc", "p", "fd", "LB"),
    ("wash", "waschen", "acc", "p", "acv", "LW"),
    ("clean", "putzen", "acc", "p", "rov", "W"),
    ("read", "lesen", "acc", "p", "x", "LW"),
    ("write", "schreiben", "acc", "p", "xs", "LWB"),
    ("sing", "singen", "acc", "p", "s", "LWB"),
    ("repair", "reparieren", "acc", "p", "tve", "LWB"),
    ("drive", "fahren", "acc", "p", "v", "W"),
    ("feed", "füttern", "acc", "p", "a", "LW"),
    ("hear", "hören", "acc", "pa", "pa", "L"),
    ("visit", "besuchen", "acc", "p", "pl", "W"),
    ("meet", "treffen", "acc", "p", "p", "L"),
    ("forget", "vergessen", "acc", "p", "tcx", ""),
    ("get", "bekommen", "acc", "p", "tfdcx", "F"),
    ("like", "mögen", "acc", "p", "pafdtcvl", "S"),
    ("love", "lieben", "acc", "p", "pafd", "S"),
    ("hate", "hassen", "acc", "p", "pafd", "S"),
    ("need", "brauchen", "acc", "p", "fdtcv", "S"),
    ("have", "haben", "acc", "p", "atcv", "S"),
    ("know", "kennen", "acc", "p", "pl", "S"),
    ("call", "an|rufen", "acc", "p", "p", ""),
    ("invite", "ein|laden", "acc", "p", "p", ""),
    ("pick up", "ab|holen", "acc", "p", "p", "P"),
    ("bring along", "mit|bringen", "acc", "p", "fdta", ""),
    ("open", "auf|machen", "acc", "p", "o", "L"),
    ("close", "zu|machen", "acc", "p", "o", "L"),
    ("tidy", "auf|räumen", "acc", "p", "r", "W"),
    ("look at", "an|schauen", "acc", "pa", "patclvx", "L"),
    ("turn on", "an|machen", "acc", "p", "e", ""),
    ("turn off", "aus|machen", "acc", "p", "e", ""),
    ("put on", "an|ziehen", "acc", "p", "c", ""),
    ("throw away", "weg|werfen", "acc", "p", "tfc", ""),
    ("help", "helfen", "dat", "p", "p", "L"),
    ("thank", "danken", "dat", "p", "p", ""),
    ("answer", "antworten", "dat", "p", "p", ""),
    ("follow", "folgen", "dat", "pa", "pa", ""),
    ("belong to", "gehören", "dat", "tcva", "p", "S"),
    ("listen to", "zu|hören", "dat", "p", "p", ""),
    ("wave to", "zu|winken", "dat", "p", "p", ""),
    ("give", "geben", "dat+acc", "p", "fdtc", ""),
    ("buy", "kaufen", "dat+acc", "p", "fdtc", ""),
    ("bring", "bringen", "dat+acc", "p", "fdt", ""),
    ("show", "zeigen", "dat+acc", "p", "tcalx", ""),
    ("send", "schicken", "dat+acc", "p", "xt", ""),
    ("sell", "verkaufen", "dat+acc", "p", "tfc", ""),
    ("lend", "leihen", "dat+acc", "p", "t", ""),
    ("tell", "erzählen", "dat+acc", "p", "y", ""),
    ("read", "vor|lesen", "dat+acc", "p", "x", ""),
    ("sleep", "schlafen", "-", "pa", "", "L"),
    ("play", "spielen", "-", "pa", "", "LW"),
    ("work", "arbeiten", "-", "p", "", "LW"),
    ("laugh", "lachen", "-", "p", "", "W"),
    ("cry", "weinen", "-", "p", "", "L"),
    ("sing", "singen", "-", "p", "", "LW"),
    ("dance", "tanzen", "-", "p", "", "LW"),
    ("wait", "warten", "-", "pa", "", "LW"),
    ("swim", "schwimmen", "-", "pa", "", "LW"),
    ("cook", "kochen", "-", "p", "", "LW"),
    ("eat", "essen", "-", "pa", "", "LW"),
    ("read", "lesen", "-", "p", "", "L"),
    ("study", "lernen", "-", "p", "", "LW"),
    ("talk", "reden", "-", "p", "", "LW"),
    ("sit", "sitzen", "-", "pa", "", "L"),
    ("jump", "springen", "-", "pa", "", "L"),
    ("travel", "reisen", "-", "p", "", "W"),
    ("live", "wohnen", "-", "p", "", "L!"),
    ("go shopping", "ein|kaufen", "-", "p", "", "LW"),
    ("get up", "auf|stehen", "-", "p", "", ""),
    ("fall asleep", "ein|schlafen", "-", "pa", "", "L"),
    ("wake up", "auf|wachen", "-", "pa", "", "L"),
    ("watch television", "fern|sehen", "-", "p", "", "LW"),
    ("arrive", "an|kommen", "-", "p", "", "L"),
    ("come back", "zurück|kommen", "-", "pa", "", "P"),
    ("go out", "aus|gehen", "-", "p", "", "W"),
    ("tidy up", "auf|räumen", "-", "p", "", "L"),
    ("join in", "mit|machen", "-", "p", "", ""),
    ("go", "gehen", "to", "pa", "", "W"),
    ("come", "kommen", "to", "pa", "", "W"),
    ("run", "rennen", "to", "pa", "", "W"),
    ("walk", "laufen", "to", "pa", "", "W"),
    ("drive", "fahren", "to", "p", "", "W"),
    ("say", "sagen", "that", "p", "", ""),
    ("know", "wissen", "that", "p", "", ""),
    ("think", "denken", "that", "p", "", ""),
    ("believe", "glauben", "that", "p", "", ""),
    ("hope", "hoffen", "that", "p", "", ""),
)

# Present tense forms that break the rule, for ich, du and er/sie/es.
# (wir and sie always use the infinitive.)
_IRREGULAR: dict[str, tuple[str, str, str]] = {
    "essen": ("esse", "isst", "isst"),
    "sehen": ("sehe", "siehst", "sieht"),
    "lesen": ("lese", "liest", "liest"),
    "geben": ("gebe", "gibst", "gibt"),
    "nehmen": ("nehme", "nimmst", "nimmt"),
    "helfen": ("helfe", "hilfst", "hilft"),
    "treffen": ("treffe", "triffst", "trifft"),
    "werfen": ("werfe", "wirfst", "wirft"),
    "vergessen": ("vergesse", "vergisst", "vergisst"),
    "fahren": ("fahre", "fährst", "fährt"),
    "tragen": ("trage", "trägst", "trägt"),
    "schlafen": ("schlafe", "schläfst", "schläft"),
    "waschen": ("wasche", "wäschst", "wäscht"),
    "fangen": ("fange", "fängst", "fängt"),
    "laufen": ("laufe", "läufst", "läuft"),
    "laden": ("lade", "lädst", "lädt"),
    "halten": ("halte", "hältst", "hält"),
    "haben": ("habe", "hast", "hat"),
    "wissen": ("weiß", "weißt", "weiß"),
    "mögen": ("mag", "magst", "mag"),
    "wollen": ("will", "willst", "will"),
    "können": ("kann", "kannst", "kann"),
    "müssen": ("muss", "musst", "muss"),
}

# Modal verbs send the main verb to the end as an infinitive.
MODALS: dict[str, str] = {"want": "wollen", "can": "können", "must": "müssen"}

# Personal pronouns: person, English subject, German subject,
# English object, German accusative, German dative.
PRONOUNS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("1sg", "I", "ich", "me", "mich", "mir"),
    ("2sg", "you", "du", "you", "dich", "dir"),
    ("3sg", "he", "er", "him", "ihn", "ihm"),
    ("3sg", "she", "sie", "her", "sie", "ihr"),
    ("1pl", "we", "wir", "us", "uns", "uns"),
    ("3pl", "they", "sie", "them", "sie", "ihnen"),
)

# Adverbials: English, German, kind. Time ("t") goes to the end of an English
# clause, frequency ("f") before the English verb; "F" may also start a sentence.
# All of them can start a German sentence, and the verb still comes second.
ADVERBS: tuple[tuple[str, str, str], ...] = (
    ("today", "heute", "t"),
    ("tomorrow", "morgen", "t"),
    ("now", "jetzt", "t"),
    ("soon", "bald", "t"),
    ("later", "später", "t"),
    ("every day", "jeden Tag", "t"),
    ("in the morning", "morgens", "t"),
    ("in the evening", "abends", "t"),
    ("at night", "nachts", "t"),
    ("on Saturday", "am Samstag", "t"),
    ("on Sunday", "am Sonntag", "t"),
    ("in summer", "im Sommer", "t"),
    ("in winter", "im Winter", "t"),
    ("often", "oft", "F"),
    ("sometimes", "manchmal", "F"),
    ("usually", "meistens", "F"),
    ("always", "immer", "f"),
    ("rarely", "selten", "f"),
)

# Conjunctions that send the German verb to the end. ("dass" goes with "that" verbs.)
SUBORDINATORS: tuple[tuple[str, str], ...] = (
    ("because", "weil"),
    ("when", "wenn"),
    ("if", "wenn"),
    ("although", "obwohl"),
)


class Verb(NamedTuple):
    """One verb of the table at the top (`_VERBS`)."""

    en: str
    de: str
    frame: str
    subject_kinds: str
    object_kinds: str
    extras: str


VERB_LIST = [Verb(*row) for row in _VERBS]


def conjugate(verb: str, person: str) -> str:
    """Present tense of a German verb without its separable prefix.

    conjugate("kaufen", "3sg") == "kauft", conjugate("an|rufen", "2sg") == "rufst".
    """
    verb = verb.rpartition("|")[2]
    if person in ("1pl", "3pl"):
        return verb
    if verb in _IRREGULAR:
        return _IRREGULAR[verb][("1sg", "2sg", "3sg").index(person)]
    stem = verb[:-2] if verb.endswith("en") else verb[:-1]  # füttern -> fütter
    if person == "1sg":
        return stem + "e"
    # An extra e after -d, -t and a consonant + m/n: "arbeitet", "redest", "öffnet".
    extra_e = stem.endswith(("d", "t")) or (
        stem[-1] in "mn" and stem[-2] not in "aeiouäöülrhmn"
    )
    if person == "2sg":
        if stem.endswith(("s", "ß", "z", "x")):  # du tanzt, du reist
            return stem + "t"
        return stem + ("est" if extra_e else "st")
    return stem + ("et" if extra_e else "t")


def en_3sg(verb: str) -> str:
    """English he/she form of a base form: "look for" -> "looks for"."""
    head, _, rest = verb.partition(" ")
    if head == "have":
        head = "has"
    elif head.endswith(("s", "sh", "ch", "x", "z", "o")):
        head += "es"
    elif head.endswith("y") and head[-2] not in "aeiou":
        head = head[:-1] + "ies"
    else:
        head += "s"
    return f"{head} {rest}" if rest else head
