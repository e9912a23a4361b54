"""Where the course runs and how it stays repeatable: device choice, seeding,
quick mode, and the size of a model."""

from __future__ import annotations

import os
import random
import re

import numpy as np
import torch


def get_device(prefer: str | None = None) -> torch.device:
    """CUDA when present, else the CPU.

    `prefer="cpu"` (or the environment variable COURSE_DEVICE=cpu) forces the CPU,
    e.g. to reproduce the committed outputs exactly on a machine with a GPU.
    """
    choice = prefer or os.environ.get("COURSE_DEVICE")
    if choice:
        return torch.device(choice)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_everything(seed: int = 0) -> None:
    """Seed Python's, NumPy's and torch's random generators (CPU and CUDA)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def describe_device(device: torch.device | None = None) -> str:
    """A one-line description, e.g. "cpu (2 threads)" or "cuda: NVIDIA H100"."""
    device = device or get_device()
    if device.type == "cuda":
        return f"cuda: {torch.cuda.get_device_name(device)}"
    return f"cpu ({torch.get_num_threads()} threads)"


QUICK_ENV = "COURSE_QUICK"


def quick_mode() -> bool:
    """True when COURSE_QUICK=1 (or any value but 0) is set."""
    return os.environ.get(QUICK_ENV, "") not in ("", "0")


QUICK_NOTE = (
    "Quick mode (COURSE_QUICK=1): every model trains for a tenth of its steps, so "
    "its results are worse than the figures quoted in the text, which come from "
    "full training. Unset COURSE_QUICK and run again for the real thing."
)


def train_steps(n: int) -> int:
    """`n` training steps, or a tenth of them (at least 10) in quick mode. The
    browser suite and the determinism check use it to run the training lessons
    fast; nothing but step counts changes, and each training cell says so."""
    return max(10, n // 10) if quick_mode() else n


def param_counts(model: torch.nn.Module) -> dict[str, int]:
    """Parameters per top-level part ("encoder.embed", "decoder.gru", ...),
    and their "total"."""
    counts: dict[str, int] = {}
    for name, p in model.named_parameters():
        part = ".".join(name.split(".")[:2])
        counts[part] = counts.get(part, 0) + p.numel()
    counts["total"] = sum(p.numel() for p in model.parameters())
    return counts


def bench_section(title: str, sub: str = "") -> str:
    """The Markdown of one `## title` section of benchmarks/RESULTS.md (what
    `make bench` measured last on this kind of machine), or a line saying
    how to make it. `sub`, the start of a `###` heading, keeps that
    subsection alone."""
    from pathlib import Path

    results = Path(__file__).resolve().parents[1] / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.is_file() else ""
    head = f"## {title}\n"
    if head not in text:
        return f"*No `{title}` figures yet: run `make bench`.*"
    body = text.split(head, 1)[1].split("\n## ", 1)[0]
    if sub:
        parts = [
            p
            for p in ("\n" + body).split("\n### ")
            if p.startswith(sub.removeprefix("### "))
        ]
        if not parts:
            return f"*No `{sub}` figures under `{title}` yet: run `make bench`.*"
        return "### " + parts[0].rstrip() + "\n"
    return head + body.rstrip() + "\n"


def bench_rows(title: str, sub: str = "") -> list[dict[str, str]]:
    """The first table of a bench section (`bench_section`'s Markdown) as rows
    of {column: cell text}; [] while `make bench` has not written it."""
    lines = bench_section(title, sub).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("|")), None)
    if start is None:
        return []
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    head, body = table[0], table[2:]  # table[1] is the |---| line
    return [dict(zip(head, row)) for row in body]


def cell_numbers(cell: str) -> list[float]:
    """The numbers in a table cell, in order: "74.5% ± 8.6%" -> [74.5, 8.6],
    "16,330" -> [16330.0]."""
    return [
        float(x.replace(",", "")) for x in re.findall(r"-?\d[\d,]*(?:\.\d+)?", cell)
    ]
