"""Checks on the course phrasebook: the data file and the small loader around it."""

import re
from collections import Counter

import pytest

from utils.data import phrasebook
from utils.data.phrasebook import DECK_EXAMPLE, Phrase, load_phrasebook, topics

EXPECTED_TOPICS = {
    "greetings",
    "small_talk",
    "food_and_drink",
    "cafe_and_restaurant",
    "shopping",
    "travel",
    "directions",
    "transport",
    "hotel",
    "time_and_dates",
    "weather",
    "numbers_and_money",
    "work",
    "home",
    "family",
    "health",
    "emergencies",
    "feelings",
    "hobbies",
    "language_learning",
}

PUNCTUATION = " .,?!'\\-:;%€\"„“"
ENGLISH_CHARS = re.compile(f"[A-Za-z0-9{PUNCTUATION}]+")
GERMAN_CHARS = re.compile(f"[A-Za-zäöüÄÖÜß0-9{PUNCTUATION}]+")

PHRASES = load_phrasebook()


def test_size_and_required_fields():
    assert len(PHRASES) >= 300
    for phrase in PHRASES:
        assert isinstance(phrase, Phrase)
        assert phrase.en and phrase.de and phrase.topic, phrase
        for field in (phrase.en, phrase.de, phrase.topic, phrase.note):
            assert field == field.strip()
            assert "\t" not in field and "\n" not in field


def test_no_duplicates():
    for side in ("en", "de"):
        counts = Counter(getattr(phrase, side) for phrase in PHRASES)
        assert [text for text, n in counts.items() if n > 1] == []


def test_topics_are_known_and_balanced():
    assert set(topics()) == EXPECTED_TOPICS
    counts = Counter(phrase.topic for phrase in PHRASES)
    assert set(counts) == EXPECTED_TOPICS
    assert min(counts.values()) >= 10, counts


def test_load_one_topic():
    weather = load_phrasebook("weather")
    assert weather and {phrase.topic for phrase in weather} == {"weather"}
    assert weather == [phrase for phrase in PHRASES if phrase.topic == "weather"]
    assert sum(len(load_phrasebook(topic)) for topic in topics()) == len(PHRASES)


def test_returned_list_is_a_copy():
    first = load_phrasebook()
    first.clear()
    assert load_phrasebook() == PHRASES


def test_unknown_topic_names_the_valid_ones():
    with pytest.raises(ValueError) as excinfo:
        load_phrasebook("nonexistent")
    message = str(excinfo.value)
    assert "nonexistent" in message
    for topic in EXPECTED_TOPICS:
        assert topic in message


def test_deck_line_kept_exactly():
    deck = [p for p in PHRASES if p.en == "What's the German for cake?"]
    assert len(deck) == 1
    (line,) = deck
    assert line.de == "Was heißt auf Deutsch Kuchen?"
    assert line.topic == "language_learning"
    assert "deck" in line.note
    assert "Was heißt ‚cake' auf Deutsch?" in line.note
    assert DECK_EXAMPLE == line


def test_natural_versions_of_the_deck_line():
    german = {phrase.de for phrase in load_phrasebook("language_learning")}
    assert 'Was heißt "cake" auf Deutsch?' in german
    assert 'Wie sagt man "cake" auf Deutsch?' in german


def test_sentences_end_with_matching_punctuation():
    # Rule: every line is a sentence, even "Hello!", so both sides end in
    # . ? or ! and the two sides end with the same mark.
    for phrase in PHRASES:
        assert phrase.en[-1] in ".?!", phrase
        assert phrase.de[-1] == phrase.en[-1], phrase


def test_character_sets():
    for phrase in PHRASES:
        assert ENGLISH_CHARS.fullmatch(phrase.en), phrase.en
        assert GERMAN_CHARS.fullmatch(phrase.de), phrase.de
        assert "  " not in phrase.en and "  " not in phrase.de


def test_german_uses_its_own_letters():
    text = "".join(phrase.de for phrase in PHRASES)
    for letter in "äöüß":
        assert letter in text


def test_lengths_are_everyday_sentences():
    lengths = [len(phrase.en.split()) for phrase in PHRASES]
    assert max(lengths) <= 18
    assert sum(2 <= n <= 12 for n in lengths) / len(lengths) > 0.8


def test_enough_teaching_notes():
    assert sum(bool(phrase.note) for phrase in PHRASES) >= 25
    idioms = [p for p in PHRASES if "idiom" in p.note]
    assert len(idioms) >= 25


def test_known_translations():
    by_en = {phrase.en: phrase for phrase in PHRASES}
    assert by_en["I miss you."].de == "Du fehlst mir."
    assert by_en["It's raining cats and dogs."].de == "Es regnet in Strömen."
    assert by_en["I'm hungry."].de == "Ich habe Hunger."
    assert by_en["How old are you?"].de == "Wie alt bist du?"
    assert "idiom" in by_en["I miss you."].note


def test_loading_is_cached():
    assert phrasebook._all_phrases() is phrasebook._all_phrases()
