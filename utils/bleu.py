"""BLEU, written out (Papineni et al. 2002), and checked against sacrebleu.

Corpus BLEU compares a system's translations with reference translations:

1. For n = 1..4, count the system's n-grams that also appear in the reference,
   each clipped to the number of times the reference has it, summed over the
   whole corpus: the modified n-gram precision p_n.
2. Take the geometric mean of p_1..p_4.
3. Multiply by a brevity penalty, exp(1 - r/c) when the system's total length c
   is shorter than the references' r, so that short, safe output is not
   rewarded.

Scores are on sacrebleu's 0-100 scale. Sentences are split into tokens by
`utils.data.grammar.tokenize` (words and punctuation); sacrebleu gives the same
number on the same tokens with `tokenize="none"`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from utils.data.grammar import LENGTH_BUCKETS, length_bucket, tokenize


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    """All n-grams of a token list, with their counts."""
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class BleuScore:
    score: float  # 0-100
    precisions: tuple[float, ...]  # p_1..p_4, in percent
    brevity_penalty: float
    sys_len: int
    ref_len: int

    def __str__(self) -> str:
        p = "/".join(f"{x:.1f}" for x in self.precisions)
        return (
            f"BLEU = {self.score:.2f} {p} (BP = {self.brevity_penalty:.3f} "
            f"ratio = {self.sys_len / max(self.ref_len, 1):.3f} "
            f"hyp_len = {self.sys_len} ref_len = {self.ref_len})"
        )


def corpus_bleu(
    hypotheses: Sequence[str], references: Sequence[str], max_n: int = 4
) -> BleuScore:
    """Corpus BLEU of `hypotheses` against one reference each."""
    if len(hypotheses) != len(references):
        raise ValueError(
            f"{len(hypotheses)} hypotheses but {len(references)} references"
        )
    matches, totals = [0] * max_n, [0] * max_n
    sys_len = ref_len = 0
    for hyp, ref in zip(hypotheses, references):
        h, r = tokenize(hyp), tokenize(ref)
        sys_len, ref_len = sys_len + len(h), ref_len + len(r)
        for n in range(1, max_n + 1):
            h_grams, r_grams = ngrams(h, n), ngrams(r, n)
            matches[n - 1] += sum(min(c, r_grams[g]) for g, c in h_grams.items())
            totals[n - 1] += max(len(h) - n + 1, 0)
    precisions = tuple(100 * m / t if t else 0.0 for m, t in zip(matches, totals))
    if sys_len == 0:
        return BleuScore(0.0, precisions, 0.0, sys_len, ref_len)
    bp = 1.0 if sys_len > ref_len else math.exp(1 - ref_len / sys_len)
    if min(matches) == 0:  # one empty precision makes the geometric mean zero
        return BleuScore(0.0, precisions, bp, sys_len, ref_len)
    log_mean = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n
    return BleuScore(100 * bp * math.exp(log_mean), precisions, bp, sys_len, ref_len)


def sacrebleu_reference(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """sacrebleu's corpus BLEU on the same tokens (no smoothing), for checking ours."""
    import sacrebleu

    hyps = [" ".join(tokenize(h)) for h in hypotheses]
    refs = [" ".join(tokenize(r)) for r in references]
    return sacrebleu.corpus_bleu(
        hyps, [refs], tokenize="none", smooth_method="none"
    ).score


def bleu_by_bucket(
    hypotheses: Sequence[str], references: Sequence[str], sources: Sequence[str]
) -> dict[str, float]:
    """Corpus BLEU overall and for each source-length bucket ("3-7", ...)."""
    scores = {"all": corpus_bleu(hypotheses, references).score}
    for low, high in LENGTH_BUCKETS:
        name = f"{low}-{high}"
        idx = [i for i, s in enumerate(sources) if length_bucket(s) == name]
        if idx:
            scores[name] = corpus_bleu(
                [hypotheses[i] for i in idx], [references[i] for i in idx]
            ).score
    return scores
