"""Measure the course and write benchmarks/RESULTS.md (`make bench`, not part of CI).

- notebooks: wall time and the kernel's peak memory (RSS), each executed headless
  from a clean kernel, offline;
- widgets: median and p95 latency of each widget's `update`, drawing included;
- model quality: BLEU on the held-out test set at fixed training steps, over
  3 data seeds, with parameter counts and training time.

Timings live here, never as assertions in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OUT = REPO / "benchmarks" / "RESULTS.md"
SEEDS = (0, 1, 2)
COST_FIGURE = REPO / "benchmarks" / "attention_vs_gru.png"
COST_TITLE = "Forward + backward, one layer"


def installed(package: str) -> str:
    """A package's version, or "not installed"."""
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    import torch

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )  # fmt: skip
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    libs = ", ".join(
        f"{p} {installed(p)}"
        for p in ("torch", "transformers", "tokenizers", "gensim", "numpy")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; torch threads: {torch.get_num_threads()}; GPU: {gpu}",
        f"- memory: {psutil.virtual_memory().total / 2**30:.0f} GiB; Python {platform.python_version()}",
        f"- libraries: {libs}",
    ]


def run_notebook(
    path: Path, cache: Path | None = None, out: Path | None = None, allow_errors=False
) -> dict:
    """Execute a copy of one notebook, unchanged, in a fresh kernel, offline:
    its seconds, the kernel's peak memory (RSS, GiB) and each code cell's time
    and errors. `cache` moves the model cache; `out` keeps the executed copy;
    `allow_errors` runs every cell even after an error (bench_cuda)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    paths = [
        str(REPO),
        str(REPO / "tests" / "offline"),
        os.environ.get("PYTHONPATH", ""),
    ]
    os.environ.update(
        PYTHONPATH=os.pathsep.join(paths), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1"
    )
    if cache is not None:
        os.environ["COURSE_MODEL_CACHE"] = str(cache)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                            allow_errors=allow_errors, record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})  # fmt: skip
    peak, done = 0, threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                kernels = [
                    c
                    for c in psutil.Process().children(recursive=True)
                    if "ipykernel" in " ".join(c.cmdline())
                ]
                peak = max([peak] + [k.memory_info().rss for k in kernels])
            except psutil.Error:
                pass
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as err:
        raise SystemExit(f"bench stopped: {path.name} failed to execute") from err
    finally:
        done.set()
        watcher.join()
    seconds = time.perf_counter() - start
    if out is not None:
        nbformat.write(nb, out / f"executed_{path.name}")
    return {"seconds": seconds, "peak_gib": peak / 2**30, "cells": cell_records(nb)}


def cell_records(nb) -> list[dict]:
    """Each code cell's index, first line, time (s), errors, and whether it trains."""
    cells = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        timing = cell.metadata.get("execution", {})
        t0, t1 = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        seconds = None
        if t0 and t1:
            seconds = (
                datetime.fromisoformat(t1) - datetime.fromisoformat(t0)
            ).total_seconds()
        errors = [
            f"{o['ename']}: {o['evalue'].splitlines()[0] if o['evalue'] else ''}"
            for o in cell.get("outputs", [])
            if o["output_type"] == "error"
        ]
        lines = [ln for ln in cell.source.splitlines() if not ln.startswith("#")]
        lines = [ln for ln in lines if "load_or_train" in ln] or lines
        cells.append(
            {
                "index": i,
                "first_line": (lines or [""])[0][:80],
                "trains": "load_or_train" in cell.source,
                "seconds": seconds,
                "errors": errors,
            }
        )
    return cells


def bench_notebooks() -> list[str]:
    rows = ["| notebook | time (s) | peak kernel memory (GiB) |", "|---|---:|---:|"]
    total = 0.0
    peaks = []
    for path in sorted((REPO / "notebooks").rglob("*.ipynb")):
        run = run_notebook(path)
        seconds, gib = run["seconds"], run["peak_gib"]
        total += seconds
        peaks.append(gib)
        rows.append(
            f"| {path.relative_to(REPO / 'notebooks')} | {seconds:.0f} | {gib:.2f} |"
        )
        print(rows[-1], flush=True)
    rows.append(f"| **whole course** | **{total:.0f}** | **{max(peaks):.2f}** (max) |")
    return rows


def latency(update, inputs: list[dict], n: int = 50) -> tuple[float, float]:
    """(median, p95) in ms over n calls, cycling through inputs, after one warm-up."""
    update(**inputs[0])
    times = []
    for i in range(n):
        start = time.perf_counter()
        update(**inputs[i % len(inputs)])
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return statistics.median(times), times[int(0.95 * (n - 1))]


def bench_widgets() -> list[str]:
    from utils import assets, minilm, ngram_view, tokenization, vector_explorer

    cases = {
        "lesson 1: translation (word by word vs phrase table)": (
            ngram_view.update,
            [{"text": t} for t in ("Today the man calls the woman.", "The children give the dog a big apple.",
                                   "My colleagues hope that the clever pig waits.")],
        ),
        "lesson 2: embedding explorer (GloVe, 50k search space)": (
            vector_explorer.Explorer({"GloVe 6B 50d": (assets.load_glove(), 50_000)}).update,
            [{"words": w, "analogy": a, "model": "GloVe 6B 50d"}
             for w, a in (("cake, dog, car, paris", "king - man + woman"), ("hot, cold, warm", ""),
                          ("bank, river, money", "paris - france + italy"))],
        ),
        "lesson 4: tokenizer explorer (4 tokenizers)": (
            tokenization.update,
            [{"text": t} for t in ("let's talk about bpe", "Kuchen kostet 12,50 € 🎂",
                                   "def f(x):\n    return x ** 2")],
        ),
        "lesson 5: attention explorer (MiniLM, same sentence)": (
            minilm.update,
            [{"layer": layer, "head": head, "query": 10, "scale": scale, "causal": causal}
             for layer, head, scale, causal in ((5, 11, True, False), (3, 1, False, False), (0, 6, True, True))],
        ),
    }  # fmt: skip
    from utils.tasks.translation import load_or_train
    from utils.tasks.translation_views import make_stepper_update

    model, vocabs, _, _ = load_or_train("transformer_seq2seq")
    cases["lesson 6: translation stepper (our transformer, top 3)"] = (
        make_stepper_update(model, *vocabs),
        [{"sentence": s, "step": step, "choice": choice}
         for s, step, choice in (("The man buys the cake.", 1, "2nd"),
                                 ("My sister reads a book today.", 3, "greedy (1st)"),
                                 ("The children give the dog a big apple.", 5, "3rd"))],
    )  # fmt: skip
    rows = ["| widget | median (ms) | p95 (ms) | calls |", "|---|---:|---:|---:|"]
    for name, (update, inputs) in cases.items():
        median, p95 = latency(update, inputs)
        rows.append(f"| {name} | {median:.1f} | {p95:.1f} | 50 |")
        print(rows[-1], flush=True)
    median, p95 = smollm2_step_latency()
    rows.append(
        f"| lesson 6: SmolLM2 stepper, one click = one KV-cached step | {median:.1f} | {p95:.1f} | 50 |"
    )
    print(rows[-1], flush=True)
    return rows


def smollm2_step_latency(n: int = 50) -> tuple[float, float]:
    """(median, p95) in ms of the SmolLM2 stepper's update when one more token
    is taken (what a click does): one model step with the KV cache + the view."""
    from utils import assets, decoding

    stepper = decoding.Stepper(*assets.load_smollm2())
    prompt = "Once upon a time, in a small village by the sea, there lived"
    stepper.update("A warm-up prompt.", [0, 0])
    picks: list[int] = []
    stepper.update(prompt, picks)  # the prefill is not a click
    times = []
    for i in range(n):
        picks.append(i % 2)  # alternate the best and the second-best token
        start = time.perf_counter()
        stepper.update(prompt, picks)
        times.append(1000 * (time.perf_counter() - start))
    assert not stepper.finished, "the stepper stopped early: timings would be too low"
    times.sort()
    return statistics.median(times), times[int(0.95 * (n - 1))]


def mean_sd(values: list[float]) -> str:
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"


BUCKETS = ["all", "3-7", "8-12", "13-17", "18-25"]


def bleu_header(steps: bool = False) -> list[str]:
    """The two header lines of a BLEU table (one column per length bucket)."""
    first = "| system | steps | " if steps else "| system | "
    return [
        first
        + " | ".join(f"BLEU {b}" for b in BUCKETS)
        + " | parameters | training (s) |",
        "|---|" + "---:|" * (len(BUCKETS) + 2 + steps),
    ]


def bench_quality() -> list[str]:
    from utils import ngram
    from utils.bleu import bleu_by_bucket
    from utils.data.grammar import make_splits

    systems: dict[str, dict] = {"word by word": {}, "phrase table": {}}
    for seed in SEEDS:
        test = make_splits(seed).test
        src, ref = [p.en for p in test], [p.de for p in test]
        start = time.perf_counter()
        translator = ngram.baseline(seed)
        train_s = time.perf_counter() - start
        for name, translate, secs in (
            ("word by word", ngram.word_by_word, 0.0),
            ("phrase table", translator.translate, train_s),
        ):
            scores = bleu_by_bucket([translate(s) for s in src], ref, src)
            row = systems[name]
            for key, value in scores.items():
                row.setdefault(key, []).append(value)
            row.setdefault("seconds", []).append(secs)
            row["params"] = (
                "-"
                if name == "word by word"
                else f"{len(translator.table):,} phrase pairs"
            )
    rows = bleu_header()
    for name, row in systems.items():
        cells = " | ".join(mean_sd(row[b]) for b in BUCKETS)
        rows.append(
            f"| {name} | {cells} | {row['params']} | {statistics.mean(row['seconds']):.1f} |"
        )
        print(rows[-1], flush=True)
    return rows


def translators() -> dict:
    """The three neural translators by their table label: the lessons' own
    recipes, from the one registry in utils.tasks.translation."""
    from utils.tasks.translation import RECIPES

    return {r.label: r for r in RECIPES.values()}


def train_once(name: str, seed: int, device=None, n_steps: int | None = None) -> dict:
    """Train one translator from scratch (on `device`, default `get_device()`)
    with the lesson's code: its seconds, steps and parameters, and its BLEU by
    bucket on the 400 test sentences when trained for the lesson's step count."""
    import dataclasses

    import torch

    from utils.bleu import bleu_by_bucket
    from utils.data.grammar import make_splits
    from utils.runtime import get_device, seed_everything
    from utils.tasks import translation

    device = device or get_device()
    recipe = translators()[name]
    steps = n_steps or recipe.train.n_steps
    recipe = dataclasses.replace(
        recipe, seed=seed, train=dataclasses.replace(recipe.train, n_steps=steps)
    )
    vocabs = translation.vocabularies(recipe.lowercase_source)
    seed_everything(seed)
    model = translation.build_model(recipe, *vocabs).to(device)
    start = time.perf_counter()
    translation.fit(model, recipe)
    if device.type == "cuda":
        torch.cuda.synchronize()
    row = {
        "seed": seed,
        "steps": steps,
        "seconds": time.perf_counter() - start,
        "params": sum(p.numel() for p in model.parameters()),
    }
    if n_steps is None:
        test = make_splits().test
        src, ref = [p.en for p in test], [p.de for p in test]
        hyps = translation.translate(model, *vocabs, src)
        row["bleu"] = bleu_by_bucket(hyps, ref, src)
    return row


def bench_neural() -> list[str]:
    """Lesson 3's GRUs and lesson 6's transformer: trained from scratch here
    (not from the model cache) with model seeds 0, 1, 2 on the course's split,
    at the lessons' fixed step counts; BLEU on its 400 test sentences."""
    rows = bleu_header(steps=True)
    for name in translators():
        runs = [train_once(name, seed) for seed in SEEDS]
        cells = " | ".join(mean_sd([r["bleu"][b] for r in runs]) for b in BUCKETS)
        seconds = statistics.median(r["seconds"] for r in runs)
        rows.append(
            f"| {name} | {runs[0]['steps']:,} | {cells} | {runs[0]['params']:,} | "
            f"{seconds:.0f} |"
        )
        print(rows[-1], flush=True)
    return rows


def bench_cost_times(device=None) -> dict:
    """Seconds per forward + backward pass of one attention layer and of the
    GRU, N = 16 to 4,096 (keys are strings, so the dict survives JSON)."""
    from utils.cost import time_attention, time_rnn_step

    lengths = [16, 64, 256, 1024, 2048, 4096]
    attn = time_attention(lengths, d_model=64, n_heads=2, repeats=3, device=device)
    gru = time_rnn_step(
        lengths, batch_size=1, d_emb=64, d_hidden=64, repeats=2, device=device
    )
    return {
        "lengths": lengths,
        "attention": {str(n): t for n, t in attn.items()},
        "gru": {str(n): t for n, t in gru.items()},
    }


def bench_cost() -> list[str]:
    """Attention against the GRU, time per forward + backward pass, N = 16 to
    4,096 (lesson 6's measurement), saved as a log-log figure beside the results."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from utils.cost import draw_cost

    times = bench_cost_times()
    lengths = times["lengths"]
    attn = {n: times["attention"][str(n)] for n in lengths}
    gru = {n: times["gru"][str(n)] for n in lengths}
    fig, ax = plt.subplots(figsize=(8, 5))
    draw_cost(ax, {"self-attention": attn, "GRU": gru}, slope=2, title=COST_TITLE)
    fig.savefig(COST_FIGURE, dpi=100, bbox_inches="tight")
    rows = [
        f"![attention against GRU]({COST_FIGURE.name})",
        "",
        "| N | attention (ms) | GRU (ms) | attention weights (MiB, 2 heads) |",
        "|---:|---:|---:|---:|",
    ]
    for n in lengths:
        mib = n * n * 2 * 4 / 2**20  # N x N float32 weights per head, 2 heads
        rows.append(f"| {n:,} | {attn[n] * 1e3:.2f} | {gru[n] * 1e3:.2f} | {mib:.3f} |")
    print("\n".join(rows), flush=True)
    return rows


def folder_bytes(path: Path) -> int:
    """Bytes of the files under `path` (links not followed)."""
    return sum(
        f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()
    )


def bench_setup() -> list[str]:
    """The README's set-up (`make setup`) timed in a fresh clone of HEAD, with
    the package caches this machine already has; then the size of what it made."""
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "course"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        start = time.perf_counter()
        subprocess.run(
            ["make", "setup"], cwd=clone, check=True, stdout=subprocess.DEVNULL
        )
        first = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(
            ["make", "setup"], cwd=clone, check=True, stdout=subprocess.DEVNULL
        )
        second = time.perf_counter() - start
        sizes = {
            name: folder_bytes(clone / name)
            for name in (".venv", "node_modules", ".assets")
        }
    rows = [
        "| step | result |",
        "|---|---|",
        f"| `make setup` in a fresh clone (pip and npm caches warm) | {first:.0f} s |",
        f"| `make setup` again (nothing to do) | {second:.0f} s |",
    ]
    rows += [
        f"| size of {name}/ | {size / 2**30:.2f} GiB |" for name, size in sizes.items()
    ]
    print("\n".join(rows), flush=True)
    return rows


GPT_SECTION = "Pretraining a small GPT"


ABLATION_HEAD = "### Ablation: what each change is worth"


def ablation_lines() -> list[str]:
    """The ablation subsection of lesson 2.2's section (minutes)."""
    from scripts import bench_gpt as G

    return [
        ABLATION_HEAD,
        "",
        (
            "The lesson's recipe trained again, then without each of its changes (one at a "
            "time), then with each speedrun trick it leaves out. Same steps, so the times "
            "differ too: the last column says how much."
        ),
        "",
        *G.bench_ablation(),
    ]


def replace_ablation() -> None:
    """Measure the ablation again and rewrite only its subsection."""
    before, rest = OUT.read_text(encoding="utf-8").split(ABLATION_HEAD, 1)
    after = rest.split("\n### ", 1)[1]
    new = "\n".join(ablation_lines())
    OUT.write_text(before + new + "\n\n### " + after, encoding="utf-8")


def gpt_section(ablation: bool = True) -> list[str]:
    """Lesson 2.2's figures (scripts/bench_gpt.py), as one `##` section.
    `ablation=False` keeps the ablation table of RESULTS.md as it is."""
    from scripts import bench_gpt as G

    old = OUT.read_text(encoding="utf-8") if OUT.is_file() else ""
    if ablation or ABLATION_HEAD not in old:
        kept = ablation_lines()
    else:
        kept = [
            ABLATION_HEAD
            + old.split(ABLATION_HEAD, 1)[1]
            .split("\n### ", 1)[0]
            .split("\n## ", 1)[0]
            .rstrip()
        ]
    return [
        f"## {GPT_SECTION}",
        "",
        (
            "Character-level Shakespeare (lesson 2.2): our GPT (part 1's `Block`) with nanoGPT's "
            "published CPU recipe, then with the lesson's recipe, trained from scratch one after "
            "the other in this run; validation loss in nats per character over the whole "
            "validation split (505,728 characters)."
        ),
        "",
        *G.bench_pretraining(),
        "",
        *kept,
        "",
        "### Samplers: 10,000 draws from p = (0.5, 0.3, 0.15, 0.05)",
        "",
        *G.bench_samplers(),
        "",
        "### KV cache: greedy generation of 256 tokens after a 16-token prompt",
        "",
        (
            "The lesson's architecture with a context of 272 (so that every token fits), "
            "untrained (the speed does not depend on the weights); fastest of 3 runs."
        ),
        "",
        *G.bench_kv_cache(),
        "",
        "### Lesson 2.2's widgets",
        "",
        *G.bench_sampling_widget(),
    ]


ENCODERS_SECTION = "Encoders at work"
RACE_SECTION = "The race at equal training time"


def encoders_section() -> list[str]:
    """Lesson 2.1's figures (scripts/bench_encoders.py), as one `##` section."""
    from scripts import bench_encoders as E

    return [
        f"## {ENCODERS_SECTION}",
        "",
        "### Sentiment of 200 review sentences (gensim's pang_lee_polarity), 10-fold cross-validation",
        "",
        (
            "The same stratified folds (seed 0) for every classifier; each fold trains on 180 "
            "sentences and scores the other 20, so one sentence is 5 points of a fold's accuracy."
        ),
        "",
        *E.bench_classifiers(),
        "",
        "### Search over the 300 stories of gensim's Lee corpus: answer among the top 1 / top 5",
        "",
        *E.bench_search(),
        "",
        "### A tiny masked-language model on Shakespeare's characters",
        "",
        "Validation loss in nats per hidden character (15 % hidden, BERT's 80/10/10 rule).",
        "",
        *E.bench_mlm(),
        "",
        "### Lesson 2.1's widget",
        "",
        *E.bench_search_widget(),
    ]


FELT_SECTION = "Widget latency in the browser"
FELT_JSON = REPO / "build" / "browser" / "latency.json"


def felt_when(path: Path) -> str:
    """When and where build/browser/latency.json was written."""
    day = time.strftime("%Y-%m-%d", time.localtime(path.stat().st_mtime))
    return f"{day}, {machine()[0].removeprefix('- ')}"


def felt_section(path: Path = FELT_JSON) -> list[str]:
    """The browser suite's felt latency (`make browser` writes it): from a
    control change in Chromium to the widget's new output drawn, per widget and
    kind of control, kernel round trip and drawing included."""
    if not path.exists():
        sys.exit(f"no {path.relative_to(REPO)}: run `make browser` first")
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        f"| {stem} | {name} | {m['median_ms']:.0f} | {m['p95_ms']:.0f} | {m['changes']} |"
        for stem, widgets in data.items()
        for name, m in widgets.items()
    ]
    return [
        f"## {FELT_SECTION}",
        "",
        (
            "From a control change in headless Chromium to the widget's new output "
            "drawn (JupyterLab, the kernel's round trip and drawing included; `make "
            "browser`, then `python scripts/bench.py --only felt-latency`). Widgets are "
            "numbered in notebook order, counting those with controls; a typed text "
            "applies after the stepper's 0.3 s pause. Each control is changed 5 "
            "times; fewer changes mean that the later ones drew nothing new (e.g. a "
            "dropdown back on a choice with the same view). From the last `make "
            f"browser` run: {felt_when(path)}."
        ),
        "",
        "| notebook | widget, control | median (ms) | p95 (ms) | changes |",
        "|---|---|---:|---:|---:|",
        *rows,
    ]


def replace_section(title: str, lines: list[str]) -> None:
    """Put `lines` in place of RESULTS.md's `## title` section (or at its end)."""
    text = OUT.read_text(encoding="utf-8")
    head = f"## {title}\n"
    new = "\n".join(lines).rstrip() + "\n"
    if head in text:
        before, rest = text.split(head, 1)
        after = rest.split("\n## ", 1)[1] if "\n## " in rest else ""
        text = before + new + ("\n## " + after if after else "")
    else:
        text = text.rstrip() + "\n\n" + new
    OUT.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-notebooks", action="store_true", help="widgets and quality only"
    )
    parser.add_argument(
        "--only",
        choices=[
            "gpt",
            "gpt-no-ablation",
            "gpt-ablation",
            "encoders",
            "race",
            "race-latency",
            "felt-latency",
        ],
        help="measure one section again and rewrite only it in RESULTS.md",
    )
    args = parser.parse_args()
    if args.only == "felt-latency":
        replace_section(FELT_SECTION, felt_section())
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    if args.only == "race-latency":  # only the per-word timing, into race.json
        from scripts import bench_race

        result = bench_race.measure_latency()
        replace_section(RACE_SECTION, bench_race.section(result))
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    if args.only == "race":
        from scripts import bench_race

        replace_section(RACE_SECTION, bench_race.section(bench_race.measure()))
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    if args.only == "encoders":
        replace_section(ENCODERS_SECTION, encoders_section())
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    if args.only == "gpt-ablation":
        replace_ablation()
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    if args.only in ("gpt", "gpt-no-ablation"):
        replace_section(GPT_SECTION, gpt_section(ablation=args.only == "gpt"))
        print(f"wrote {OUT.relative_to(REPO)}")
        return
    started = time.strftime("%Y-%m-%d")
    sections = [
        "# Measured figures",
        "",
        f"Regenerated by `make bench` on {started} (`python scripts/bench.py`). Not part of CI.",
        "",
        "## Machine",
        *machine(),
        "",
        "## Model quality at fixed training steps",
        "",
        (
            f"BLEU (0-100) on the held-out test set (100 sentences per length bucket), mean ± sd over "
            f"data seeds {', '.join(map(str, SEEDS))}; each seed draws its own train and test split."
        ),
        "",
        *bench_quality(),
        "",
        (
            "The neural models at the lessons' step counts, trained here from scratch with model "
            f"seeds {', '.join(map(str, SEEDS))} on the course's split (seed 0): BLEU mean ± sd, "
            "median training time."
        ),
        "",
        *bench_neural(),
        "",
        "## Cost of attention against sequence length",
        "",
        (
            "One layer, forward + backward, batch 1, width 64: self-attention (2 heads) against "
            "lesson 3's GRU step loop. Fastest of 3 runs (2 for the GRU; 1 from N = 1,024)."
        ),
        "",
        *bench_cost(),
        "",
        "## Widget latency",
        "",
        "The same `update` function the widget calls, drawing included, after one warm-up call.",
        "",
        *bench_widgets(),
        "",
        *encoders_section(),
        "",
        *gpt_section(),
    ]
    if not args.skip_notebooks:
        sections += ["", "## Set-up", "", *bench_setup()]
        sections += [
            "",
            "## Notebooks",
            "",
            (
                "Each executed once, headless, from a clean kernel, with the network blocked. Goal: under "
                "3 minutes and 3 GB each."
            ),
            "",
            *bench_notebooks(),
        ]
    OUT.write_text("\n".join(sections) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
