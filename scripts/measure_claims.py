"""Measure the spread of the trained lessons' figures (not part of CI).

    .venv/bin/python scripts/measure_claims.py --seeds 0 1 2 3
    MKL_CBWR=COMPATIBLE .venv/bin/python scripts/measure_claims.py \
        --label MKL_CBWR=COMPATIBLE --seeds 0

Trains lesson 3's GRUs and lesson 6's transformer with each seed (in a model
cache of its own, so that a forced CPU code path never lands in the course's
cache), computes every figure that tests/claims.py checks, and adds one run per
seed to benchmarks/claims_spread.json, replacing a run of the same label and
seed. `--label default` runs set the bands' measured spread; runs with other
labels (a forced instruction set or BLAS path, standing in for another CPU)
must pass the claims too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def add_to_run(data: dict, label: str, seed: int, model: str) -> None:
    """Train (or load from --cache) one model of a recorded run, check that it
    is the same model (the recorded validation loss, to 1e-6), and add the
    figures the run lacks."""
    from tests.claims import model_metrics, trained

    run = next(r for r in data["runs"] if (r["label"], r["seed"]) == (label, seed))
    metrics = model_metrics(model, *trained(model, seed), seed=seed)
    key = f"{model}/valid_loss"
    if abs(metrics[key] - run["metrics"][key]) > 1e-6:
        raise SystemExit(
            f"{label} {seed}: not the recorded model ({metrics[key]} != {run['metrics'][key]})"
        )
    new = {k: v for k, v in metrics.items() if k not in run["metrics"]}
    run["metrics"].update(new)
    print(label, seed, "added", json.dumps(new, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--label", default="default")
    parser.add_argument(
        "--only",
        choices=["transformer"],
        help="measure one model again and add its figures to the recorded run of the "
        "same label and seed (its recorded validation loss must match: same model)",
    )
    parser.add_argument(
        "--cache", help="a model cache of an earlier run (default: a new, empty one)"
    )
    args = parser.parse_args()
    os.environ["COURSE_MODEL_CACHE"] = args.cache or tempfile.mkdtemp(
        prefix="claims-models-"
    )

    import torch

    from tests.claims import SPREAD, measure

    data = json.loads(SPREAD.read_text()) if SPREAD.exists() else {"runs": []}
    data.setdefault("committed_notebooks", [])
    for seed in args.seeds:
        if args.only:
            add_to_run(data, args.label, seed, args.only)
            SPREAD.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            continue
        metrics = measure(seed)
        run = {
            "label": args.label,
            "seed": seed,
            "cpu": cpu(),
            "capability": torch.backends.cpu.get_cpu_capability(),
            "metrics": metrics,
        }
        data["runs"] = [
            r for r in data["runs"] if (r["label"], r["seed"]) != (args.label, seed)
        ] + [run]
        data["runs"].sort(
            key=lambda r: (r["label"] != "default", r["label"], r["seed"])
        )
        SPREAD.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(args.label, seed, json.dumps(metrics, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
