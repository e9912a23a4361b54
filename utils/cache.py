"""A cache of trained models, keyed by their full configuration, their seed,
and a fingerprint of the data and vocabulary they were trained on (so an
edit to the data generator retrains, even when every size stays the same).

A later lesson can reuse an earlier lesson's model (lesson 6 compares its
transformer with lesson 3's GRU) without depending on the order in which the
notebooks were run: if the model is not cached yet, it is trained on the spot,
with the same seed and so to the same weights.

Each entry is a folder `<name>-<key>` holding the weights (safetensors), the
loss history and the configuration. It is written to a temporary folder and
renamed at the end, so an interrupted save never looks like a hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from utils.assets import ASSETS_DIR
from utils.runtime import seed_everything
from utils.training import History

# COURSE_MODEL_CACHE moves the cache, e.g. to an empty folder so that every
# model is trained afresh (scripts/check_determinism.py).
CACHE_DIR = Path(os.environ.get("COURSE_MODEL_CACHE") or ASSETS_DIR / "trained")
# COURSE_REUSE_TRAINED=1 lets a cache hit stand even where a lesson asks to
# train live (`force=True`): `make nbval` sets it, so that the notebooks load the
# models the unit tests trained instead of training each one a second time
# (their outputs are not compared: they depend on the CPU). A learner's run, the
# browser suite and the determinism check train live as the lesson says.
REUSE_ENV = "COURSE_REUSE_TRAINED"


def reuse_trained() -> bool:
    """True when COURSE_REUSE_TRAINED=1 (or any value but 0) is set."""
    return os.environ.get(REUSE_ENV, "") not in ("", "0")


def cache_key(name: str, config: dict[str, Any], seed: int, data: str = "") -> str:
    """A short hash of everything that decides the trained weights: the
    configuration, the seed, and `data`, a fingerprint of the training data
    and vocabulary."""
    blob = json.dumps(
        {"name": name, "config": config, "seed": seed, "data": data}, sort_keys=True
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def entry_dir(
    name: str,
    config: dict[str, Any],
    seed: int,
    root: Path | None = None,
    data: str = "",
) -> Path:
    return (root or CACHE_DIR) / f"{name}-{cache_key(name, config, seed, data)}"


def save_entry(
    folder: Path, model: torch.nn.Module, history: History, config: dict
) -> None:
    tmp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    save_file(state, tmp / "model.safetensors")
    (tmp / "history.json").write_text(json.dumps(history.to_dict()))
    (tmp / "config.json").write_text(json.dumps(config, indent=1, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def load_entry(folder: Path, model: torch.nn.Module) -> History | None:
    """Load the cached weights into `model`; None if the entry is absent or broken."""
    try:
        state = load_file(folder / "model.safetensors")
        history = History.from_dict(json.loads((folder / "history.json").read_text()))
        model.load_state_dict(state)
    except (OSError, ValueError, KeyError, RuntimeError, SafetensorError):
        return None
    return history


def cached_model(
    name: str,
    config: dict[str, Any],
    seed: int,
    build: Callable[[], torch.nn.Module],
    fit: Callable[[torch.nn.Module], History],
    *,
    force: bool = False,
    root: Path | None = None,
    data: str = "",
) -> tuple[torch.nn.Module, History, bool]:
    """Return (model, history, was_cached).

    `data` fingerprints the training data and vocabulary (part of the key).
    `build()` makes a fresh model and `fit(model)` trains it and returns its
    History; both run after `seed_everything(seed)`. On a hit the weights and
    history are loaded instead. Either way the generators are re-seeded with
    `seed + 1` at the end, so whatever the notebook samples next is the same
    after a hit as after a fresh training. `force=True` always trains, unless
    COURSE_REUSE_TRAINED is set (`reuse_trained`).
    """
    folder = entry_dir(name, config, seed, root, data)
    seed_everything(seed)
    model = build()
    history = None if force and not reuse_trained() else load_entry(folder, model)
    was_cached = history is not None
    if history is None:
        history = fit(model)
        record = {"name": name, "seed": seed, "data": data, **config}
        save_entry(folder, model, history, record)
    seed_everything(seed + 1)
    return model.eval(), history, was_cached
