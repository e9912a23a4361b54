"""GPU figures: the course on CUDA, unchanged (`make bench-cuda`; not part of CI).

Two steps, so the GPU machine only measures and this machine writes the page:

    python scripts/bench_cuda.py measure --out DIR    # on the GPU machine
    python scripts/bench_cuda.py measure --out DIR --only notebooks   # here: the CPU reference
    python scripts/bench_cuda.py render DIR/cuda.json --cpu DIR/cpu.json

`measure` writes DIR/<device>.json (cuda.json or cpu.json) after every part, so
whatever finished inside a time limit is kept:
- training: lesson 3's GRUs and lesson 6's transformer, trained at the lessons'
  step counts on the device (model seeds 0, 1, 2: time and BLEU), and on the
  same machine's CPU limited to 2 threads (a laptop) over the first steps;
- gpt: lesson 2.2's GPT, its CPU recipe and the bigger recipe the notebook
  selects on CUDA, each trained from scratch on the device and scored on the
  whole validation split;
- cost: lesson 6's attention-against-GRU curves on the device;
- notebooks: the training lessons (3, 6 and 2.2) executed unchanged from a
  fresh kernel, each cell timed; every error is recorded, never hidden.

`render` writes benchmarks/RESULTS_CUDA.md from those files.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from scripts.bench import (
    BUCKETS,
    bench_cost_times,
    machine,
    mean_sd,
    run_notebook,
    train_once,
    translators,
)

NOTEBOOKS = [
    "notebooks/part1_background/03_rnn_seq2seq.ipynb",
    "notebooks/part1_background/06_transformer.ipynb",
    "notebooks/part2_encoders_decoders/02_decoders.ipynb",
]
PAGE = REPO / "benchmarks" / "RESULTS_CUDA.md"
PARTS = ("training", "gpt", "notebooks", "cost", "seeds")
# A model asset the GPU machine lacks, and the cells that need what it loads.
EXPECTED_ERRORS = ("AssetMissingError", "NameError")


def step_seconds(name: str, device, n: int = 30, warmup: int = 3) -> float:
    """Seconds per optimiser step (forward, backward, update) after `warmup`
    steps: what a training cell spends most of its time on."""
    import torch

    from utils.runtime import seed_everything
    from utils.tasks import translation
    from utils.training import make_step

    recipe = translators()[name]
    vocabs = translation.vocabularies(recipe.lowercase_source)
    seed_everything(0)
    model = translation.build_model(recipe, *vocabs).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=recipe.train.lr)
    batches = translation.training_batches(recipe, device)
    step = make_step(
        model, batches, translation.batch_loss, optimizer, recipe.train.clip
    )
    for i in range(warmup):
        step(i)
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(n):
        step(warmup + i)  # .item() inside waits for the device
    return (time.perf_counter() - start) / n


def step_rows(device, n: int) -> dict:
    """Seconds per step of each model on `device` and on the CPU at 2 threads."""
    import torch

    threads = torch.get_num_threads()
    rows = {}
    for name in translators():
        torch.set_num_threads(2)
        try:
            cpu = step_seconds(name, torch.device("cpu"), n)
        finally:
            torch.set_num_threads(threads)
        rows[name] = {"cpu2": cpu, device.type: step_seconds(name, device, n)}
    return rows


# Lesson 2.2's aim on an H100-class GPU (nats per character, seconds).
GPT_AIM = (1.25, 120)


def gpt_rows(device) -> dict:
    """Lesson 2.2's CPU recipe and GPU recipe, each trained from scratch on
    `device` (seed 0) and scored on the whole validation split."""
    from scripts.bench_gpt import describe, train_fresh
    from utils.tasks import shakespeare as S

    rows = {}
    for name in ("lesson", "gpu"):
        recipe = S.RECIPES[name]
        run = train_fresh(recipe, device)
        del run["model"]
        rows[name] = {"label": recipe.label, "config": describe(recipe), **run}
    return rows


def gpt_table(rows: dict) -> list[str]:
    loss, seconds = GPT_AIM
    lines = [
        "## Pretraining lesson 2.2's GPT on CUDA",
        "",
        (
            "Each recipe trained from scratch on the device (seed 0), then scored on the whole "
            "validation split (505,728 characters). On CUDA the notebook trains the GPU-size "
            f"recipe (`shakespeare.lesson_recipe`). Aim: a validation loss of at most {loss} "
            f"within {seconds // 60} minutes on an H100-class GPU."
        ),
        "",
        "| run | config | validation loss (nats/char) | training (s) | tokens/s | parameters | aim met |",
        "|---|---|---:|---:|---:|---:|---|",
    ]  # fmt: skip
    for r in rows.values():
        met = "yes" if r["valid"] <= loss and r["seconds"] <= seconds else "no"
        lines.append(
            f"| {r['label']} | {r['config']} | {r['valid']:.3f} | {r['seconds']:.0f} | "
            f"{r['tokens_per_s']:,.0f} | {r['params']:,} | {met} |"
        )
    return lines + [""]


def measure(out: Path, only: list[str], steps: int, budget: float) -> Path:
    import torch

    from utils.runtime import describe_device, get_device

    device = get_device()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{device.type}.json"
    data: dict = {
        "device": describe_device(device),
        "machine": machine(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
    }
    started = time.perf_counter()

    def save(part: str) -> None:
        path.write_text(json.dumps(data, indent=1))
        print(f"[{time.perf_counter() - started:.0f} s] {part} done", flush=True)

    def time_left() -> bool:
        return time.perf_counter() - started < budget

    names = list(translators())
    if "training" in only:
        data["steps"] = step_rows(device, steps)
        save("seconds per step")
        data["training"] = {name: [train_once(name, 0, device)] for name in names}
        if device.type == "cuda":
            data["peak_gpu_mib"] = torch.cuda.max_memory_allocated() / 2**20
        save("training, seed 0")
    if "gpt" in only and time_left():
        data["gpt"] = gpt_rows(device)
        save("lesson 2.2's GPT")
    if "notebooks" in only and time_left():
        with tempfile.TemporaryDirectory(prefix="models-") as cache:
            data["notebooks"] = {}
            for nb in NOTEBOOKS:
                if not time_left():
                    break
                data["notebooks"][Path(nb).name] = run_notebook(
                    REPO / nb, Path(cache), out, allow_errors=True
                )
                save(Path(nb).name)
    if "cost" in only and time_left():
        data["cost"] = bench_cost_times(device)
        save("cost curves")
    if "seeds" in only:
        for seed in (1, 2):
            for name in names:
                if time_left():
                    data["training"][name].append(train_once(name, seed, device))
            save(f"training, seed {seed}")
    return path


def cell_table(cuda: dict, cpu: dict | None) -> list[str]:
    """The lessons' cells on CUDA: every training cell, the slowest others, and
    every cell that raised an error (with its error)."""
    rows = []
    for name, run in cuda.get("notebooks", {}).items():
        ref_run = (cpu or {}).get("notebooks", {}).get(name, {})
        ref = {c["index"]: c for c in ref_run.get("cells", [])}
        ref_total = ref_run.get("seconds")
        total = f"{run['seconds']:.0f} s on CUDA"
        if ref_total:
            total += f", {ref_total:.0f} s on the 2-core CPU"
        errors = [c for c in run["cells"] if c["errors"]]
        rows += [f"### {name}: {len(run['cells'])} code cells, {total}", ""]
        rows += [
            "| cell | code | CUDA (s) | CPU, 2 cores (s) | speed-up |",
            "|---:|---|---:|---:|---:|",
        ]
        slow = sorted(run["cells"], key=lambda c: c["seconds"] or 0)[-6:]
        for c in [c for c in run["cells"] if c["trains"] or c in slow]:
            r = ref.get(c["index"], {}).get("seconds")
            speed = f"{r / c['seconds']:.1f}x" if r and c["seconds"] else "-"
            mark = " (trains)" if c["trains"] else ""
            if c["errors"]:  # an error is no speed-up
                speed, mark = "-", " (error, below)"
            rows.append(
                f"| {c['index']} | `{c['first_line']}`{mark} | {c['seconds'] or 0:.1f} | "
                f"{f'{r:.1f}' if r else '-'} | {speed} |"
            )
        rows.append("")
        if errors:
            rows.append(
                f"Cells that raised an error on the GPU machine ({len(errors)}):"
            )
            rows += [
                f"- cell {c['index']} `{c['first_line']}`: {c['errors'][0]}"
                for c in errors
            ]
            unexpected = [
                c for c in errors if not c["errors"][0].startswith(EXPECTED_ERRORS)
            ]
            rows += [
                "",
                f"Unexpected errors: {len(unexpected)}. "
                + (
                    "Every error is a missing asset, or a later cell needing what it would have loaded."
                    if not unexpected
                    else "See above."
                ),
            ]  # fmt: skip
        else:
            rows.append("No cell raised an error.")
        rows.append("")
    return rows


def render(cuda: dict, cpu: dict | None) -> str:
    lines = [
        "# Measured figures on a GPU",
        "",
        (
            "Measured by `python scripts/bench_cuda.py measure` on a machine with a CUDA GPU, "
            "rendered by `python scripts/bench_cuda.py render`. Not part of CI. "
            "The CPU figures in `RESULTS.md` come from the 2-core machine the course targets."
        ),
        "",
        "## Machine",
        f"- device: {cuda['device']}; torch {cuda['torch']}, CUDA {cuda['cuda']}",
        *(
            [
                f"- peak GPU memory while training the three models: {cuda['peak_gpu_mib']:.0f} MiB"
            ]
            if "peak_gpu_mib" in cuda
            else []
        ),
        *cuda["machine"],
        "",
    ]
    if "steps" in cuda:
        lines += [
            "## Training speed",
            "",
            (
                "Seconds per optimiser step (forward, backward, update; after 3 warm-up steps), "
                "each model built by the lesson's code and put on the device by `get_device()`, "
                "against the same machine's CPU limited to 2 threads, like a laptop."
            ),
            "",
            "| model | CPU, 2 threads (ms/step) | CUDA (ms/step) | speed-up |",
            "|---|---:|---:|---:|",
        ]
        for name, row in cuda["steps"].items():
            gpu = row.get("cuda", row.get("cpu"))
            lines.append(
                f"| {name} | {row['cpu2'] * 1e3:.1f} | {gpu * 1e3:.1f} | {row['cpu2'] / gpu:.1f}x |"
            )
        lines.append("")
    if "training" in cuda:
        lines += [
            "## Training at the lessons' step counts, on CUDA",
            "",
            (
                "Each model trained from scratch at the lesson's step count, validation included, "
                "then BLEU on the 400 held-out sentences (mean ± sd where there are several model "
                "seeds). Compare with the CPU rows of `RESULTS.md`."
            ),
            "",
            "| model | params | steps | time (s, median) | seeds | "
            + " | ".join(f"BLEU {b}" for b in BUCKETS) + " |",
            "|---|---:|---:|---:|---:|" + "---:|" * len(BUCKETS),
        ]  # fmt: skip
        for name, runs in cuda["training"].items():
            secs = statistics.median(r["seconds"] for r in runs)
            bleu = [
                mean_sd([r["bleu"][b] for r in runs]) if len(runs) > 1 else f"{runs[0]['bleu'][b]:.1f}"
                for b in BUCKETS
            ]  # fmt: skip
            lines.append(
                f"| {name} | {runs[0]['params']:,} | {runs[0]['steps']:,} | {secs:.1f} | "
                f"{len(runs)} | " + " | ".join(bleu) + " |"
            )
        lines.append("")
    if "gpt" in cuda:
        lines += gpt_table(cuda["gpt"])
    if "notebooks" in cuda:
        lines += [
            "## The training lessons, executed unchanged on CUDA",
            "",
            (
                "Each notebook run from a fresh kernel with an empty model cache, so every model is "
                "trained there; every cell runs even after an error. The CPU column is the same "
                "execution on the course's 2-core machine, for the same cells."
            ),
            "",
            *cell_table(cuda, cpu),
        ]
    if "cost" in cuda:
        c = cuda["cost"]
        lines += [
            "## Cost of attention against sequence length, on CUDA",
            "",
            "One layer, forward + backward, batch 1, width 64, as in `RESULTS.md`.",
            "",
            "| N | attention (ms) | GRU (ms) |",
            "|---:|---:|---:|",
        ]
        for n in c["lengths"]:
            lines.append(
                f"| {n:,} | {c['attention'][str(n)] * 1e3:.2f} | {c['gru'][str(n)] * 1e3:.2f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    m.add_argument(
        "--steps", type=int, default=30, help="timed steps per model and device"
    )
    m.add_argument(
        "--budget",
        type=float,
        default=420,
        help="seconds; later parts are skipped after it",
    )
    r = sub.add_parser("render")
    r.add_argument("cuda", type=Path)
    r.add_argument("--cpu", type=Path)
    r.add_argument("--page", type=Path, default=PAGE)
    args = parser.parse_args()
    if args.command == "measure":
        print(f"wrote {measure(args.out, args.only, args.steps, args.budget)}")
    else:
        cuda = json.loads(args.cuda.read_text())
        cpu = json.loads(args.cpu.read_text()) if args.cpu else None
        args.page.write_text(render(cuda, cpu) + "\n", encoding="utf-8")
        print(f"wrote {args.page}")


if __name__ == "__main__":
    main()
