"""Choosing the next token (part 2): greedy, temperature, top-k, top-p and
beam search, behind one `generate()` for every language model of the course.

A language model gives a score (a logit) for every token of its vocabulary;
softmax turns the scores into probabilities. Decoding is the rule that picks
one token from them:

- greedy takes the most likely token: the same text every time, often dull
  and repetitive;
- sampling draws a token at random with those probabilities, after three
  optional reshapings, applied in this order:
  - temperature T divides the logits: T < 1 sharpens the distribution
    towards greedy, T > 1 flattens it towards uniform;
  - top-k keeps only the k most likely tokens (Fan et al. 2018);
  - top-p keeps the fewest most likely tokens whose probabilities add up to
    at least p, the "nucleus" (Holtzman et al. 2020);
- beam search keeps the `beams` most likely prefixes at every step and
  returns the most likely whole sequence it found, which greedy can miss: a
  likely first token may lead only to unlikely ones.

`generate` takes any model with `begin(prompt) -> (logits, step)` (our GPT;
SmolLM2 through `HFModel`) and, for beam search, `next_logits(ids)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, Protocol

import torch

from utils.decoding import CachedLM, decode


class LanguageModel(Protocol):
    def begin(
        self, prompt: torch.Tensor
    ) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]: ...

    def next_logits(self, ids: torch.Tensor) -> torch.Tensor: ...


# --- the three reshapings of the next-token distribution ---------------------


def with_temperature(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """logits / T: softmax(logits / T) is p^(1/T), renormalised."""
    if temperature <= 0:
        raise ValueError("temperature must be > 0 (use greedy for T = 0)")
    return logits / temperature


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the k largest logits of each row, set the rest to -inf (k <= 0:
    keep all). Ties at the k-th value are all kept."""
    if k <= 0 or k >= logits.shape[-1]:
        return logits
    kth = logits.topk(k, dim=-1).values[..., -1:]  # (..., 1): the k-th largest
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose probabilities sum to
    at least p (the nucleus), set the rest to -inf (p >= 1: keep all)."""
    if p >= 1:
        return logits
    probs, order = torch.softmax(logits, dim=-1).sort(dim=-1, descending=True)
    before = probs.cumsum(dim=-1) - probs  # mass of the tokens ranked above
    drop_sorted = before >= p  # the top token always stays (before = 0)
    drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to vocab order
    return logits.masked_fill(drop, float("-inf"))


def reshape(
    logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0
) -> torch.Tensor:
    """Temperature, then top-k, then top-p: the logits that sampling uses."""
    return top_p_filter(
        top_k_filter(with_temperature(logits, temperature), top_k), top_p
    )


def sampler(
    temperature: float = 1.0,
    top_k: int = 0,
    top_p: float = 1.0,
    generator: torch.Generator | None = None,
) -> Callable[[torch.Tensor], torch.Tensor]:
    """pick(logits (batch, vocab)) -> ids (batch,): one random draw per row
    from the reshaped distribution; temperature 0 is greedy."""

    def pick(logits: torch.Tensor) -> torch.Tensor:
        if temperature == 0:
            return logits.argmax(-1)
        probs = torch.softmax(reshape(logits, temperature, top_k, top_p), dim=-1)
        return torch.multinomial(probs, 1, generator=generator)[:, 0]

    return pick


# --- beam search -------------------------------------------------------------


@torch.no_grad()
def beam_search(
    next_logits: Callable[[torch.Tensor], torch.Tensor],  # (b, t) -> (b, vocab)
    prompt: torch.Tensor,  # (1, n)
    max_new: int,
    beams: int = 4,
    eos_id: int | None = None,
    length_penalty: float = 0.0,
) -> list[int]:
    """The most likely continuation that a beam of `beams` prefixes finds.

    Each step extends every kept prefix by every token, scores the results by
    their total log-probability, and keeps the best `beams`. A prefix that
    writes `eos_id` is finished and set aside. The winner is the best of the
    finished and the kept ones, by log-probability / length^length_penalty
    (0: no penalty). Each step reruns the model on whole prefixes (no cache):
    simple, and cheap enough for short outputs.
    """
    ids, n = prompt, prompt.shape[1]  # ids: (kept, n + t), the kept prefixes
    scores = torch.zeros(1, device=ids.device)  # (kept,): their log-probabilities
    finished: list[tuple[float, list[int]]] = []

    def rank(score: float, length: int) -> float:
        return score / max(length, 1) ** length_penalty

    for t in range(max_new):
        logp = torch.log_softmax(next_logits(ids).float(), dim=-1)  # (kept, vocab)
        total = (scores[:, None] + logp).flatten()  # (kept * vocab,)
        best = total.topk(min(2 * beams, total.numel()))  # room for finishers
        keep_rows, keep_tokens, keep_scores = [], [], []
        for score, flat in zip(best.values.tolist(), best.indices.tolist()):
            row, token = divmod(flat, logp.shape[-1])
            if token == eos_id:
                new = ids[row, n:].tolist() + [token]
                finished.append((rank(score, t + 1), new))
            elif len(keep_rows) < beams:
                keep_rows.append(row)
                keep_tokens.append(token)
                keep_scores.append(score)
        if not keep_rows:
            break
        ids = torch.cat(
            [ids[keep_rows], torch.tensor(keep_tokens, device=ids.device)[:, None]], 1
        )  # (kept, n + t + 1)
        scores = torch.tensor(keep_scores, device=ids.device)
        if finished and max(f[0] for f in finished) >= rank(scores.max().item(), t + 1):
            break  # a finished sequence already beats every kept one
    kept = [
        (rank(s, ids.shape[1] - n), ids[i, n:].tolist())
        for i, s in enumerate(scores.tolist())
    ]
    return max(finished + kept, key=lambda f: f[0])[1]


# --- one generate() for all of them --------------------------------------------


@torch.no_grad()
def generate(
    model: LanguageModel,
    prompt: Sequence[int],
    max_new: int,
    *,
    temperature: float = 0.0,
    top_k: int = 0,
    top_p: float = 1.0,
    beams: int = 1,
    eos_id: int | None = None,
    seed: int = 0,
    cache: bool = True,
) -> list[int]:
    """`max_new` new token ids after `prompt` (fewer if `eos_id` comes).

    temperature 0 (the default) is greedy; temperature > 0 samples, with top-k
    and top-p if given, from a generator seeded with `seed` (the same seed,
    the same text); beams > 1 is beam search. `cache=False` reruns the whole
    prefix at every step: the same tokens, slower."""
    if not prompt:
        raise ValueError("the prompt is empty: give at least one token")
    if max_new < 1:
        return []
    ids = _as_batch(prompt, model)  # (1, n)
    if beams > 1:
        return beam_search(model.next_logits, ids, max_new, beams, eos_id)
    generator = torch.Generator().manual_seed(seed)
    pick = sampler(temperature, top_k, top_p, generator)
    first, step = model.begin(ids, cache=cache)
    new = decode(first.float().cpu(), lambda prev: step(prev).float().cpu(), max_new,
                 pick, eos_id)  # fmt: skip
    return new[0].tolist()


def repetition(text: str) -> float:
    """The share of a text's word pairs that repeat an earlier pair: 0 for
    text that never repeats itself, near 1 for a loop. How to compare the
    decoding rules' texts at a glance."""
    words = text.split()
    pairs = list(pairwise(words))
    return 1 - len(set(pairs)) / len(pairs) if pairs else 0.0


def loops(text: str) -> bool:
    """True if some three-word phrase comes three times or more: a loop."""
    words = text.split()
    phrases = list(zip(words, words[1:], words[2:]))
    return any(phrases.count(p) >= 3 for p in set(phrases))


def _as_batch(prompt: Sequence[int], model: Any) -> torch.Tensor:
    device = getattr(model, "device", None) or next(model.parameters()).device
    return torch.tensor([list(prompt)], device=device)  # (1, n)


class HFModel:
    """A Hugging Face causal LM (SmolLM2) behind the same interface as our
    GPT: `begin` runs the prompt once and steps with the key/value cache."""

    def __init__(self, model: Any) -> None:
        self.model = model.eval()
        self.device = next(model.parameters()).device

    def begin(
        self, prompt: torch.Tensor, cache: bool = True
    ) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
        if not cache:
            ids = prompt

            def rerun(prev: torch.Tensor) -> torch.Tensor:
                nonlocal ids
                ids = torch.cat([ids, prev[:, None].to(ids.device)], dim=1)
                return self.next_logits(ids)

            return self.next_logits(ids), rerun
        lm = CachedLM(self.model)
        first = lm.start(prompt[0].tolist())[None]  # (1, vocab)
        return first, lambda prev: lm.step(int(prev[0]))[None]

    @torch.no_grad()
    def next_logits(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=ids.to(self.device)).logits[:, -1]
