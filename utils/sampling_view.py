"""The sampling widget of lesson 2.2: a prompt, sliders for temperature, k and
p, the next-token distribution before and after each reshaping (a table of
bars), and draws.

`make_sampling_update(model, encode, decode)` returns a pure
`update(prompt, temperature, top_k, top_p) -> View` for any model that
`generate` takes (our character GPT; SmolLM2 through `HFModel`). The model
reads a prompt once: moving a slider only reshapes the same logits.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence

import torch

from utils.decoding import shown
from utils.sampling import (
    LanguageModel,
    generate,
    top_k_filter,
    top_p_filter,
    with_temperature,
)
from utils.style import PALETTE
from utils.widgets import View, clamp, clean_text

MAX_PROMPT_CHARS = 500
N_BARS = 12  # the most likely tokens drawn
N_DRAWS = 20  # next tokens drawn from the reshaped distribution
STAGES = ("the model's", "after temperature", "after top-k", "after top-p")


def stages(
    logits: torch.Tensor, temperature: float, top_k: int, top_p: float
) -> list[torch.Tensor]:
    """The probabilities (vocab,) at each stage: as the model gives them, then
    after temperature, top-k and top-p in turn (the order `reshape` uses)."""
    t = with_temperature(logits, temperature)
    k = top_k_filter(t, top_k)
    p = top_p_filter(k, top_p)
    return [torch.softmax(x, dim=-1) for x in (logits, t, k, p)]


def stages_html(
    probs: Sequence[torch.Tensor], labels: Sequence[str], n_bars: int = N_BARS
) -> str:
    """A table of bars: the `n_bars` tokens most likely under the model (rows)
    and their probability at each stage (columns); grey: filtered out. HTML,
    not a figure, so that a slider answers at once."""
    top = probs[0].topk(min(n_bars, probs[0].numel())).indices.tolist()
    head = "".join(f"<th style='text-align:left'>{t}</th>" for t in STAGES)
    rows = []
    for i in top:
        cells = []
        for p in probs:
            v = p[i].item()
            color = PALETTE["blue"] if v > 0 else "#bbbbbb"
            width = max(1, round(160 * v)) if v > 0 else 1
            cells.append(
                f"<td style='text-align:left'><span style='display:inline-block;"
                f"width:{width}px;height:14px;background:{color}'></span> {v:.2f}</td>"
            )
        label = html.escape(labels[i])
        rows.append(f"<tr><td><code>{label}</code></td>{''.join(cells)}</tr>")
    return (
        "<table style='font-size:15px'><thead><tr><th>next token</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def settings_line(temperature: float, top_k: int, top_p: float) -> str:
    """The settings a view was drawn with, so that every slider move shows,
    even one too small to change a rounded probability or a seeded draw."""
    k = f"top-k {top_k}" if top_k else "top-k off"
    p = f"top-p {top_p:.2f}" if top_p < 1 else "top-p off"
    return f"temperature {temperature:.2f}, {k}, {p}"


def make_sampling_update(
    model: LanguageModel,
    encode: Callable[[str], list[int]],
    decode: Callable[[list[int]], str],
    vocab_size: int,
    continuation: int = 0,
) -> Callable[..., View]:
    """update(prompt, temperature, top_k, top_p) -> View. `encode` raises
    ValueError with a message for text it cannot read. With `continuation`,
    the view also shows that many new tokens sampled with the settings."""
    labels = [shown(decode([i])) for i in range(vocab_size)]

    @functools.lru_cache(maxsize=16)
    def read(text: str) -> tuple[tuple[int, ...], torch.Tensor]:
        ids = tuple(encode(text))
        with torch.no_grad():
            logits = model.next_logits(torch.tensor([ids]))[0].float()
        return ids, logits  # (vocab,)

    def update(
        prompt: str = "", temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0
    ) -> View:
        text, message = clean_text(prompt, MAX_PROMPT_CHARS)
        if not text:
            return View(message=message)
        try:
            ids, logits = read(text)
        except ValueError as err:
            return View(message=str(err))
        t = clamp(temperature, 0.05, 5.0, 1.0)
        k = int(clamp(top_k, 0, vocab_size, 0))
        p = clamp(top_p, 0.05, 1.0, 1.0)
        probs = stages(logits, t, k, p)
        g = torch.Generator().manual_seed(0)
        draws = torch.multinomial(probs[-1], N_DRAWS, replacement=True, generator=g)
        kept = int((probs[-1] > 0).sum())
        lines = [
            f"<p>{settings_line(t, k, p)}: <b>{kept}</b> of {vocab_size:,} tokens "
            "can be drawn. "
            f"{N_DRAWS} draws of the next token: "
            + " ".join(f"<code>{html.escape(labels[i])}</code>" for i in draws.tolist())
            + "</p>"
        ]
        if continuation:
            new = generate(model, list(ids), continuation, temperature=t, top_k=k,
                           top_p=p, seed=0)  # fmt: skip
            lines.append(
                "<pre style='white-space:pre-wrap;font-size:15px'>"
                f"<b>{html.escape(text)}</b>{html.escape(decode(new))}</pre>"
            )
        table = stages_html(probs, labels)
        return View(html=table + "".join(lines), message=message)

    return update
