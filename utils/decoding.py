"""Decoding, one token at a time: the one greedy loop that every model of the
course decodes with (our translators of lessons 3 and 6, SmolLM2), and a real
language model stepped by hand with a key/value cache.

A decoder gives, for a prefix, a probability for every possible next token.
Generating text is a loop: pick a token, append it, ask again. `generate` hides
that loop; the stepper of lesson 6 opens it up on SmolLM2-135M.

The key/value cache is what makes each step cheap. Attention at a new position
needs the keys and values of every earlier position, and those never change
(the causal mask stops earlier positions from seeing later ones). So each layer
keeps them, and a step feeds in only the one new token: its work grows with the
length of the prefix instead of its square. Our loop is checked against
`model.generate(do_sample=False)`: the same tokens, exactly.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from utils.widgets import View, clean_text

MAX_PROMPT_TOKENS = 256  # longer prompts keep their last tokens
MAX_NEW_TOKENS = 64  # the stepper stops here

# A decoder that has read its input: step(prev ids (batch,)) -> (next-token
# logits (batch, vocab), attention weights over the source (batch, src_len) or
# None). Our translation models' `begin(src)` returns one.
Step = Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor | None]]


@torch.no_grad()
def decode(
    logits: torch.Tensor,  # (batch, vocab): the scores for the first new token
    step: Callable[[torch.Tensor], torch.Tensor],  # ids (batch,) -> next logits
    max_new: int,
    pick: Callable[[torch.Tensor], torch.Tensor],  # logits (batch, vocab) -> ids
    eos_id: int | None = None,
    pad_id: int = 0,
) -> torch.Tensor:
    """The decoding loop: pick a token, feed it back, repeat, at most `max_new`
    times. A row that has written `eos_id` gets `pad_id` after it; the loop
    ends when every row has. Returns the new ids (batch, <= max_new)."""
    out = []
    done = torch.zeros(logits.shape[0], dtype=torch.bool, device=logits.device)
    for t in range(max_new):
        nxt = pick(logits)  # (batch,)
        if eos_id is not None:
            nxt = torch.where(done, torch.full_like(nxt, pad_id), nxt)
            done |= nxt == eos_id
        out.append(nxt)
        if t + 1 == max_new or done.all():
            break
        logits = step(nxt)
    return torch.stack(out, dim=1)


def greedy(
    logits: torch.Tensor,  # (batch, vocab)
    step: Callable[[torch.Tensor], torch.Tensor],
    max_new: int,
    eos_id: int | None = None,
    pad_id: int = 0,
) -> torch.Tensor:
    """Greedy decoding: `decode`, always taking the most likely token."""
    return decode(logits, step, max_new, lambda x: x.argmax(-1), eos_id, pad_id)


@dataclass(frozen=True)
class Candidate:
    """One possible next token: its id, its text and its probability."""

    id: int
    text: str
    p: float


class CachedLM:
    """A Hugging Face causal LM stepped by hand: `start` runs the prompt once
    (the "prefill") and keeps every layer's keys and values; `step` feeds one
    token and appends its keys and values; `drop_last` removes the newest.
    """

    def __init__(self, model: Any) -> None:
        self.model = model.eval()
        self.device = next(model.parameters()).device
        self.cache: Any = None  # transformers' DynamicCache: per layer, K and V

    @torch.no_grad()
    def start(self, ids: Sequence[int]) -> torch.Tensor:
        """Run the whole prompt; return the logits for the next token (vocab,)."""
        x = torch.tensor([list(ids)], device=self.device)  # (1, n)
        out = self.model(input_ids=x, use_cache=True)
        self.cache = out.cache
        return out.logits[0, -1]  # (vocab,)

    @torch.no_grad()
    def step(self, token_id: int) -> torch.Tensor:
        """Feed one token, reusing the cache; return the next logits (vocab,)."""
        x = torch.tensor([[token_id]], device=self.device)  # (1, 1): one new token
        out = self.model(input_ids=x, cache=self.cache, use_cache=True)
        self.cache = out.cache  # now one position longer
        return out.logits[0, -1]  # (vocab,)

    def drop_last(self) -> None:
        """Forget the newest position's keys and values (to step back)."""
        self.cache.crop(-1)

    def __len__(self) -> int:
        """Positions held in the cache."""
        return 0 if self.cache is None else self.cache.get_seq_length()


def top_k(tokenizer: Any, logits: torch.Tensor, k: int) -> list[Candidate]:
    """The k most likely next tokens, with softmax probabilities."""
    p = torch.softmax(logits.float(), dim=-1)  # (vocab,)
    probs, ids = p.topk(k)
    return [
        Candidate(i, tokenizer.decode([i]), q)
        for i, q in zip(ids.tolist(), probs.tolist())
    ]


def greedy_lm(model: Any, ids: Sequence[int], n_new: int) -> list[int]:
    """Greedy decoding of a Hugging Face causal LM with our loop and cache:
    `n_new` tokens (no stopping at end-of-text, as `generate` with that many
    tokens and no EOS would do). Returns only the new ids."""
    lm = CachedLM(model)
    first = lm.start(ids)[None]  # (1, vocab)
    new = greedy(first, lambda prev: lm.step(int(prev[0]))[None], n_new)
    return new[0].tolist()


def constrained_greedy_lm(
    model: Any,
    ids: Sequence[int],
    n_new: int,
    banned: Sequence[int] = (),
    forced: Sequence[int] = (),
) -> list[int]:
    """`greedy_lm`, steered two ways (lesson 4's "forcing tokens"): the
    `forced` ids are written first, whatever the model prefers (they join the
    prompt, as if the model had picked them), and the `banned` ids are never
    picked (their logits are set to -inf at every step, which is what
    `generate(..., bad_words_ids=[[i] for i in banned])` does). Returns the
    forced ids followed by the `n_new` ids the model chose."""
    vocab = model.get_input_embeddings().num_embeddings
    outside = [i for i in [*banned, *forced] if not 0 <= int(i) < vocab]
    if outside:
        raise ValueError(
            f"token ids {outside} are not in the vocabulary (0..{vocab - 1})"
        )
    lm = CachedLM(model)
    first = lm.start([*ids, *forced])[None]  # (1, vocab)
    mask = torch.zeros(first.shape[-1], device=first.device)  # (vocab,)
    mask[list(banned)] = float("-inf")

    def step(prev: torch.Tensor) -> torch.Tensor:  # (1,) -> (1, vocab)
        return lm.step(int(prev[0]))[None]

    new = decode(first, step, n_new, lambda logits: (logits + mask).argmax(-1))
    return [*forced, *new[0].tolist()]


@torch.no_grad()
def ms_per_token(
    model: Any, ids: Sequence[int], use_cache: bool, n_new: int = 6
) -> float:
    """Milliseconds per new token of greedy decoding after the prompt `ids`:
    with the cache (`CachedLM.step` feeds one token) or without it (each step
    reruns the whole text so far). The prefill is not timed."""
    seq, lm = list(ids), CachedLM(model)
    logits = lm.start(seq)
    start = time.perf_counter()
    for _ in range(n_new):
        seq.append(int(logits.argmax()))
        if use_cache:
            logits = lm.step(seq[-1])
        else:
            x = torch.tensor([seq], device=lm.device)  # (1, len(seq))
            logits = model(input_ids=x, use_cache=False).logits[0, -1]
    return (time.perf_counter() - start) / n_new * 1e3


def shown(text: str) -> str:
    """A token's text made visible: spaces as ␣, newlines as ⏎, and ▯ for a
    piece of a character that is split over several byte-level tokens (an
    emoji takes up to four)."""
    return text.replace(" ", "␣").replace("\n", "⏎").replace("\ufffd", "▯")


class Stepper:
    """The state behind the SmolLM2 stepper widget: a prompt, the tokens taken
    so far, and the top-k candidates at each step.

    `update(prompt, picks)` is the widget's pure entry point: the view for
    `prompt` followed by the tokens of the given ranks (0 = the most likely).
    It reuses the cache when `picks` extends or shortens the previous ones,
    so a click costs one step of the model, not a rerun of the whole text.
    """

    def __init__(self, tokenizer: Any, model: Any, k: int = 5) -> None:
        self.tokenizer, self.lm, self.k = tokenizer, CachedLM(model), k
        self.eos = {
            tokenizer.eos_token_id,
            tokenizer.convert_tokens_to_ids("<|endoftext|>"),
        }
        self.prompt: str | None = None
        self.message = ""
        self.picks: list[int] = []  # rank chosen at each step
        self.taken: list[Candidate] = []  # token taken at each step
        self.options: list[list[Candidate]] = []  # candidates before each step
        self.seconds: list[float] = []  # time of each model call

    # --- state changes ------------------------------------------------------

    def reset(self, prompt: str) -> None:
        """Start again from a new prompt: one forward pass over all of it."""
        self.prompt, self.picks, self.taken, self.options = prompt, [], [], []
        text, self.message = clean_text(prompt)
        if not text:
            return
        ids = self.tokenizer(text)["input_ids"]
        if len(ids) > MAX_PROMPT_TOKENS:
            ids = ids[-MAX_PROMPT_TOKENS:]
            self.message = (
                f"The prompt is {len(self.tokenizer(text)['input_ids']):,} tokens "
                f"long: only its last {MAX_PROMPT_TOKENS} are used."
            )
        start = time.perf_counter()
        logits = self.lm.start(ids)
        self.seconds.append(time.perf_counter() - start)
        self.options.append(top_k(self.tokenizer, logits, self.k))

    def take(self, rank: int) -> None:
        """Append the candidate of this rank (0 = most likely): one model step."""
        if self.finished:
            return
        rank = min(max(int(rank), 0), self.k - 1)
        chosen = self.options[-1][rank]
        self.picks.append(rank)
        self.taken.append(chosen)
        if chosen.id in self.eos or len(self.taken) >= MAX_NEW_TOKENS:
            return  # nothing more to predict
        start = time.perf_counter()
        logits = self.lm.step(chosen.id)
        self.seconds.append(time.perf_counter() - start)
        self.options.append(top_k(self.tokenizer, logits, self.k))

    def back(self) -> None:
        """Undo the last step (the cache drops that position)."""
        if not self.taken:
            return
        if len(self.options) > len(self.taken):  # the last token went through
            self.options.pop()
            self.lm.drop_last()
        self.picks.pop()
        self.taken.pop()

    @property
    def finished(self) -> bool:
        """No prompt, or the model ended its text, or the step limit is reached."""
        return not self.options or len(self.options) == len(self.taken)

    # --- the widget's entry point -------------------------------------------

    def update(self, prompt: str, picks: Sequence[int] = ()) -> View:
        """The view after taking the tokens of ranks `picks` after `prompt`."""
        picks = [min(max(int(r), 0), self.k - 1) for r in picks][:MAX_NEW_TOKENS]
        if (
            prompt != self.prompt
            or picks[: len(self.picks)] != self.picks[: len(picks)]
        ):
            self.reset(prompt)
        while len(self.picks) > len(picks):
            self.back()
        for rank in picks[len(self.picks) :]:
            self.take(rank)
        return self.view()

    def view(self) -> View:
        """The text so far (taken tokens boxed; those that were not the model's
        first choice in orange) and a table of the candidates for the next one."""
        if not self.options:
            return View(message=self.message)
        boxes = "".join(
            f'<span style="border:1px solid #999;border-radius:3px;padding:0 2px;'
            f'margin:0 1px;background:{"#fde2b8" if r else "#dcebf7"}">'
            f"{html.escape(shown(c.text))}</span>"
            for c, r in zip(self.taken, self.picks)
        )
        prompt = html.escape(clean_text(self.prompt)[0][-300:])
        text = (
            f'<p style="font-size:17px;line-height:1.9"><span style="color:#666">'
            f"{prompt}</span>{boxes}</p>"
        )
        message = self.message
        if self.finished and self.taken:
            last = self.taken[-1]
            end = (
                f"The model chose {last.text!r}, its end of text: it stops here."
                if last.id in self.eos
                else f"That is {MAX_NEW_TOKENS} new tokens, the stepper's limit."
            )
            message = " ".join(filter(None, [message, end + " Press back to go on."]))
            return View(html=text, message=message)
        rows = "".join(
            f"<tr><td>{rank + 1}</td><td><code>{html.escape(shown(c.text))}</code></td>"
            f"<td>{c.p:.3f}</td><td>"
            f'<div style="background:#0072B2;height:12px;width:{200 * c.p:.0f}px">'
            "</div></td></tr>"
            for rank, c in enumerate(self.options[-1])
        )
        table = (
            f"<p>Step {len(self.taken) + 1}: the {self.k} most likely next tokens</p>"
            '<table style="font-size:15px"><thead><tr><th>rank</th><th>token</th>'
            "<th>p</th><th></th></tr></thead><tbody>" + rows + "</tbody></table>"
        )
        return View(html=text + table + self.special_note(), message=message)

    def special_note(self) -> str:
        """A line explaining any special token among the candidates, e.g.
        SmolLM2-Instruct's <|im_end|>, which closes a turn of its chat template."""
        special = set(self.tokenizer.all_special_tokens)
        names = sorted({c.text for c in self.options[-1] if c.text in special})
        if not names:
            return ""
        listed = ", ".join(f"<code>{html.escape(n)}</code>" for n in names)
        return (
            f"<p>{listed}: not a word but a marker of the chat template "
            "(<code>&lt;|im_end|&gt;</code> ends a turn). Taking it ends the text, "
            "as a chat model stops its answer.</p>"
        )


TYPING_PAUSE_S = 0.3  # a typed prompt applies after this pause (s)


def show_stepper(stepper: Stepper, prompt: str, steps: int = 0):
    """Display the stepper: a static picture of `prompt` after `steps` greedy
    steps, then the live widget: a prompt box (a typed prompt applies by
    itself after a short pause), one button per candidate (labelled with the
    token), "greedy ×1", "greedy ×10", "back" and "reset". Every click acts on
    the prompt in the box: a click before the pause first applies it."""
    import ipywidgets as widgets
    from IPython.display import display

    from utils.widgets import (
        debounced,
        lab_styled,
        live_only,
        message_html,
        safe_update,
        static,
    )

    picks: list[int] = [0] * steps
    static(safe_update(stepper.update, prompt=prompt, picks=picks))

    text = widgets.Text(value=prompt, description="prompt", continuous_update=True)
    text.layout.width = "100%"
    buttons = [
        widgets.Button(layout=widgets.Layout(width="auto")) for _ in range(stepper.k)
    ]
    greedy1 = widgets.Button(description="greedy ×1", button_style="info")
    greedy10 = widgets.Button(description="greedy ×10", button_style="info")
    back = widgets.Button(description="back")
    reset = widgets.Button(description="reset")
    out = widgets.HTML(value="")
    shown_prompt = [prompt]  # the prompt the picks belong to

    def refresh() -> None:
        view = safe_update(stepper.update, prompt=shown_prompt[0], picks=picks)
        out.value = lab_styled(message_html(view.message) + view.html)
        options = [] if stepper.finished else stepper.options[-1]
        for i, button in enumerate(buttons):
            c = options[i] if i < len(options) else None
            button.description = f"{shown(c.text)}  {c.p:.2f}" if c else "-"
            button.disabled = c is None

    def apply_prompt() -> None:
        """Start again from the prompt in the box, if it changed."""
        if text.value != shown_prompt[0]:
            shown_prompt[0] = text.value
            picks.clear()
            refresh()

    def go(ranks: Sequence[int]) -> None:
        apply_prompt()
        for rank in ranks:
            if stepper.finished:
                break
            picks.append(rank)
            refresh()

    def on_back(_: object) -> None:
        apply_prompt()
        if picks:
            picks.pop()
        refresh()

    def on_reset(_: object) -> None:
        apply_prompt()
        picks.clear()
        refresh()

    for rank, button in enumerate(buttons):
        button.on_click(lambda _, r=rank: go([r]))
    greedy1.on_click(lambda _: go([0]))
    greedy10.on_click(lambda _: go([0] * 10))
    back.on_click(on_back)
    reset.on_click(on_reset)
    text.observe(debounced(apply_prompt, TYPING_PAUSE_S), names="value")
    box = widgets.VBox(
        [
            text,
            widgets.HBox([greedy1, greedy10, back, reset]),
            widgets.HBox([widgets.Label("take:"), *buttons]),
            out,
            live_only(),
        ]
    )
    display(box)
    refresh()
    return box
