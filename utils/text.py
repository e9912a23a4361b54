"""Text <-> ids: the vocabulary, its special tokens, padding, and joining
tokens back into text (lessons 1, 3 and 6, and every model of parts 2 and 3
that reads words).

    vocab = build_vocab(["The man buys the cake."], lowercase=True)
    vocab.encode("The man buys the cake.")   # [ids..., EOS_ID]
    detokenize(["Der", "Mann", "kauft", "."])  # "Der Mann kauft."
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import torch

from utils.data.grammar import tokenize

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
SPECIALS = (PAD, BOS, EOS, UNK)
PAD_ID, BOS_ID, EOS_ID, UNK_ID = range(len(SPECIALS))

_NO_SPACE_BEFORE = re.compile(r" ([.,!?;:)])")
_NO_SPACE_AFTER = re.compile(r"([(]) ")


class Vocab:
    """Words <-> integer ids. Ids 0-3 are the special tokens:
    <pad> fills short sentences up to the batch's length, <bos> starts the
    decoder, <eos> ends a sentence, <unk> stands for any word not seen in training.
    """

    def __init__(self, words: Iterable[str], lowercase: bool = False) -> None:
        self.lowercase = lowercase
        self.itos: list[str] = list(SPECIALS)
        self.itos += [w for w in words if w not in SPECIALS]
        self.stoi: dict[str, int] = {w: i for i, w in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    @property
    def n_words(self) -> int:
        """The words it knows, the special tokens not counted."""
        return len(self.itos) - len(SPECIALS)

    def tokens(self, text: str) -> list[str]:
        """The words of `text` as this vocabulary sees them (lowercased if set)."""
        words = tokenize(text)
        return [w.lower() for w in words] if self.lowercase else words

    def encode(self, text: str, bos: bool = False, eos: bool = True) -> list[int]:
        """Ids of the words of `text`, unknown words as <unk>."""
        ids = [self.stoi.get(w, UNK_ID) for w in self.tokens(text)]
        return [BOS_ID] * bos + ids + [EOS_ID] * eos

    def decode(self, ids: Iterable[int]) -> str:
        """Text of `ids`, up to the first <eos>; <pad> and <bos> are dropped."""
        words = []
        for i in ids:
            i = int(i)
            if i == EOS_ID:
                break
            if i not in (PAD_ID, BOS_ID):
                words.append(self.itos[i])
        return detokenize(words)

    def fingerprint(self) -> str:
        """The words in id order, as one string: the model cache's key covers it."""
        return "\n".join(self.itos)


def build_vocab(texts: Iterable[str], lowercase: bool = False) -> Vocab:
    """A vocabulary of every word in `texts`, most frequent first (ties
    alphabetically, so the ids are the same on every run)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() if lowercase else w for w in tokenize(text))
    return Vocab(sorted(counts, key=lambda w: (-counts[w], w)), lowercase)


def pad(rows: Sequence[Sequence[int]]) -> torch.Tensor:
    """Stack lists of ids into one tensor, padding with <pad> (0) on the right."""
    out = torch.full((len(rows), max(len(r) for r in rows)), PAD_ID, dtype=torch.long)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out  # (batch, longest)


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens into text: no space before punctuation, none around "'".

    detokenize(["Der", "Mann", ",", "weil"]) == "Der Mann, weil"
    """
    text = " ".join(tokens)
    text = _NO_SPACE_BEFORE.sub(r"\1", text)
    text = _NO_SPACE_AFTER.sub(r"\1", text)
    text = text.replace(" ' ", "'")
    # Straight double quotes: the first of a pair opens, the second closes.
    parts = text.split('"')
    if len(parts) > 1:
        out = parts[0]
        for i, part in enumerate(parts[1:]):
            if i % 2 == 0:  # an opening quote sticks to the next word
                out = out + '"' + part.lstrip()
            else:  # a closing quote sticks to the previous word
                out = out.rstrip() + '"' + part
        text = out
    return text
