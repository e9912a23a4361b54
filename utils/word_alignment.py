"""Word alignment: which German word translates which English word, learned
from sentence pairs alone (part 1, lesson 1, "IBM Model 1: who translates whom?").

Why: a phrase table needs to know which words of a sentence pair go together,
and no one wrote that down. IBM Model 1 (Brown et al. 1993) learns
t(German word | English word) by expectation-maximisation (EM) with no
dictionary at all (`train_ibm1`); its most likely ("Viterbi") links are
computed in both directions and combined: their intersection, then grown
towards their union (Och & Ney 2003; grow-diag-final as in Koehn et al. 2003,
`grow_diag_final`). `utils.ngram` cuts phrases from the result.

    en_de = train_ibm1(pairs)                  # t(de | en), from (en, de) tokens
    a, b, links = alignments(en, de, en_de, de_en)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

NULL = "<NULL>"  # the empty word: a target word may come from nowhere
Alignment = set[tuple[int, int]]  # {(English position, German position)}


# --------------------------------------------------------------------------
# IBM Model 1
# --------------------------------------------------------------------------


@dataclass
class TranslationTable:
    """t(target word | source word), learned by IBM Model 1.

    Row 0 of `prob` is the NULL word; each row sums to 1.
    """

    source_words: list[str]  # source_words[0] == NULL
    target_words: list[str]
    prob: np.ndarray  # (len(source_words), len(target_words)), NULL included
    source_index: dict[str, int] = field(init=False, repr=False)
    target_index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.source_index = {w: i for i, w in enumerate(self.source_words)}
        self.target_index = {w: i for i, w in enumerate(self.target_words)}

    def t(self, target: str, source: str) -> float:
        """t(target | source); 0 for words never seen in training."""
        i, j = self.source_index.get(source), self.target_index.get(target)
        return 0.0 if i is None or j is None else float(self.prob[i, j])

    def best(self, source: str, k: int = 5) -> list[tuple[str, float]]:
        """The k most likely translations of one source word, with t."""
        i = self.source_index.get(source)
        if i is None:
            return []
        order = np.argsort(-self.prob[i], kind="stable")[:k]
        return [(self.target_words[j], float(self.prob[i, j])) for j in order]

    def viterbi(self, source: Sequence[str], target: Sequence[str]) -> list[int]:
        """For each target word, the position of its most likely source word
        (-1 for NULL). Under Model 1 each target word chooses on its own.

        Model 1 ignores word positions, so a word that occurs twice ("the ...
        the") scores the same at both places. We break such exact ties by
        taking the place nearest the diagonal, and NULL last. A target word
        never seen in training links to NULL.
        """
        m, n = len(source), len(target)
        rows = np.array([0] + [self.source_index.get(w, -1) for w in source])
        cols = np.array([self.target_index.get(w, -1) for w in target])
        scores = self.prob[rows[:, None], cols[None, :]]  # (m + 1, n)
        scores[(rows < 0)[:, None] | (cols < 0)[None, :]] = 0.0  # unseen words
        # Distance of (source i, target j) from the diagonal, in [0, 1]; NULL: 2.
        i = np.arange(m)[:, None] / max(m - 1, 1)
        j = np.arange(n)[None, :] / max(n - 1, 1)
        distance = np.vstack([np.full((1, n), 2.0), np.abs(i - j)])  # (m + 1, n)
        best = scores == scores.max(axis=0, keepdims=True)
        choice = np.where(best, distance, np.inf).argmin(axis=0)
        choice[scores.max(axis=0) == 0] = 0  # a word never seen links to NULL
        return [int(a) - 1 for a in choice]  # row 0 (NULL) -> -1


def train_ibm1(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]], n_iter: int = 5
) -> TranslationTable:
    """IBM Model 1 by EM: learn t(target | source) from (source, target) token pairs.

    Every target word is assumed to come from one source word of its sentence,
    or from NULL, all positions equally likely. Start from uniform t; then
    E-step: share each target word among its sentence's source words in
    proportion to t; M-step: t = shared counts, normalised per source word.

    Vectorised: one entry per (target token, candidate source token) link in
    the whole corpus, so each EM step is a handful of numpy calls.
    """
    source_words, target_words = [NULL], []
    source_index: dict[str, int] = {NULL: 0}
    target_index: dict[str, int] = {}
    link_source, link_target, link_token = [], [], []
    n_tokens = 0  # target tokens so far
    for source, target in pairs:
        src = np.array(
            [0] + [source_index.setdefault(w, len(source_index)) for w in source]
        )
        tgt = np.array([target_index.setdefault(w, len(target_index)) for w in target])
        m, n = len(src), len(tgt)
        link_source.append(np.tile(src, n))  # (n * m,) every source, per target
        link_target.append(np.repeat(tgt, m))
        link_token.append(np.repeat(np.arange(n_tokens, n_tokens + n), m))
        n_tokens += n
    source_words += list(source_index)[1:]
    target_words += list(target_index)
    n_src, n_tgt = len(source_words), len(target_words)
    s = np.concatenate(link_source) if link_source else np.zeros(0, int)
    t = np.concatenate(link_target) if link_target else np.zeros(0, int)
    tok = np.concatenate(link_token) if link_token else np.zeros(0, int)
    cell = s * n_tgt + t  # flat index into the (n_src, n_tgt) table

    prob = np.full((n_src, n_tgt), 1.0 / max(n_tgt, 1))
    for _ in range(n_iter):
        p = prob.ravel()[cell]  # (n_links,) t(target | source) of each link
        z = np.bincount(tok, weights=p, minlength=n_tokens)  # (n_tokens,)
        posterior = p / z[tok]  # share of each target token given to each source
        counts = np.bincount(cell, weights=posterior, minlength=n_src * n_tgt)
        counts = counts.reshape(n_src, n_tgt)
        totals = counts.sum(axis=1, keepdims=True)
        prob = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    return TranslationTable(source_words, target_words, prob)


# --------------------------------------------------------------------------
# Symmetrisation: two directions into one alignment
# --------------------------------------------------------------------------

# Horizontal and vertical neighbours first, then the diagonals ("grow-diag").
NEIGHBOURS = ((-1, 0), (0, -1), (1, 0), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


def grow_diag(en_to_de: Alignment, de_to_en: Alignment) -> Alignment:
    """Och & Ney's symmetrisation, steps 1 and 2 (Moses' grow-diag, except
    that each pass visits a sorted snapshot of the kept links).

    1. Start from the intersection: the links both directions agree on.
    2. Grow: a link of the union that touches a kept link (also diagonally)
       is added if its English or its German word is still unaligned.
       Repeat until nothing changes.
    Points are visited in sorted order, so the result is deterministic.
    """
    alignment = en_to_de & de_to_en
    union = en_to_de | de_to_en
    en_done = {i for i, _ in alignment}
    de_done = {j for _, j in alignment}
    grew = True
    while grew:
        grew = False
        for i, j in sorted(alignment):
            for di, dj in NEIGHBOURS:
                point = (i + di, j + dj)
                candidate = point in union and point not in alignment
                if candidate and (point[0] not in en_done or point[1] not in de_done):
                    alignment.add(point)
                    en_done.add(point[0])
                    de_done.add(point[1])
                    grew = True
    return alignment


def grow_diag_final(en_to_de: Alignment, de_to_en: Alignment) -> Alignment:
    """grow-diag, then step 3, final: a link of either direction whose English
    or German word is still unaligned is added, wherever it is."""
    alignment = grow_diag(en_to_de, de_to_en)
    en_done = {i for i, _ in alignment}
    de_done = {j for _, j in alignment}
    for direction in (en_to_de, de_to_en):
        for i, j in sorted(direction):
            if i not in en_done or j not in de_done:
                alignment.add((i, j))
                en_done.add(i)
                de_done.add(j)
    return alignment


def alignments(
    en: Sequence[str],
    de: Sequence[str],
    en_de: TranslationTable,
    de_en: TranslationTable,
) -> tuple[Alignment, Alignment, Alignment]:
    """(EN->DE links, DE->EN links, symmetrised links) of one sentence pair.

    `en_de` holds t(de | en): each German word picks an English word.
    `de_en` holds t(en | de): each English word picks a German word.
    Links to NULL are dropped. Points are (English position, German position).
    """
    a = {(i, j) for j, i in enumerate(en_de.viterbi(en, de)) if i >= 0}
    b = {(i, j) for i, j in enumerate(de_en.viterbi(de, en)) if j >= 0}
    return a, b, grow_diag_final(a, b)
