"""Train lesson 2.1's masked-language model and lesson 2.2's GPT several ways
and record what tests/claims.py's PART2_CLAIMS read, into
benchmarks/claims_spread_part2.json ("runs" and "gpt_runs"): the lesson's
seed, two more seeds, and the lesson's seed under forced CPU code paths (MKL's
COMPATIBLE path, AVX2 instead of AVX-512), each in a fresh process. About 4
minutes for the masked-language model, 15 for the GPT; not part of CI.

    python scripts/measure_claims_part2.py [--only mlm|gpt]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "claims_spread_part2.json"
RUNS = [
    ("seed 0 (the lesson's)", 0, {}),
    ("seed 1", 1, {}),
    ("seed 2", 2, {}),
    ("seed 0, MKL_CBWR=COMPATIBLE", 0, {"MKL_CBWR": "COMPATIBLE"}),
    ("seed 0, ATEN_CPU_CAPABILITY=avx2", 0, {"ATEN_CPU_CAPABILITY": "avx2"}),
]
ONE = """
import json, sys
from dataclasses import replace
import torch
from tests.claims import mlm_metrics
from utils import mlm
c = replace(mlm.MLMConfig(), seed={seed})
torch.manual_seed(c.seed)
model = mlm.MaskedLM(mlm.vocab_size(), c)
history = mlm.fit(model, c, live=False)
print(json.dumps({{**mlm_metrics(model), "mlm/valid_after": history.valid[-1]}}))
"""
GPT = """
import json
from dataclasses import replace
from tests.claims import gpt_metrics
from utils.runtime import seed_everything
from utils.tasks import shakespeare as s
recipe = replace(s.RECIPES["lesson"], seed={seed})
seed_everything(recipe.seed)
model = s.build_model(recipe)
history = s.fit(model, recipe, live=False)
print(json.dumps({{**gpt_metrics(model.eval()), "gpt/train_last": history.train[-1]}}))
"""


def measure(script: str) -> list[dict]:
    runs = []
    for label, seed, env in RUNS:
        done = subprocess.run(
            [sys.executable, "-c", script.format(seed=seed)],
            env={**os.environ, **env, "PYTHONPATH": str(REPO)},
            capture_output=True, text=True, check=True, cwd=REPO,
        )  # fmt: skip
        metrics = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append({"label": label, "seed": seed, "metrics": metrics})
        print(label, metrics, flush=True)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["mlm", "gpt"])
    only = parser.parse_args().only
    kept = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    if only in (None, "mlm"):
        kept["runs"] = measure(ONE)
    if only in (None, "gpt"):
        kept["gpt_runs"] = measure(GPT)
    OUT.write_text(json.dumps(kept, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
