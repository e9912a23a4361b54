"""Lesson 2.2's figures for `make bench`: the small GPT against nanoGPT's CPU
recipe at equal training time, the ablation of the speed-ups, the samplers'
statistical checks, the KV cache, and the sampling widget's latency.

Run alone with `python scripts/bench.py --only gpt` (it rewrites only its own
section of benchmarks/RESULTS.md).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

import torch

from utils.runtime import seed_everything
from utils.sampling import generate, sampler
from utils.tasks import shakespeare as S
from utils.transformer import GPT


def train_fresh(recipe: S.GPTRecipe, device: torch.device | None = None) -> dict:
    """Train `recipe` from scratch (no model cache) on `device` (the CPU by
    default); time it; score it on the whole validation split."""
    seed_everything(recipe.seed)
    model = S.build_model(recipe).to(device or torch.device("cpu"))
    start = time.perf_counter()
    S.fit(model, recipe, live=False, valid_points=1)
    seconds = time.perf_counter() - start
    c = recipe.train
    tokens = c.n_steps * c.batch_size * recipe.model.context
    return {
        "valid": S.valid_loss(model),
        "seconds": seconds,
        "tokens_per_s": tokens / seconds,
        "params": sum(p.numel() for p in model.parameters()),
        "model": model,
    }


def describe(recipe: S.GPTRecipe) -> str:
    m, t = recipe.model, recipe.train
    options = [{"rope": "rotary"}.get(m.positions, m.positions), m.activation]
    options += [x for x, on in (("QK-norm", m.qk_norm), ("tied", m.tied),
                                ("zero-init", m.zero_init)) if on]  # fmt: skip
    options.append("fused attention" if m.fused else "lesson 5's attention")
    return (
        f"{m.n_layers}L {m.n_heads}H w{m.d_model} ctx{m.context}, "
        f"{', '.join(options)}; batch {t.batch_size}, {t.n_steps:,} steps, lr {t.lr:g}"
    )


def changed(recipe: S.GPTRecipe, train: dict | None = None, **model) -> S.GPTRecipe:
    """`recipe` with some model options and training settings replaced."""
    return replace(recipe, model=replace(recipe.model, **model),
                   train=replace(recipe.train, **(train or {})))  # fmt: skip


# The lesson's recipe without each of its changes, then with each trick it
# does not use: what every change is worth at (about) the same time.
ABLATIONS = {
    "lesson, sinusoidal positions instead of rotary": {"positions": "sinusoidal"},
    "lesson, nanoGPT's context 64 and batch 12": {
        "context": 64,
        "train": {"batch_size": 12},
    },
    "lesson, nanoGPT's learning rate 1e-3": {"train": {"lr": 1e-3}},
    "lesson with lesson 5's attention instead of the fused kernel": {"fused": False},
    "lesson + ReLU²": {"activation": "relu2"},
    "lesson + QK-norm": {"qk_norm": True},
    "lesson + zero-initialised projections": {"zero_init": True},
    "lesson + tied embeddings": {"tied": True},
}


def bench_pretraining() -> list[str]:
    """The baseline and the lesson's recipe, trained one after the other."""
    base, lesson = S.RECIPES["nanogpt_cpu"], S.RECIPES["lesson"]
    runs = {"nanoGPT's CPU recipe (our GPT)": (base, train_fresh(base))}
    runs["the lesson's recipe"] = (lesson, train_fresh(lesson))
    rows = table(runs, runs["nanoGPT's CPU recipe (our GPT)"][1]["seconds"])
    ratio = step_time_ratio(base, lesson)
    return rows + [
        "",
        (
            f"Machines of this kind also change speed from minute to minute, so the time ratio "
            f"was measured once more with the two recipes' steps interleaved (20 steps each, "
            f"5 rounds, medians): the lesson's {lesson.train.n_steps:,} steps take "
            f"{ratio:.2f} times as long as the baseline's {base.train.n_steps:,}."
        ),
    ]


def bench_ablation() -> list[str]:
    """The lesson's recipe without each of its changes, and with each trick
    it leaves out; times relative to the lesson's own run."""
    lesson = S.RECIPES["lesson"]
    runs = {"the lesson's recipe": (lesson, train_fresh(lesson))}
    for name, change in ABLATIONS.items():
        recipe = changed(lesson, **change)
        runs[name] = (recipe, train_fresh(recipe))
    return table(runs, runs["the lesson's recipe"][1]["seconds"], "time / lesson")


def table(runs: dict, t0: float, ratio: str = "time / baseline") -> list[str]:
    rows = [
        f"| run | config | validation loss (nats/char) | training (s) | {ratio} | tokens/s | parameters |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, (recipe, r) in runs.items():
        rows.append(
            f"| {name} | {describe(recipe)} | {r['valid']:.3f} | {r['seconds']:.0f} | "
            f"{r['seconds'] / t0:.2f} | {r['tokens_per_s']:,.0f} | {r['params']:,} |"
        )
        print(rows[-1], flush=True)
    return rows


def step_time_ratio(base: S.GPTRecipe, lesson: S.GPTRecipe, rounds: int = 5) -> float:
    """(lesson's whole training time) / (baseline's), from per-step times
    measured alternately, so that a machine slowing down hits both alike."""
    runs = {}
    for recipe in (base, lesson):
        seed_everything(0)
        model = S.build_model(recipe)
        c = recipe.train
        batches = S.random_batches(
            S.corpus().train, recipe.model.context, c.batch_size, 0
        )
        opt = S.optimizer_for(model, c)
        runs[recipe.name] = (model, opt, batches, [])
    for _ in range(rounds):
        for model, opt, batches, times in runs.values():
            for i in range(25):
                if i == 5:
                    start = time.perf_counter()
                loss = S.lm_loss(model, next(batches))
                opt.zero_grad()
                loss.backward()
                opt.step()
            times.append((time.perf_counter() - start) / 20)
    per_step = {name: statistics.median(r[3]) for name, r in runs.items()}
    return (per_step[lesson.name] * lesson.train.n_steps) / (
        per_step[base.name] * base.train.n_steps
    )


# --- samplers ---------------------------------------------------------------------


def bench_samplers(n: int = 10_000) -> list[str]:
    """The largest gap between a sampler's frequencies and its law, in
    binomial standard deviations, over 10,000 draws."""
    probs = torch.tensor([0.5, 0.3, 0.15, 0.05])
    logits = probs.log()
    laws = {
        "temperature 0.5": ({"temperature": 0.5}, probs**2 / (probs**2).sum()),
        "temperature 2": ({"temperature": 2.0}, probs**0.5 / (probs**0.5).sum()),
        "top-k 2": ({"top_k": 2}, torch.tensor([0.625, 0.375, 0, 0])),
        "top-p 0.7": ({"top_p": 0.7}, torch.tensor([0.625, 0.375, 0, 0])),
        "top-p 0.9": ({"top_p": 0.9}, torch.tensor([0.5, 0.3, 0.15, 0]) / 0.95),
    }
    rows = [
        "| sampler | law | frequencies (10,000 draws) | largest gap (sd) | never drawn outside |",
        "|---|---|---|---:|---|",
    ]
    for name, (how, law) in laws.items():
        pick = sampler(generator=torch.Generator().manual_seed(0), **how)
        freq = torch.bincount(pick(logits.expand(n, -1)), minlength=4).float() / n
        sd = (law * (1 - law) / n).sqrt()
        live = law > 0
        gap = ((freq - law).abs()[live] / sd[live]).max().item()
        outside = "yes" if freq[~live].sum() == 0 else "NO"
        rows.append(
            f"| {name} | {', '.join(f'{x:.3f}' for x in law.tolist())} | "
            f"{', '.join(f'{x:.3f}' for x in freq.tolist())} | {gap:.2f} | {outside} |"
        )
    return rows


# --- the KV cache -------------------------------------------------------------------


def bench_kv_cache(new_tokens: int = 256, prompt_len: int = 16) -> list[str]:
    """Time to generate `new_tokens` greedily with and without the cache, on
    the lesson's architecture with a context long enough to hold them all."""
    lesson = S.RECIPES["lesson"].model
    config = replace(lesson, context=prompt_len + new_tokens)
    torch.manual_seed(0)
    model = GPT(len(S.corpus().vocab), config).eval()
    prompt = S.corpus().vocab.encode("ROMEO:\nWhat light")[:prompt_len]
    results = {}
    for cache in (False, True):
        generate(model, prompt, 8, cache=cache)  # warm-up
        times = []
        for _ in range(3):
            start = time.perf_counter()
            out = generate(model, prompt, new_tokens, cache=cache)
            times.append(time.perf_counter() - start)
        results[cache] = (min(times), out)
    same = results[True][1] == results[False][1]
    c = config
    positions = prompt_len + new_tokens
    computed = 2 * c.n_layers * positions * c.d_model * 4  # K and V, fp32
    from utils.attention import KVCache

    caches = [KVCache() for _ in model.blocks]
    ids = torch.tensor([prompt + results[True][1]])
    with torch.no_grad():
        model(ids, caches)
    measured = sum(x.nbytes() for x in caches)
    slow, fast = results[False][0], results[True][0]
    return [
        "| generation | time for 256 new tokens (s) | ms per token | speed-up | same tokens |",
        "|---|---:|---:|---:|---|",
        f"| without the cache (whole prefix each step) | {slow:.2f} | {1000 * slow / new_tokens:.1f} | 1.00 | - |",
        f"| with the KV cache | {fast:.2f} | {1000 * fast / new_tokens:.1f} | {slow / fast:.2f} | {same} |",
        "",
        (
            f"Cache memory at {positions} positions: computed 2 x {c.n_layers} layers x {positions} "
            f"positions x {c.d_model} x 4 bytes = {computed:,} bytes; measured (the cache's "
            f"tensors) {measured:,} bytes."
        ),
    ]


def bench_sampling_widget() -> list[str]:
    from scripts.bench import latency
    from utils.sampling_view import make_sampling_update

    model, vocab, _, _ = S.load_or_train("lesson")
    update = make_sampling_update(model, vocab.encode, vocab.decode, len(vocab), 24)
    inputs = [
        {"prompt": p, "temperature": t, "top_k": k, "top_p": q}
        for p, t, k, q in (("ROMEO:\n", 0.8, 0, 0.9), ("ROMEO:\n", 1.5, 10, 1.0),
                           ("To be, or not", 0.5, 0, 1.0))
    ]  # fmt: skip
    median, p95 = latency(update, inputs)
    rows = ["| widget | median (ms) | p95 (ms) | calls |", "|---|---:|---:|---:|"]
    rows.append(
        f"| lesson 2.2: sampling widget (our GPT, 24-character sample) | {median:.1f} | {p95:.1f} | 50 |"
    )
    from utils import gpt_playground as P

    times = []
    for settings in ({"n_layers": 4, "n_heads": 4, "d_model": 128, "context": 128},
                     {"n_layers": 4, "n_heads": 4, "d_model": 128, "context": 16}):  # fmt: skip
        config, _ = P.settings(**settings)
        start = time.perf_counter()
        P.view(P.train_small(config), None)
        times.append(time.perf_counter() - start)
    rows.append(
        f"| lesson 2.2: retrain playground, largest settings (train + view) | "
        f"{1000 * statistics.median(times):.0f} | {1000 * max(times):.0f} | 2 |"
    )
    return rows
