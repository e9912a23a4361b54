"""The GPU page is rendered from measurements: check the arithmetic and that
errors are listed, never hidden, on tiny made-up figures."""

from scripts import bench_cuda as bc


def cell(index, seconds, errors=(), trains=False, line="x = 1"):
    return {"index": index, "first_line": line, "trains": trains,
            "seconds": seconds, "errors": list(errors)}  # fmt: skip


def run(*cells, seconds=10.0):
    return {"notebooks": {"06.ipynb": {"seconds": seconds, "cells": list(cells)}}}


def test_speed_up_is_cpu_time_over_cuda_time():
    gpu = run(cell(3, 2.0, trains=True, line="m = load_or_train()"))
    cpu = run(cell(3, 8.0, trains=True), seconds=40.0)
    table = "\n".join(bc.cell_table(gpu, cpu))
    assert "| 3 | `m = load_or_train()` (trains) | 2.0 | 8.0 | 4.0x |" in table
    assert "10 s on CUDA, 40 s on the 2-core CPU" in table
    assert "No cell raised an error." in table


def test_errors_are_listed_and_unexpected_ones_counted():
    gpu = run(
        cell(1, 0.1, ["AssetMissingError: run `make assets`"]),
        cell(2, 0.1, ["RuntimeError: Expected all tensors to be on the same device"]),
    )
    table = "\n".join(bc.cell_table(gpu, run(cell(1, 1.0), cell(2, 1.0))))
    assert "Cells that raised an error on the GPU machine (2):" in table
    assert "RuntimeError: Expected all tensors" in table
    assert "Unexpected errors: 1." in table
    assert "| 2 | `x = 1` (error, below) | 0.1 | 1.0 | - |" in table  # no speed-up


def test_steps_table():
    data = {
        "device": "cuda: test", "torch": "2", "cuda": "13", "machine": [],
        "steps": {"GRU seq2seq": {"cpu2": 0.06, "cuda": 0.012}},
    }  # fmt: skip
    page = bc.render(data, None)
    assert "| GRU seq2seq | 60.0 | 12.0 | 5.0x |" in page


def test_gpt_table_says_whether_the_aim_is_met():
    row = {"config": "6L", "tokens_per_s": 1e6, "params": 10_000}
    rows = {
        "lesson": {**row, "label": "cpu size", "valid": 1.6, "seconds": 30.0},
        "gpu": {**row, "label": "gpu size", "valid": 1.24, "seconds": 119.0},
    }
    lines = bc.gpt_table(rows)
    assert "| cpu size | 6L | 1.600 | 30 | 1,000,000 | 10,000 | no |" in lines
    assert "| gpu size | 6L | 1.240 | 119 | 1,000,000 | 10,000 | yes |" in lines
    slow = {"gpu": {**rows["gpu"], "seconds": 121.0}}
    assert bc.gpt_table(slow)[-2].endswith("| no |")
