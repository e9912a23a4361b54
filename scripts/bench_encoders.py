"""Lesson 2.1's figures for `make bench`: the sentiment classifiers under
10-fold cross-validation, search hit rates by meaning and by words, the tiny
masked-language model, and the search widget's latency.

Run alone with `python scripts/bench.py --only encoders` (it rewrites only its
own section of benchmarks/RESULTS.md).
"""

from __future__ import annotations

import time

import torch

from utils import mlm
from utils.search import hit_rate
from utils.tasks import news, polarity


def bench_classifiers() -> list[str]:
    rows = [
        "| classifier | accuracy, mean ± sd | worst / best fold | confusion [[TN, FP], [FN, TP]] | seconds |",
        "|---|---:|---:|---|---:|",
    ]
    for name, how in (("majority", polarity.majority),
                      ("frozen MiniLM + logistic regression", polarity.frozen),
                      ("MiniLM fine-tuned (24 steps of 16)", polarity.finetune)):  # fmt: skip
        start = time.perf_counter()
        r = polarity.cross_validate(name, how)
        seconds = time.perf_counter() - start
        rows.append(
            f"| {name} | {r.mean:.1%} ± {r.sd:.1%} | {min(r.accuracies):.0%} / "
            f"{max(r.accuracies):.0%} | {r.confusion.tolist()} | {seconds:.0f} |"
        )
    return rows


def bench_search() -> list[str]:
    start = time.perf_counter()
    meaning = news.semantic_index()
    seconds = time.perf_counter() - start
    words = news.keyword_index()
    rows = [
        "| queries | MiniLM top 1 | MiniLM top 5 | TF-IDF top 1 | TF-IDF top 5 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, queries in (
        ("paraphrases", news.PARAPHRASES),
        ("keywords", news.KEYWORDS),
    ):
        rates = [
            hit_rate(index, queries, k) for index in (meaning, words) for k in (1, 5)
        ]
        rows.append(
            f"| {len(queries)} {label} | "
            + " | ".join(f"{r:.0%}" for r in rates)
            + " |"
        )
    rows += ["", f"Indexing the 300 stories with MiniLM took {seconds:.0f} s."]
    return rows


def bench_mlm() -> list[str]:
    c = mlm.MLMConfig()
    torch.manual_seed(c.seed)
    model = mlm.MaskedLM(mlm.vocab_size(), c)
    before = mlm.valid_loss(model, c)
    start = time.perf_counter()
    history = mlm.fit(model, c, live=False)
    seconds = time.perf_counter() - start
    n_params = sum(p.numel() for p in model.parameters())
    return [
        "| model | parameters | steps | loss before | loss after | seconds |",
        "|---|---:|---:|---:|---:|---:|",
        (
            f"| {c.n_layers} blocks, width {c.d_model}, windows of {c.window} | "
            f"{n_params:,} | {c.n_steps} | {before:.2f} | {history.valid[-1]:.2f} | "
            f"{seconds:.0f} |"
        ),
    ]


def bench_search_widget() -> list[str]:
    from scripts.bench import latency
    from utils import search_view

    inputs = [{"query": q} for q in ("bushfires near Sydney", "a cheap flight",
                                     "the cricket test in Adelaide")]  # fmt: skip
    median, p95 = latency(search_view.update, inputs)
    return [
        "| widget | median (ms) | p95 (ms) | calls |",
        "|---|---:|---:|---:|",
        f"| lesson 2.1: search box (MiniLM and TF-IDF, top 5 each) | {median:.1f} | {p95:.1f} | 50 |",
    ]
