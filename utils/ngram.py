"""Translation before neural networks: a dictionary, then a phrase table
(part 1, lesson 1, "How would you approach translation?").

Why: the lesson builds two translators and shows where both break, so that
every later model has a baseline to beat (and a reason to exist).

1. Word by word: look every English word up in a dictionary and take its first
   German translation (`word_by_word`).
2. Phrase-based, learned from parallel sentences (Koehn, Och & Marcu 2003):
   * word links from IBM Model 1, both ways, symmetrised
     (`utils.word_alignment`);
   * every phrase pair of at most 3 words that agrees with those links is
     counted (`extract_phrases`), giving p(German phrase | English phrase);
   * a monotone decoder cuts the English sentence into phrases, left to right,
     and picks the segmentation with the highest product of phrase
     probabilities (`PhraseBasedTranslator`). No language model, no reordering.

Case: sentences keep their case, except the first word, which is lower-cased
when the corpus also writes it in lower case inside a sentence ("Der" -> "der",
but "Männer" stays). The output's first letter is capitalised again. German
nouns keep their capital letter all the way through.

The pictures and the widget are in `utils.ngram_view`, the exercise checks in
`utils.checks.part1_lesson01`.

    translator = baseline()          # trained on make_splits().train, ~10 s
    translator.translate("The man buys the cake.")
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from utils.data.grammar import Pair, lexicon, make_splits, tokenize
from utils.text import detokenize
from utils.word_alignment import Alignment, TranslationTable, alignments, train_ibm1

UNKNOWN_LOGP = math.log(1e-4)  # score of passing an unknown word through

# --------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------


def capitalise(text: str) -> str:
    """Upper-case the first letter only: "der Mann" -> "Der Mann"."""
    return text[:1].upper() + text[1:]


def is_word(token: str) -> bool:
    """Does the token start with a letter or digit ("Mann", "42"), not a symbol?"""
    return token[:1].isalnum()


PUNCTUATION = frozenset(".,;:!?'\"()-")


def is_punctuation(token: str) -> bool:
    """Is the token one of the punctuation marks the translators pass through?"""
    return token in PUNCTUATION


# --------------------------------------------------------------------------
# Word by word
# --------------------------------------------------------------------------


def word_by_word(sentence: str, dictionary: dict[str, list[str]] | None = None) -> str:
    """Translate each word on its own: the first dictionary entry of its
    lower-cased form. Punctuation and unknown words pass through unchanged.

    The default dictionary is the course's lexicon (`grammar.lexicon()`).
    """
    dictionary = lexicon() if dictionary is None else dictionary
    out = []
    for token in tokenize(sentence):
        entries = dictionary.get(token.lower()) if is_word(token) else None
        out.append(entries[0] if entries else token)
    return capitalise(detokenize(out))


def unknown_words(
    sentence: str, dictionary: dict[str, list[str]] | None = None
) -> list[str]:
    """The tokens of `sentence` the dictionary does not have, punctuation
    aside: unknown words, numbers, emoji, other scripts."""
    dictionary = lexicon() if dictionary is None else dictionary
    return [
        t
        for t in tokenize(sentence)
        if not is_punctuation(t) and t.lower() not in dictionary
    ]


# --------------------------------------------------------------------------
# Phrase extraction
# --------------------------------------------------------------------------

Phrase = tuple[str, ...]


def extract_phrases(
    en: Sequence[str], de: Sequence[str], alignment: Alignment, max_len: int = 3
) -> list[tuple[Phrase, Phrase]]:
    """Every phrase pair consistent with the alignment, at most `max_len` words
    on each side (Koehn, Och & Marcu 2003).

    Consistent: no word inside the pair is linked to a word outside it, and at
    least one link is inside. Unaligned German words at the edges may be
    added or left out, giving extra pairs.
    """
    de_links: list[list[int]] = [
        [] for _ in de
    ]  # English positions of each German word
    en_links: list[list[int]] = [[] for _ in en]
    for i, j in alignment:
        en_links[i].append(j)
        de_links[j].append(i)
    pairs = []
    for e_start in range(len(en)):
        f_start, f_end = len(de), -1
        for e_end in range(e_start, min(e_start + max_len, len(en))):
            for j in en_links[e_end]:
                f_start, f_end = min(f_start, j), max(f_end, j)
            if f_end < 0 or f_end - f_start + 1 > max_len:
                continue
            # No German word in [f_start, f_end] may link outside [e_start, e_end].
            if any(
                not e_start <= i <= e_end
                for j in range(f_start, f_end + 1)
                for i in de_links[j]
            ):
                continue
            en_phrase = tuple(en[e_start : e_end + 1])
            # Stretch over unaligned German words at either edge.
            fs = f_start
            while fs >= 0 and (fs == f_start or not de_links[fs]):
                fe = f_end
                while fe < len(de) and (fe == f_end or not de_links[fe]):
                    if fe - fs + 1 > max_len:
                        break
                    pairs.append((en_phrase, tuple(de[fs : fe + 1])))
                    fe += 1
                fs -= 1
    return pairs


@dataclass
class PhraseTable:
    """Counts of (English phrase -> German phrase), and p(de | en) from them."""

    phrases: dict[Phrase, Counter[Phrase]] = field(default_factory=dict)

    def add(self, en: Phrase, de: Phrase, count: int = 1) -> None:
        self.phrases.setdefault(tuple(en), Counter())[tuple(de)] += count

    def __len__(self) -> int:
        """Number of distinct phrase pairs."""
        return sum(len(c) for c in self.phrases.values())

    def __contains__(self, en: Phrase) -> bool:
        return tuple(en) in self.phrases

    def prob(self, de: Phrase, en: Phrase) -> float:
        """p(de | en) = count(en, de) / count(en), by relative frequency."""
        counts = self.phrases.get(tuple(en))
        return counts[tuple(de)] / counts.total() if counts else 0.0

    def top(self, en: Phrase, k: int = 5) -> list[tuple[Phrase, int, float]]:
        """The k most frequent translations of `en`: (German, count, p)."""
        counts = self.phrases.get(tuple(en), Counter())
        total = counts.total()
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(de, n, n / total) for de, n in ranked]

    def best(self, en: Phrase) -> tuple[Phrase, float] | None:
        """The most frequent translation of `en` and its p (ties: alphabetical)."""
        counts = self.phrases.get(tuple(en))
        if not counts:
            return None
        de, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return de, n / counts.total()


# --------------------------------------------------------------------------
# Monotone decoding
# --------------------------------------------------------------------------


def lowercase_vocabulary(sentences: Iterable[Sequence[str]]) -> frozenset[str]:
    """Words the corpus writes in lower case somewhere after the first token."""
    return frozenset(w for s in sentences for w in s[1:] if w.islower())


def truecase_first(tokens: list[str], lowercase: frozenset[str]) -> list[str]:
    """Lower-case the first token if the corpus uses it in lower case elsewhere:
    ["Der", "Mann"] -> ["der", "Mann"], but ["Männer", ...] stays."""
    if tokens and tokens[0].lower() in lowercase:
        return [tokens[0].lower(), *tokens[1:]]
    return tokens


@dataclass
class PhraseBasedTranslator:
    """A phrase table and a monotone decoder (no reordering, no language model).

    The decoder tries every way of cutting the English tokens into known
    phrases of at most `max_len` words, left to right, and keeps the one whose
    product of p(de | en) is highest (a small Viterbi search). Each phrase is
    replaced by its most frequent German phrase. A word with no entry passes
    through unchanged, at a low score.
    """

    table: PhraseTable
    en_lowercase: frozenset[str] = frozenset()
    max_len: int = 3
    en_de: TranslationTable | None = None  # the word models, kept for pictures
    de_en: TranslationTable | None = None
    de_lowercase: frozenset[str] = frozenset()
    _best: dict[Phrase, tuple[Phrase, float]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._best = {}
        for en in self.table.phrases:
            de, p = self.table.best(en)  # type: ignore[misc]
            self._best[en] = (de, math.log(p))

    def tokens(self, sentence: str) -> list[str]:
        """The English tokens the decoder sees (first word true-cased)."""
        return truecase_first(tokenize(sentence), self.en_lowercase)

    def known(self, word: str) -> bool:
        """Does the phrase table translate this word on its own?"""
        return (word,) in self._best or (word.lower(),) in self._best

    def segment(self, en: Sequence[str]) -> list[tuple[Phrase, Phrase]]:
        """The best monotone segmentation: [(English phrase, German phrase), ...]."""
        n = len(en)
        score = [0.0] + [-math.inf] * n  # score[k]: best log-prob of the first k tokens
        back: list[tuple[int, Phrase]] = [(0, ())] * (n + 1)
        for end in range(1, n + 1):
            for length in range(1, min(self.max_len, end) + 1):
                start = end - length
                entry = self._best.get(tuple(en[start:end]))
                if entry is None and length == 1:
                    entry = ((en[start],), UNKNOWN_LOGP)  # pass it through
                if entry is None:
                    continue
                s = score[start] + entry[1]
                if s > score[end]:  # ties keep the shorter (earlier) phrase
                    score[end], back[end] = s, (start, entry[0])
        segments = []
        end = n
        while end > 0:
            start, de = back[end]
            segments.append((tuple(en[start:end]), de))
            end = start
        return segments[::-1]

    def translate_with_segments(
        self, sentence: str
    ) -> tuple[str, list[tuple[str, str]]]:
        """The translation and the phrases used, as (English, German) strings."""
        segments = self.segment(self.tokens(sentence))
        german = [w for _, de in segments for w in de]
        used = [(" ".join(en), " ".join(de)) for en, de in segments]
        return capitalise(detokenize(german)), used

    def translate(self, sentence: str) -> str:
        return self.translate_with_segments(sentence)[0]

    def align(
        self, en_sentence: str, de_sentence: str
    ) -> tuple[list[str], list[str], Alignment, Alignment]:
        """(English tokens, German tokens, EN->DE links, DE->EN links) of one
        sentence pair, from the two word models (for pictures)."""
        if self.en_de is None or self.de_en is None:
            raise ValueError("this translator was built without its word models")
        en = self.tokens(en_sentence)
        de = truecase_first(tokenize(de_sentence), self.de_lowercase)
        en_to_de, de_to_en, _ = alignments(en, de, self.en_de, self.de_en)
        return en, de, en_to_de, de_to_en


def _as_text_pairs(
    pairs: Sequence[Pair] | Sequence[tuple[str, str]],
) -> list[tuple[str, str]]:
    return [(p.en, p.de) if isinstance(p, Pair) else (p[0], p[1]) for p in pairs]


def train_phrase_based(
    pairs: Sequence[Pair] | Sequence[tuple[str, str]], n_iter: int = 5, max_len: int = 3
) -> PhraseBasedTranslator:
    """The whole pipeline: tokens, IBM Model 1 both ways, symmetrised links,
    phrase pairs of at most `max_len` words, and the decoder."""
    text = _as_text_pairs(pairs)
    en_raw = [tokenize(en) for en, _ in text]
    de_raw = [tokenize(de) for _, de in text]
    en_lower, de_lower = lowercase_vocabulary(en_raw), lowercase_vocabulary(de_raw)
    en_tokens = [truecase_first(t, en_lower) for t in en_raw]
    de_tokens = [truecase_first(t, de_lower) for t in de_raw]
    en_de = train_ibm1(list(zip(en_tokens, de_tokens)), n_iter)  # t(de | en)
    de_en = train_ibm1(list(zip(de_tokens, en_tokens)), n_iter)  # t(en | de)
    counts: Counter[tuple[Phrase, Phrase]] = Counter()
    for en, de in zip(en_tokens, de_tokens):
        _, _, links = alignments(en, de, en_de, de_en)
        counts.update(extract_phrases(en, de, links, max_len))
    table = PhraseTable()
    for (en_phrase, de_phrase), n in sorted(counts.items()):
        table.add(en_phrase, de_phrase, n)
    return PhraseBasedTranslator(table, en_lower, max_len, en_de, de_en, de_lower)


def compare(
    en: str,
    reference: str | None = None,
    translator: PhraseBasedTranslator | None = None,
) -> str:
    """Four lines to print: the English, the reference, and both translations."""
    translator = translator or baseline()
    lines = [f"English       {en}"]
    if reference is not None:
        lines.append(f"reference     {reference}")
    lines.append(f"word by word  {word_by_word(en)}")
    lines.append(f"phrase table  {translator.translate(en)}")
    return "\n".join(lines)


@functools.cache
def baseline(seed: int = 0) -> PhraseBasedTranslator:
    """The course's phrase-based baseline: 5 EM iterations each way, phrases of
    at most 3 words, trained on `make_splits(seed).train`. Deterministic;
    about 10 s on a 2-core CPU; cached within a kernel."""
    return train_phrase_based(make_splits(seed).train, n_iter=5, max_len=3)
