"""Part 1's race, run fairly: the three neural translators at equal training
time on this machine, over three seeds; then the deck's note that "an RNN can
still win" tried on little data and on the cost of writing one word.

    python scripts/bench.py --only race      (about 35 minutes on 2 cores)

Equal time is set from interleaved step timings (each model's steps measured
in turns, medians), so the step counts do not depend on what else the machine
was doing while the models trained. The figures land in
benchmarks/race.json, which lesson 6 reads, and in RESULTS.md.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import time
from pathlib import Path

import torch

from utils.bleu import bleu_by_bucket
from utils.data.grammar import make_splits
from utils.runtime import seed_everything
from utils.tasks import translation
from utils.training import make_step

REPO = Path(__file__).resolve().parents[1]
RACE_JSON = REPO / "benchmarks" / "race.json"
SEEDS = (0, 1, 2)
NAMES = ("gru_seq2seq", "gru_attention_seq2seq", "transformer_seq2seq")
PACE = "transformer_seq2seq"  # the budget: this recipe's own steps
SMALL = (500, 2_000)  # training pairs for the little-data race
SMALL_NAMES = ("gru_attention_seq2seq", "transformer_seq2seq")


def recipe(name: str, seed: int = 0, steps: int | None = None, pairs=None):
    """The lesson's recipe `name`, with another seed, step count or training set."""
    r = translation.RECIPES[name]
    train = dataclasses.replace(r.train, n_steps=steps or r.train.n_steps)
    return dataclasses.replace(r, seed=seed, train=train, train_pairs=pairs)


def step_ms(names=NAMES, rounds: int = 5, steps: int = 10) -> dict[str, float]:
    """Median milliseconds per training step of each recipe, the models'
    steps taken in turns (`rounds` rounds of `steps` steps) so that a change of
    machine speed hits them all alike."""
    vocabs = translation.vocabularies()
    steppers, times = {}, {n: [] for n in names}
    for name in names:
        r = recipe(name)
        seed_everything(0)
        model = translation.build_model(r, *vocabs)
        batches = translation.training_batches(r, torch.device("cpu"))
        opt = torch.optim.Adam(model.parameters(), lr=r.train.lr)
        steppers[name] = make_step(model, batches, translation.batch_loss, opt, 1.0)
        for i in range(3):  # warm-up
            steppers[name](i)
    for _ in range(rounds):
        for name in names:
            start = time.perf_counter()
            for i in range(steps):
                steppers[name](i)
            times[name].append(1000 * (time.perf_counter() - start) / steps)
    return {n: statistics.median(t) for n, t in times.items()}


def equal_time_steps(ms: dict[str, float]) -> dict[str, int]:
    """Steps for each recipe in the time of the pace recipe's own steps,
    rounded to the nearest 50."""
    budget = ms[PACE] * translation.RECIPES[PACE].train.n_steps
    return {n: max(50, round(budget / t / 50) * 50) for n, t in ms.items()}


def recorded(name: str, seed: int, steps: int) -> dict | None:
    """The run of the lesson's own recipe with this seed that
    scripts/measure_claims.py already trained here (benchmarks/claims_spread.json,
    label "default"): the same model, so it is not trained again. None when
    the steps are not the recipe's, or no such run is recorded."""
    from tests.claims import BUCKETS, RECIPE, SPREAD

    model = {v: k for k, v in RECIPE.items()}[name]
    if steps != translation.RECIPES[name].train.n_steps or not SPREAD.exists():
        return None
    runs = json.loads(SPREAD.read_text(encoding="utf-8"))["runs"]
    for r in runs:
        if (r["label"], r["seed"]) == ("default", seed):
            m = r["metrics"]
            return {
                "name": name,
                "seed": seed,
                "steps": steps,
                "pairs": len(make_splits().train),
                "seconds": None,  # trained by measure_claims.py
                "valid_loss": round(m[f"{model}/valid_loss"], 4),
                "bleu": {b: round(m[f"{model}/bleu/{b}"], 2) for b in BUCKETS},
                "from": "claims_spread.json",
            }
    return None


def run(name: str, seed: int, steps: int, pairs: int | None = None) -> dict:
    """Train one model from scratch; its BLEU by bucket on the 400 test
    sentences, its last validation loss and its training seconds."""
    r = recipe(name, seed, steps, pairs)
    vocabs = translation.vocabularies()
    start = time.perf_counter()
    seed_everything(seed)
    model = translation.build_model(r, *vocabs)
    history = translation.fit(model, r)
    seconds = time.perf_counter() - start
    test = make_splits().test
    src, ref = [p.en for p in test], [p.de for p in test]
    bleu = bleu_by_bucket(translation.translate(model, *vocabs, src), ref, src)
    return {
        "name": name,
        "seed": seed,
        "steps": steps,
        "pairs": pairs or len(make_splits().train),
        "seconds": round(seconds, 1),
        "valid_loss": round(history.valid[-1], 4),
        "bleu": {k: round(v, 2) for k, v in bleu.items()},
    }


@torch.no_grad()
def ms_per_word(name: str, lengths=(10, 25, 50, 120), repeats: int = 5) -> dict:
    """Milliseconds per written word for one sentence (batch 1), untrained
    weights (the cost does not depend on them): the decoder forced to write
    `n` words, for each n in `lengths`. The GRU's step costs the same at every
    position; our transformer reruns its decoder on the whole prefix."""
    r = recipe(name)
    vocabs = translation.vocabularies()
    seed_everything(0)
    model = translation.build_model(r, *vocabs).eval()
    src = torch.tensor([vocabs[0].encode("the man buys the cake .")])
    out = {}
    step = model.begin(src)
    for _ in range(5):  # warm-up: the first calls pay for allocations
        step(torch.tensor([translation.BOS_ID]))
    for n in lengths:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            step = model.begin(src)
            prev = torch.tensor([translation.BOS_ID])
            for _ in range(n):
                logits, _ = step(prev)
                prev = logits.argmax(-1)
            best = min(best, time.perf_counter() - start)
        out[str(n)] = round(1000 * best / n, 2)
    return out


def measure(
    ms: dict[str, float] | None = None,
    done: dict | None = None,
    small_seeds=SEEDS,
    parts=("race", "small", "ms_per_word"),
    out: Path = RACE_JSON,
) -> dict:
    """Everything above (or the `parts` named), saved to `out` after each run
    (a long job; the runs already in `done`, a saved result, are kept)."""
    ms = ms or step_ms()
    result = {"ms_per_step": ms, "steps": equal_time_steps(ms), "race": [], "small": []}
    result.update(done or {})
    steps = result["steps"]
    print("ms per step", ms, "steps", steps, flush=True)
    jobs = [("race", n, s, None) for n in NAMES for s in SEEDS]
    jobs += [
        ("small", n, s, p) for s in small_seeds for p in SMALL for n in SMALL_NAMES
    ]
    for part, name, seed, pairs in jobs:
        key = (name, seed, steps[name], pairs or len(make_splits().train))
        done_keys = [
            (r["name"], r["seed"], r["steps"], r["pairs"]) for r in result[part]
        ]
        if part not in parts or key in done_keys:
            continue
        again = recorded(name, seed, steps[name]) if part == "race" else None
        result[part].append(again or run(name, seed, steps[name], pairs))
        print(result[part][-1], flush=True)
        out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if "ms_per_word" in parts:
        result.update(latency_fields())
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def latency_fields() -> dict:
    """Milliseconds per written word for the three models, and where and when
    they were measured (timings need a quiet machine: run nothing beside it)."""
    from scripts.bench import machine

    day = time.strftime("%Y-%m-%d")
    where = machine()[0].removeprefix("- ")
    return {
        "ms_per_word": {n: ms_per_word(n) for n in NAMES},
        "ms_per_word_measured": f"{day}, {where}",
    }


def measure_latency(out: Path = RACE_JSON) -> dict:
    """Measure only the per-word timing again, keeping the saved runs."""
    result = json.loads(out.read_text(encoding="utf-8"))
    result.update(latency_fields())
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def table(rows: dict[str, dict], ms: dict[str, float]) -> list[str]:
    """Markdown rows of BLEU mean ± sd per bucket, steps and the time they cost."""
    from utils.tasks.translation_views import RACE_LABELS, mean_sd

    names = {v: k for k, v in RACE_LABELS.items()}
    buckets = list(next(iter(rows.values()))["mean"])
    out = [
        "| system | training pairs | steps | time at the measured step (s) | "
        + " | ".join(f"BLEU {b}" for b in buckets)
        + " |",
        "|---|---:|---:|---:|" + "---:|" * len(buckets),
    ]
    for label, r in rows.items():
        secs = r["steps"] * ms[names[label]] / 1000
        cells = " | ".join(mean_sd(r, b) for b in buckets)
        out.append(
            f"| {label} | {r['pairs']:,} | {r['steps']:,} | {secs:.0f} | {cells} |"
        )
    return out


def section(result: dict) -> list[str]:
    """RESULTS.md's race section, from a saved result."""
    from utils.tasks.translation_views import RACE_LABELS, race_rows

    ms, seeds = result["ms_per_step"], sorted({r["seed"] for r in result["race"]})
    steps = ", ".join(f"{RACE_LABELS[n]} {t:.0f} ms" for n, t in ms.items())
    lines = [
        "## The race at equal training time",
        "",
        (
            "Lesson 6's race again, with each model trained for as long as the transformer's "
            f"1,200 steps take here: milliseconds per step measured in turns ({steps}; "
            f"medians of 5 rounds of 10 steps), steps rounded to 50. Model seeds "
            f"{', '.join(map(str, seeds))}, BLEU mean ± sd on the 400 test sentences "
            "(`python scripts/bench.py --only race`; lesson 6 reads benchmarks/race.json)."
        ),
        "",
        *table(race_rows(result["race"]), ms),
    ]
    for pairs in SMALL:
        rows = race_rows(result["small"], pairs)
        if rows:
            lines += [
                "",
                f"With only the first {pairs:,} training pairs (same steps):",
                "",
            ]
            lines += table(rows, ms)
    if "ms_per_word" in result:
        lengths = list(next(iter(result["ms_per_word"].values())))
        lines += [
            "",
            (
                "Writing one word, batch 1 (milliseconds per word when the decoder is made "
                "to write n words; best of 5): the GRU's step costs the same at every "
                "length, our transformer reruns its decoder on the whole prefix (no "
                "key/value cache). Measured on "
                f"{result.get('ms_per_word_measured', 'an unrecorded machine')}, "
                "with nothing else running (`python scripts/bench.py --only "
                "race-latency` measures it again alone)."
            ),
            "",
            "| model | " + " | ".join(f"n = {n}" for n in lengths) + " |",
            "|---|" + "---:|" * len(lengths),
        ]
        for name, row in result["ms_per_word"].items():
            lines.append(
                f"| {RACE_LABELS[name]} | "
                + " | ".join(f"{row[n]:.2f}" for n in lengths)
                + " |"
            )
    if result.get("note"):  # how the runs were measured (race.json's "note")
        lines += ["", result["note"]]
    return lines
