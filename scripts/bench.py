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
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
OUT = REPO / "benchmarks" / "RESULTS.md"
SEEDS = (0, 1, 2)


def machine() -> list[str]:
    import torch

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor() or "unknown",
    )  # fmt: skip
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    libs = ", ".join(
        f"{p} {version(p)}"
        for p in ("torch", "transformers", "tokenizers", "gensim", "numpy")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; torch threads: {torch.get_num_threads()}; GPU: {gpu}",
        f"- memory: {psutil.virtual_memory().total / 2**30:.0f} GiB; Python {platform.python_version()}",
        f"- libraries: {libs}",
    ]


def run_notebook(path: Path) -> tuple[float, float]:
    """(seconds, peak kernel RSS in GiB) of one headless execution, offline."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "tests" / "offline"),
        "HF_HUB_OFFLINE": "1",
    }
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
               "--ExecutePreprocessor.timeout=1800", "--output-dir", tmp, str(path)]  # fmt: skip
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            parent = psutil.Process(proc.pid)
            while not done.is_set():
                try:
                    kernels = [
                        c
                        for c in parent.children(recursive=True)
                        if "ipykernel" in " ".join(c.cmdline())
                    ]
                    peak = max([peak] + [k.memory_info().rss for k in kernels])
                except psutil.Error:
                    pass
                time.sleep(0.1)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        code = proc.wait()
        seconds = time.perf_counter() - start
        done.set()
        watcher.join()
    if code != 0:
        raise SystemExit(f"bench stopped: {path.name} failed to execute")
    return seconds, peak / 2**30


def bench_notebooks() -> list[str]:
    rows = ["| notebook | time (s) | peak kernel memory (GiB) |", "|---|---:|---:|"]
    total = 0.0
    peaks = []
    for path in sorted((REPO / "notebooks").rglob("*.ipynb")):
        seconds, gib = run_notebook(path)
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
    from utils import assets, attention, embeddings, ngram, tokenization

    cases = {
        "lesson 1: translation (word by word vs phrase table)": (
            ngram.update,
            [{"text": t} for t in ("Today the man calls the woman.", "The children give the dog a big apple.",
                                   "My colleagues hope that the clever pig waits.")],
        ),
        "lesson 2: embedding explorer (GloVe, 50k search space)": (
            embeddings.Explorer({"GloVe 6B 50d": (assets.load_glove(), 50_000)}).update,
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
            attention.update,
            [{"layer": layer, "head": head, "query": 10, "scale": scale, "causal": causal}
             for layer, head, scale, causal in ((5, 11, True, False), (3, 1, False, False), (0, 6, True, True))],
        ),
    }  # fmt: skip
    rows = ["| widget | median (ms) | p95 (ms) | calls |", "|---|---:|---:|---:|"]
    for name, (update, inputs) in cases.items():
        median, p95 = latency(update, inputs)
        rows.append(f"| {name} | {median:.1f} | {p95:.1f} | 50 |")
        print(rows[-1], flush=True)
    return rows


def mean_sd(values: list[float]) -> str:
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"


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
    buckets = ["all", "3-7", "8-12", "13-17", "18-25"]
    rows = [
        "| system | "
        + " | ".join(f"BLEU {b}" for b in buckets)
        + " | parameters | training (s) |",
        "|---|" + "---:|" * (len(buckets) + 2),
    ]
    for name, row in systems.items():
        cells = " | ".join(mean_sd(row[b]) for b in buckets)
        rows.append(
            f"| {name} | {cells} | {row['params']} | {statistics.mean(row['seconds']):.1f} |"
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-notebooks", action="store_true", help="widgets and quality only"
    )
    args = parser.parse_args()
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
        "## Widget latency",
        "",
        "The same `update` function the widget calls, drawing included, after one warm-up call.",
        "",
        *bench_widgets(),
    ]
    if not args.skip_notebooks:
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
