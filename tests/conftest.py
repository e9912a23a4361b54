"""Shared test fixtures. Unit tests run with sockets disabled (see the Makefile)."""

from pathlib import Path

import pytest
import urllib3  # noqa: F401  (opens a local socket at import to probe IPv6: do it before sockets are disabled)

REPO = Path(__file__).resolve().parents[1]


def cached_loaders(assets):
    """The loaders that read prepared caches (their kernel caches need clearing)."""
    return (
        assets.load_smollm2,
        assets.load_smollm2_tokenizer,
        assets.load_glove,
        assets.load_shakespeare,
    )


@pytest.fixture
def empty_assets(tmp_path, monkeypatch):
    """Point every asset cache at an empty folder, as on a machine that never ran
    `make assets`; the kernel-level loader caches are cleared around the test."""
    from utils import assets

    monkeypatch.setattr(assets, "ASSETS_DIR", tmp_path)
    for loader in cached_loaders(assets):
        loader.cache_clear()
    yield tmp_path
    for loader in cached_loaders(assets):
        loader.cache_clear()
