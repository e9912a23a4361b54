"""Missing, corrupt and half-written caches (issue 6).

Each gives the one-sentence error that names `make assets`, or is rebuilt by
`make assets` (scripts/prepare_assets.py); nothing that was already cached is
lost. Everything runs in a temporary folder (`empty_assets`): the real
`.assets/` is never touched. GloVe is converted from a four-word stand-in of
its source package, so a rebuild takes milliseconds.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from scripts import prepare_assets
from tests.conftest import REPO
from utils import assets, cache
from utils.assets import AssetMissingError
from utils.training import History

WORDS = ["the", "cake", "dog", "king"]


def one_sentence(err: Exception | str) -> str:
    """The error's text: one sentence that says to run `make assets`."""
    text = str(err)
    assert "\n" not in text and text.endswith(".")
    assert "run `make assets`" in text
    return text


def snapshot(folder):
    """Every file under `folder`: its bytes and its modification time."""
    return {
        p.relative_to(folder): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def glove_source(tmp_path, monkeypatch):
    """A tiny stand-in for the GloVe package's (index.parquet, vectors.npy)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "glove-package"
    src.mkdir()
    pq.write_table(pa.table({"word": WORDS}), src / "index.parquet")
    vectors = np.arange(len(WORDS) * 3, dtype=np.float32).reshape(len(WORDS), 3)
    np.save(src / "vectors.npy", vectors)
    pair = (src / "index.parquet", src / "vectors.npy")
    monkeypatch.setattr(assets, "glove_source", lambda: pair)
    return pair


@pytest.fixture
def prepared(empty_assets, glove_source):
    """A temporary assets folder with GloVe converted (from the stand-in) and
    two other complete caches: Shakespeare, and a stand-in for SmolLM2."""
    assets.convert_glove()
    shakespeare = assets.shakespeare_dir()
    shakespeare.mkdir()
    (shakespeare / "hamlet_gut.txt").write_text("To be, or not to be")
    assets.write_ready(shakespeare)
    smollm2 = assets.smollm2_dir()
    smollm2.mkdir()
    (smollm2 / "model.safetensors").write_bytes(b"weights" * 100)
    assets.write_ready(smollm2)
    assets.load_glove.cache_clear()
    return empty_assets


def rebuild_glove():
    """What `make assets` does for GloVe."""
    prepare_assets.converted(
        "the GloVe vectors", assets.glove_dir(), assets.convert_glove, assets.load_glove
    )
    assets.load_glove.cache_clear()


# --- missing ----------------------------------------------------------------------


def test_missing_assets_are_reported_not_raised(empty_assets):
    """`make assets`' report (and the start-here notebook) lists every missing
    cache with its one sentence instead of stopping at the first."""
    rows = {row["key"]: row for row in assets.check_assets(include_optional=False)}
    for key in ("smollm2", "glove", "shakespeare"):
        assert rows[key]["status"] == "missing"
        one_sentence(rows[key]["message"])
    assert rows["gensim_data"]["status"] == "found"


def test_missing_glove_is_built(empty_assets, glove_source):
    with pytest.raises(AssetMissingError) as err:
        assets.load_glove()
    one_sentence(err.value)
    rebuild_glove()
    assert assets.load_glove().index_to_key == WORDS


# --- corrupt ----------------------------------------------------------------------


def test_corrupt_glove_gives_one_sentence_then_is_rebuilt(prepared):
    kv = assets.glove_dir() / "glove.kv"
    kv.write_bytes(os.urandom(kv.stat().st_size))  # same size: READY still agrees
    with pytest.raises(AssetMissingError) as err:
        assets.load_glove()
    assert "The prepared GloVe vectors is missing" in one_sentence(err.value)
    rebuild_glove()
    assert assets.load_glove().index_to_key == WORDS


def test_corrupt_smollm2_gives_one_sentence(empty_assets):
    folder = assets.smollm2_dir()
    folder.mkdir()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (folder / name).write_bytes(b"\x00garbage\xff" * 50)
    assets.write_ready(folder)
    for loader in (assets.load_smollm2_tokenizer, assets.load_smollm2):
        with pytest.raises(AssetMissingError) as err:
            loader()
        assert "The converted SmolLM2 model is missing" in one_sentence(err.value)


def test_corrupt_model_cache_history_retrains(tmp_path):
    """A trained-model cache entry whose history cannot be read is trained again
    (model.safetensors corrupt and .partial: see test_helpers.py)."""
    calls = []

    def fit(model):
        calls.append(1)
        return History([1.0])

    def run():
        return cache.cached_model(
            "m", {}, 0, lambda: torch.nn.Linear(2, 2), fit, root=tmp_path
        )

    run()
    (cache.entry_dir("m", {}, 0, tmp_path) / "history.json").write_text("{not json")
    _, history, was_cached = run()
    assert (len(calls), was_cached, history) == (2, False, History([1.0]))
    assert run()[2] is True  # the rebuilt entry is a hit


# --- half-written -----------------------------------------------------------------


def test_interrupted_conversion_is_not_taken_as_done_then_rebuilt(
    empty_assets, glove_source
):
    # A conversion killed while saving leaves only its temporary folder.
    partial = assets.glove_dir().with_name("glove-6b-50d.partial")
    partial.mkdir()
    (partial / "glove.kv").write_bytes(b"half")
    with pytest.raises(AssetMissingError) as err:
        assets.load_glove()
    one_sentence(err.value)
    rebuild_glove()
    assert assets.load_glove().index_to_key == WORDS
    assert not partial.exists()


@pytest.mark.parametrize("damage", ["no READY", "wrong size", "file gone"])
def test_half_written_glove_is_rebuilt(prepared, damage):
    folder = assets.glove_dir()
    kv = folder / "glove.kv"
    if damage == "no READY":
        (folder / assets.READY).unlink()
    elif damage == "wrong size":
        kv.write_bytes(kv.read_bytes()[:-10])
    else:
        kv.unlink()
    with pytest.raises(AssetMissingError) as err:
        assets.load_glove()
    one_sentence(err.value)
    rebuild_glove()
    assert assets.load_glove().index_to_key == WORDS


# --- nothing cached is lost ----------------------------------------------------------


def test_rebuilding_one_cache_leaves_the_others_untouched(prepared):
    others = [assets.shakespeare_dir(), assets.smollm2_dir()]
    before = [snapshot(folder) for folder in others]
    (assets.glove_dir() / assets.READY).unlink()
    rebuild_glove()
    assert (assets.glove_dir() / assets.READY).is_file()
    assert [snapshot(folder) for folder in others] == before


def test_make_assets_skips_complete_caches(prepared, monkeypatch):
    before = snapshot(prepared)

    def no_network(*args, **kwargs):
        raise AssertionError(f"a complete cache was fetched again: {args}")

    monkeypatch.setattr(prepare_assets.subprocess, "call", no_network)
    prepare_assets.shakespeare()
    rebuild_glove()
    assert snapshot(prepared) == before


def test_interrupted_rebuild_keeps_the_old_cache(prepared, monkeypatch):
    """A conversion that dies half-way leaves the complete cache it would have
    replaced as it was, and it still loads."""
    from gensim.models import KeyedVectors

    before = snapshot(prepared)

    def killed(self, *args, **kwargs):
        raise RuntimeError("killed while saving")

    monkeypatch.setattr(KeyedVectors, "save", killed)
    with pytest.raises(RuntimeError, match="killed"):
        assets.convert_glove()
    snapshot_after = snapshot(prepared)
    assert snapshot_after == before  # the .partial folder holds no file yet
    assert assets.load_glove().index_to_key == WORDS


def test_retraining_one_model_leaves_the_other_entries_untouched(tmp_path):
    def fit(model):
        return History([float(model.out_features)])

    for size in (2, 3):
        cache.cached_model(
            f"m{size}", {}, 0, lambda s=size: torch.nn.Linear(2, s), fit, root=tmp_path
        )
    keep = cache.entry_dir("m3", {}, 0, tmp_path)
    before = snapshot(keep)
    cache.cached_model(
        "m2", {}, 0, lambda: torch.nn.Linear(2, 2), fit, force=True, root=tmp_path
    )
    assert snapshot(keep) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [keep.name, cache.entry_dir("m2", {}, 0, tmp_path).name]
    )


def test_forced_training_reuses_a_hit_only_when_asked(tmp_path, monkeypatch):
    """force=True trains again; with COURSE_REUSE_TRAINED=1 (make nbval) a hit
    stands, so a model is trained once per test run."""
    fits = []

    def fit(model):
        fits.append(1)
        return History([1.0])

    def train(force: bool) -> bool:
        build = lambda: torch.nn.Linear(2, 2)
        return cache.cached_model("m", {}, 0, build, fit, force=force, root=tmp_path)[2]

    assert train(force=False) is False and len(fits) == 1  # a miss: trained
    assert train(force=True) is False and len(fits) == 2  # forced: trained again
    monkeypatch.setenv(cache.REUSE_ENV, "1")
    assert train(force=True) is True and len(fits) == 2  # reused
    monkeypatch.setenv(cache.REUSE_ENV, "0")
    assert train(force=True) is False and len(fits) == 3


def test_model_cache_folder_can_be_moved(tmp_path):
    """COURSE_MODEL_CACHE points the model cache elsewhere (the determinism
    check trains into an empty folder)."""
    run = subprocess.run(
        [sys.executable, "-c", "from utils import cache; print(cache.CACHE_DIR)"],
        env={**os.environ, "COURSE_MODEL_CACHE": str(tmp_path)},
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == str(tmp_path)
