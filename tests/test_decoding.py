"""Tests for utils/decoding.py: the one greedy loop (on a scripted step
function, and against our translators decoded by hand), and SmolLM2 stepped by
hand with a KV cache."""

from __future__ import annotations

import warnings

import pytest
import torch

from utils import decoding as D
from utils.rnn import GRUConfig, Seq2Seq
from utils.tasks import translation
from utils.text import BOS_ID, EOS_ID, PAD_ID
from utils.transformer import Transformer, TransformerConfig
from utils.widgets import View

# --------------------------------------------------------------------------
# The greedy loop
# --------------------------------------------------------------------------


def scripted(rows: list[list[int]], vocab: int = 6):
    """(first logits, step, fed): a step function whose row b's t-th logits
    point at rows[b][t]; `fed` records the ids each call was given."""
    fed: list[list[int]] = []

    def logits(t: int) -> torch.Tensor:
        out = torch.zeros(len(rows), vocab)
        for b, row in enumerate(rows):
            out[b, row[min(t, len(row) - 1)]] = 1.0
        return out  # (batch, vocab)

    def step(prev: torch.Tensor) -> torch.Tensor:
        fed.append(prev.tolist())
        return logits(len(fed))

    return logits(0), step, fed


def test_greedy_stops_at_eos_with_pad_after_it_per_row():
    # row 0 ends at step 2, row 1 at step 3; both would go on writing 5
    first, step, fed = scripted([[3, EOS_ID, 5, 5], [4, 4, EOS_ID, 5]])
    out = D.greedy(first, step, max_new=10, eos_id=EOS_ID, pad_id=PAD_ID)
    assert out.tolist() == [[3, EOS_ID, PAD_ID], [4, 4, EOS_ID]]
    # the ids fed back: a finished row gets <pad>; no call after all have ended
    assert fed == [[3, 4], [EOS_ID, 4]]


def test_greedy_stops_at_max_new_and_without_eos_id_never_stops_early():
    first, step, fed = scripted([[3, EOS_ID, 5, 5], [4, 4, EOS_ID, 5]])
    out = D.greedy(first, step, max_new=2, eos_id=EOS_ID, pad_id=PAD_ID)
    assert out.tolist() == [[3, EOS_ID], [4, 4]] and len(fed) == 1
    first, step, fed = scripted([[3, EOS_ID, 5, 5], [4, 4, EOS_ID, 5]])
    out = D.greedy(first, step, max_new=4)  # eos_id None: an LM's n new tokens
    assert out.tolist() == [[3, EOS_ID, 5, 5], [4, 4, EOS_ID, 5]] and len(fed) == 3
    first, step, fed = scripted([[EOS_ID], [EOS_ID]])
    out = D.greedy(first, step, max_new=5, eos_id=EOS_ID)
    assert out.tolist() == [[EOS_ID], [EOS_ID]] and fed == []  # no call at all


@torch.no_grad()
def greedy_by_hand(model, src: torch.Tensor, max_len: int) -> torch.Tensor:
    """The argmax loop written out with teacher-forced forward passes over the
    whole prefix: take the best next word, <pad> once a row has ended, stop
    when every row has."""
    prefix = torch.full((src.shape[0], 1), BOS_ID)  # (batch, 1)
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    out = []
    for _ in range(max_len):
        best = model(src, prefix)[:, -1].argmax(-1)  # (batch,)
        best[done] = PAD_ID
        done |= best == EOS_ID
        out.append(best)
        prefix = torch.cat([prefix, best[:, None]], dim=1)
        if done.all():
            break
    return torch.stack(out, dim=1)


SRC = torch.tensor([[4, 5, 6, EOS_ID], [7, 5, EOS_ID, PAD_ID], [6, EOS_ID, 0, 0]])


def tiny_translators():
    # Seeds picked so that the rows end at different steps, or not at all.
    torch.manual_seed(4)
    transformer = Transformer(8, 6, TransformerConfig(16, 2, 32, 1)).eval()
    torch.manual_seed(6)
    gru = Seq2Seq(8, 6, GRUConfig(d_emb=6, d_hidden=8, d_attn=5)).eval()
    return {"transformer": transformer, "gru": gru}


@pytest.mark.parametrize("name", ["transformer", "gru"])
def test_greedy_decode_is_the_argmax_loop(name):
    model = tiny_translators()[name]
    got = translation.greedy_decode(model, SRC, max_len=8)
    assert torch.equal(got, greedy_by_hand(model, SRC, max_len=8))
    ends = [row.index(EOS_ID) if EOS_ID in row else None for row in got.tolist()]
    assert len(set(ends)) > 1, ends  # the rows end at different steps
    for row, end in zip(got.tolist(), ends):
        if end is not None:
            assert row[end + 1 :] == [PAD_ID] * (len(row) - end - 1)


class CountingLM(torch.nn.Module):
    """A stand-in for a Hugging Face causal LM: the next token is always the
    last one + 1 (mod 10); its "cache" counts positions; `lengths` records
    how many tokens each call was fed, `last` the last call's tokens."""

    def __init__(self) -> None:
        super().__init__()
        self.unused = torch.nn.Parameter(torch.zeros(1))  # CachedLM asks its device
        self.lengths: list[int] = []

    def forward(self, input_ids, use_cache=False, cache=None):
        from types import SimpleNamespace

        self.lengths.append(input_ids.shape[1])
        self.last = input_ids[0].tolist()
        logits = torch.nn.functional.one_hot((input_ids + 1) % 10, 10).float()
        held = (cache or 0) + input_ids.shape[1]
        return SimpleNamespace(logits=logits, cache=held if use_cache else None)


@pytest.mark.parametrize(
    ("use_cache", "lengths"),
    [(True, [3, 1, 1, 1, 1, 1, 1]), (False, [3, 4, 5, 6, 7, 8, 9])],
)
def test_ms_per_token_feeds_one_token_with_the_cache_and_all_without(
    monkeypatch, use_cache, lengths
):
    clock = iter([10.0, 10.03])  # the timer's start and end: 30 ms for 6 tokens
    monkeypatch.setattr(D.time, "perf_counter", lambda: next(clock))
    model = CountingLM()
    ms = D.ms_per_token(model, [0, 1, 2], use_cache=use_cache)
    assert ms == pytest.approx(5.0)
    assert model.lengths == lengths  # the prefill, then one call per new token
    assert model.last == ([8] if use_cache else list(range(9)))  # greedy: 3, 4, ...


# --------------------------------------------------------------------------
# SmolLM2 stepped by hand
# --------------------------------------------------------------------------

PROMPTS = ["The capital of France is", "def fibonacci(n):"]


@pytest.fixture(scope="module")
def smol():
    from utils.assets import load_smollm2

    return load_smollm2()


def prompt_ids(tokenizer, prompt: str) -> list[int]:
    return tokenizer(prompt)["input_ids"]


def hf_greedy(model, ids: list[int], n_new: int) -> list[int]:
    """The library's reference: generate with sampling off, no early stop."""
    x = torch.tensor([ids])
    with torch.no_grad():
        out = model.generate(
            x,
            attention_mask=torch.ones_like(x),
            max_new_tokens=n_new,
            min_new_tokens=n_new,
            do_sample=False,
        )
    return out[0, len(ids) :].tolist()


@pytest.mark.parametrize("prompt", PROMPTS)
def test_greedy_loop_matches_generate(smol, prompt):
    tokenizer, model = smol
    ids = prompt_ids(tokenizer, prompt)
    reference = hf_greedy(model, ids, 24)
    assert len(reference) == 24
    assert D.greedy_lm(model, ids, 24) == reference


@pytest.mark.parametrize("forced", ["", " a matter"])
def test_constrained_greedy_matches_generate_with_bad_words(smol, forced):
    tokenizer, model = smol
    ids = prompt_ids(tokenizer, "The best programming language for beginners is")
    banned = tokenizer(" Python")["input_ids"] + tokenizer(" JavaScript")["input_ids"]
    forced_ids = tokenizer(forced)["input_ids"] if forced else []
    x = torch.tensor([ids + forced_ids])
    with torch.no_grad():
        out = model.generate(
            x,
            attention_mask=torch.ones_like(x),
            max_new_tokens=8,
            min_new_tokens=8,
            do_sample=False,
            bad_words_ids=[[i] for i in banned],
        )
    reference = out[0, x.shape[1] :].tolist()
    got = D.constrained_greedy_lm(model, ids, 8, banned=banned, forced=forced_ids)
    assert got == forced_ids + reference
    assert not set(banned) & set(got)
    if not forced:  # the ban changes the answer: unconstrained, it is " Python"
        assert D.greedy_lm(model, ids, 1) == banned[:1] != got[:1]


def test_constrained_greedy_rejects_ids_outside_the_vocabulary(smol):
    tokenizer, model = smol
    with pytest.raises(ValueError, match="not in the vocabulary"):
        D.constrained_greedy_lm(model, [1, 2], 3, banned=[len(tokenizer) + 5])


def test_stepper_greedy_path_matches_generate(smol):
    tokenizer, model = smol
    stepper = D.Stepper(tokenizer, model)
    reference = hf_greedy(model, prompt_ids(tokenizer, PROMPTS[0]), 16)
    stepper.update(PROMPTS[0], [0] * 16)
    assert [c.id for c in stepper.taken] == reference
    assert tokenizer.decode(reference).startswith(" Paris.")


def test_each_step_feeds_one_token_and_warns_nothing(smol):
    tokenizer, model = smol
    ids = prompt_ids(tokenizer, PROMPTS[0])
    lm = D.CachedLM(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. the FutureWarning of an old kwarg
        logits = lm.start(ids)
        assert len(lm) == len(ids)
        for n in range(1, 4):
            logits = lm.step(int(logits.argmax()))
            assert len(lm) == len(ids) + n  # one position more per step
        lm.drop_last()
        assert len(lm) == len(ids) + 2


def test_probabilities_are_a_sorted_top_k(smol):
    tokenizer, model = smol
    view_options = D.Stepper(tokenizer, model, k=5)
    view_options.update(PROMPTS[0])
    top = view_options.options[-1]
    assert len(top) == 5
    assert [c.p for c in top] == sorted((c.p for c in top), reverse=True)
    assert 0 < sum(c.p for c in top) <= 1
    assert top[0].text == " Paris"


def test_back_and_forth_reuses_the_cache_and_gives_the_same_view(smol):
    tokenizer, model = smol
    fresh = D.Stepper(tokenizer, model).update(PROMPTS[0], [0, 1, 0, 2])
    stepper = D.Stepper(tokenizer, model)
    stepper.update(PROMPTS[0], [0, 1, 0, 2, 0, 0])
    n_calls = len(stepper.seconds)
    view = stepper.update(PROMPTS[0], [0, 1, 0, 2])  # two steps back: no model call
    assert len(stepper.seconds) == n_calls
    assert view == fresh
    assert len(stepper.lm) == len(prompt_ids(tokenizer, PROMPTS[0])) + 4
    stepper.update(PROMPTS[0], [0, 1, 0, 2, 1])  # one step forward: one call
    assert len(stepper.seconds) == n_calls + 1


def test_a_non_greedy_pick_is_highlighted(smol):
    tokenizer, model = smol
    view = D.Stepper(tokenizer, model).update(PROMPTS[0], [0, 1])
    assert view.html.count("#fde2b8") == 1  # one orange box: the 2nd choice
    assert view.html.count("#dcebf7") == 1  # one blue box: the greedy choice
    assert "Step 3" in view.html


def test_bad_input_gives_messages(smol, monkeypatch):
    tokenizer, model = smol
    stepper = D.Stepper(tokenizer, model)
    assert stepper.update("   ") == View(message="Type some text to see the result.")
    assert stepper.update("", [0, 1]) == View(
        message="Type some text to see the result."
    )
    long = stepper.update("word " * 20_000)
    assert "only its last 256 are used" in long.message
    emoji = stepper.update("😀🎂 مرحبا 猫", [0, 0])
    assert emoji.html and not emoji.message
    clamped = stepper.update(PROMPTS[0], [-5, 99])  # ranks forced into 0..k-1
    assert stepper.picks == [0, 4] and clamped.html
    monkeypatch.setattr(D, "MAX_NEW_TOKENS", 3)
    limit = D.Stepper(tokenizer, model).update(PROMPTS[0], [0] * 10)
    assert "3 new tokens, the stepper's limit" in limit.message


def test_end_of_text_stops_the_stepper(smol):
    tokenizer, model = smol
    stepper = D.Stepper(tokenizer, model)
    stepper.eos = {tokenizer.convert_tokens_to_ids("ĠParis")}  # pretend " Paris" ends
    view = stepper.update(PROMPTS[0], [0, 0, 0])
    assert stepper.finished and len(stepper.taken) == 1
    assert "its end of text: it stops here" in view.message
    assert "most likely next tokens" not in view.html
    view = stepper.update(PROMPTS[0], [])  # back out of the end
    assert not stepper.finished and "Step 1" in view.html


def test_shown_makes_whitespace_and_byte_pieces_visible():
    assert D.shown(" a\nb\ufffd") == "␣a⏎b▯"


def stepper_parts(box):
    """(text box, greedy ×1, greedy ×10, back, reset, candidates, output)."""
    text, (greedy1, greedy10, back, reset) = box.children[0], box.children[1].children
    return (
        text,
        greedy1,
        greedy10,
        back,
        reset,
        box.children[2].children[1:],
        box.children[3],
    )


def test_widget_buttons_step_and_go_back(smol):
    tokenizer, model = smol
    box = D.show_stepper(D.Stepper(tokenizer, model), PROMPTS[0])
    text, greedy1, _greedy10, back, reset, candidates, out = stepper_parts(box)
    start = out.value
    assert candidates[0].description.startswith("␣Paris")
    greedy1.click()
    assert "Step 2" in out.value and out.value != start
    candidates[2].click()
    assert "Step 3" in out.value and "#fde2b8" in out.value
    back.click()
    back.click()
    assert out.value == start
    text.value = "Once upon a time"
    assert "Once upon a time" in out.value and "Step 1" in out.value
    greedy1.click()
    reset.click()
    assert "Step 1" in out.value


def test_a_click_right_after_typing_acts_on_the_typed_prompt(smol):
    """Typing applies after a pause; a click before it first applies the new
    prompt, then does what its label says (one token), not only the reset."""
    import asyncio

    tokenizer, model = smol

    async def type_then_click() -> tuple[str, str]:
        box = D.show_stepper(D.Stepper(tokenizer, model), PROMPTS[0], steps=2)
        text, greedy1, *_, out = stepper_parts(box)
        text.value = "Once upon a time"  # the pause has not passed yet
        before = out.value
        greedy1.click()
        await asyncio.sleep(D.TYPING_PAUSE_S + 0.2)  # the pending apply is a no-op
        return before, out.value

    before, after = asyncio.run(type_then_click())
    assert "Step 3" in before and "France" in before  # typing alone waits
    assert "Once upon a time" in after and "Step 2" in after and "France" not in after


def test_typing_applies_by_itself_after_a_pause(smol):
    import asyncio

    tokenizer, model = smol

    async def type_and_wait() -> str:
        box = D.show_stepper(D.Stepper(tokenizer, model), PROMPTS[0], steps=1)
        text, *_, out = stepper_parts(box)
        for prefix in ("O", "Once", "Once upon"):  # a burst of keystrokes
            text.value = prefix
        await asyncio.sleep(D.TYPING_PAUSE_S + 0.3)
        return out.value

    value = asyncio.run(type_and_wait())
    assert "Once upon" in value and "Step 1" in value


def test_the_chat_end_token_is_explained_when_offered(smol):
    tokenizer, model = smol
    stepper = D.Stepper(tokenizer, model)
    view = stepper.update("The capital of France is Paris.", [])
    assert "<|im_end|>" in [c.text for c in stepper.options[-1]]  # offered ...
    assert "ends a turn" in view.html  # ... and explained
    assert "ends a turn" not in stepper.update(PROMPTS[0], []).html


def test_the_notebook_names_choices_the_stepper_offers(smol):
    """Lesson 6 asks the reader to take one token instead of another at the
    widget's first step: both must be among the candidates there, the second
    the model's first choice."""
    import json
    import re

    from tests.claims import REPO

    nb = json.loads(
        (REPO / "notebooks/part1_background/06_transformer.ipynb").read_text()
    )
    cells = {c["id"]: "".join(c["source"]) for c in nb["cells"]}
    take, instead = re.search(
        r'take "(\S+)" instead of "(\S+)"', cells["178bfbf8"]
    ).groups()
    call = re.search(
        r'show_stepper\(stepper, "([^"]+)", steps=(\d+)\)', cells["0c476b65"]
    )
    prompt, steps = call.group(1), int(call.group(2))
    tokenizer, model = smol
    stepper = D.Stepper(tokenizer, model)
    stepper.update(prompt, [0] * steps)
    offered = [D.shown(c.text) for c in stepper.options[-1]]
    assert offered[0] == instead and take in offered[1:], offered
