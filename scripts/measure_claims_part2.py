"""Train lesson 2.1's masked-language model several ways and record what
tests/claims.py's PART2_CLAIMS read, into benchmarks/claims_spread_part2.json:
the lesson's seed, two more seeds, and the lesson's seed under forced CPU code
paths (MKL's COMPATIBLE path, AVX2 instead of AVX-512), each in a fresh
process. Minutes; not part of CI.

    python scripts/measure_claims_part2.py
"""

from __future__ import annotations

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


def main() -> None:
    runs = []
    for label, seed, env in RUNS:
        done = subprocess.run(
            [sys.executable, "-c", ONE.format(seed=seed)],
            env={**os.environ, **env, "PYTHONPATH": str(REPO)},
            capture_output=True, text=True, check=True, cwd=REPO,
        )  # fmt: skip
        metrics = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append({"label": label, "seed": seed, "metrics": metrics})
        print(label, metrics, flush=True)
    OUT.write_text(json.dumps({"runs": runs}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
