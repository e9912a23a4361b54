"""What lessons 3 and 6 say about their trained models holds on this machine,
on every recorded run (other seeds, forced CPU code paths, the committed
notebooks), within bands set from measured spread, and fails on broken models.
See tests/claims.py."""

from __future__ import annotations

import json
import random
import re
import statistics

import pytest

from tests import claims
from tests.claims import CLAIMS, failures, recorded_runs

NOTEBOOKS = claims.NOTEBOOKS


def _prose(where: str) -> str:
    """A lesson's Markdown cells, or a run sheet, with whitespace collapsed."""
    if where.endswith("run_sheet"):
        text = (claims.REPO / "lessons" / f"{where}.md").read_text(encoding="utf-8")
    else:
        nb = json.loads((NOTEBOOKS / f"{where}.ipynb").read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")  # fmt: skip
    return " ".join(text.split())


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.says[:40])
def test_every_claim_is_quoted_from_its_lesson(claim):
    assert " ".join(claim.says.split()) in _prose(claim.where), claim.says


def test_claims_hold_on_every_recorded_run():
    runs = recorded_runs()
    labels = {r["label"] for r in runs}
    assert sum(r["label"] == "default" for r in runs) >= 3, "too few seeds measured"
    assert len(labels) >= 3, f"no forced CPU code paths recorded: {labels}"
    for run in runs:
        assert claims.failures(run["metrics"]) == [], (run["label"], run["seed"])
        applied = sum(c.applies(run["metrics"]) for c in CLAIMS)
        assert applied >= 15, (run["label"], applied)


def test_claims_hold_on_the_committed_notebooks():
    metrics = claims.from_notebooks()
    assert failures(metrics) == []
    assert sum(c.applies(metrics) for c in CLAIMS) >= 12


def _around_the_mean(runs: list[dict]) -> dict:
    """(mean, sd) of every number over the default-CPU runs; the most common
    value of every text."""
    default = [r["metrics"] for r in runs if r["label"] == "default"]
    out = {}
    for key, value in default[0].items():
        values = [m[key] for m in default]
        if isinstance(value, str):
            out[key] = (statistics.mode(values), 0.0)
        else:
            out[key] = (statistics.mean(values), statistics.stdev(values))
    return out


def test_every_band_is_at_least_four_standard_deviations_wide():
    """Each claim still holds when any one of its figures moves 2 standard
    deviations (of the seeds' spread) either way from the seeds' mean."""
    spread = _around_the_mean(recorded_runs())
    middle = {key: mean for key, (mean, _) in spread.items()}
    for claim in CLAIMS:
        assert claim.holds(middle), claim.says
        for key in claim.needs:
            mean, sd = spread[key]
            if isinstance(mean, str):
                continue  # a text: the claim holds on its most common value
            for shifted in (mean - 2 * sd, mean + 2 * sd):
                assert claim.holds({**middle, key: shifted}), (claim.says, key)


def test_a_band_narrower_than_the_spread_fails_that_check():
    """The check above can fail: a claim whose bound sits inside 2 sd does."""
    spread = _around_the_mean(recorded_runs())
    mean, sd = spread["gru/bleu/3-7"]
    assert sd > 0
    tight = claims.Claim(
        claims.L3, "tight", ("gru/bleu/3-7",), lambda m: m["gru/bleu/3-7"] > mean - sd
    )
    middle = {key: m for key, (m, _) in spread.items()}
    assert tight.holds(middle)
    assert not tight.holds({**middle, "gru/bleu/3-7": mean - 2 * sd})


# --------------------------------------------------------------------------
# Live: the lesson models on this machine, and broken ones
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lesson_metrics():
    """The figures of the three lesson models (through the model cache)."""
    return claims.measure()


def test_claims_hold_on_the_lesson_models_here(lesson_metrics):
    assert failures(lesson_metrics) == []
    assert all(c.applies(lesson_metrics) for c in CLAIMS)


def _broken_history(net, src_vocab, tgt_vocab):
    """A History holding the broken model's real validation loss."""
    from utils.data.grammar import make_splits
    from utils.tasks import translation as tr
    from utils.training import History, evaluate

    valid = tr.encode_pairs(make_splits().valid, src_vocab, tgt_vocab)
    device = next(net.parameters()).device
    batches = [
        tr.make_batch(valid[i : i + 250]).to(device) for i in range(0, len(valid), 250)
    ]
    loss = evaluate(net, batches, tr.batch_loss, tr.target_words)
    return History(train=[loss] * 50, valid_steps=[1], valid=[loss])


def untrained(model: str):
    """The lesson's model as built, before any training step."""
    from utils.runtime import seed_everything
    from utils.tasks import translation as tr

    recipe = tr.RECIPES[claims.RECIPE[model]]
    vocabs = tr.vocabularies(recipe.lowercase_source)
    seed_everything(0)
    net = tr.build_model(recipe, *vocabs).eval()
    return net, vocabs, _broken_history(net, *vocabs)


def shuffled(model: str):
    """The trained lesson model with its German words shuffled among their ids."""
    from utils.text import SPECIALS, Vocab

    net, (src_vocab, tgt_vocab), _ = claims.trained(model)
    words = tgt_vocab.itos[len(SPECIALS) :]
    random.Random(0).shuffle(words)
    wrong = Vocab(words)
    return net, (src_vocab, wrong), _broken_history(net, src_vocab, wrong)


@pytest.mark.parametrize("model", claims.MODELS)
@pytest.mark.parametrize("breakage", [untrained, shuffled], ids=lambda f: f.__name__)
def test_claims_fail_on_a_broken_model(lesson_metrics, model, breakage):
    broken = claims.model_metrics(model, *breakage(model))
    failed = failures({**lesson_metrics, **broken})
    about = [c for c in CLAIMS if any(k.startswith(f"{model}/") for k in c.needs)]
    held = [c.says for c in about if failures({**lesson_metrics, **broken}, [c]) == []]
    print(
        f"\n{breakage.__name__} {model}: {len(failed)} of {len(about)} fail; hold: {held}"
    )
    assert len(failed) >= 6, failed


# --------------------------------------------------------------------------
# Prose never quotes a number that training produced
# --------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def _numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def trained_and_strict_numbers() -> tuple[set[str], set[str]]:
    """The decimals printed by cells with trained outputs (less those written
    in the cell's own code, like a temperature), and those printed by compared
    cells anywhere in the course (those may be quoted)."""
    from tests.test_notebooks import NOTEBOOKS as ALL
    from tests.test_notebooks import listed_cells

    kinds = listed_cells()
    trained, strict = set(), set()
    for path in ALL:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            text = "".join(
                "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                + "".join(o.get("data", {}).get("text/html", ""))
                for o in cell["outputs"]
            )  # fmt: skip
            kind = kinds.get((path.stem, cell["id"]))
            if kind == "trained":
                trained |= _numbers(text) - _numbers("".join(cell["source"]))
            elif kind is None:
                strict |= _numbers(text)
    return trained, strict


@pytest.mark.parametrize("where", [claims.L3, claims.L6, claims.SHEET])
def test_prose_quotes_no_number_that_training_produced(where):
    trained, strict = trained_and_strict_numbers()
    quoted = (_numbers(_prose(where)) & trained) - strict
    assert quoted == set(), f"{where} quotes trained figures: {sorted(quoted)}"


def test_claims_hold_on_notebooks_committed_from_other_cpus():
    """The figures of earlier committed executions (another CPU), kept in the
    spread file when the notebooks were re-executed elsewhere."""
    kept = json.loads(claims.SPREAD.read_text(encoding="utf-8"))["committed_notebooks"]
    assert kept
    for entry in kept:
        assert failures(entry["metrics"]) == [], entry["cpu"]
        assert sum(c.applies(entry["metrics"]) for c in CLAIMS) >= 12, entry["cpu"]


# --- part 2, lesson 2.1 -------------------------------------------------------


def _part2_prose(where: str) -> str:
    if where.endswith("run_sheet"):
        return _prose(where)
    nb = json.loads((claims.PART2 / f"{where}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")  # fmt: skip
    return " ".join(text.split())


@pytest.mark.parametrize("claim", claims.PART2_CLAIMS, ids=lambda c: c.says[:40])
def test_every_part2_claim_is_quoted_from_its_lesson(claim):
    assert " ".join(claim.says.split()) in _part2_prose(claim.where), claim.says


def _committed_part2() -> dict:
    return {
        **claims.mlm_from_notebook(),
        **claims.classifier_metrics(),
        **claims.gpt_from_notebook(),
        **claims.pretraining_metrics(),
    }


def test_part2_claims_hold_on_the_committed_notebook_and_the_bench():
    metrics = _committed_part2()
    assert all(c.applies(metrics) for c in claims.PART2_CLAIMS)
    assert failures(metrics, claims.PART2_CLAIMS) == []


def test_part2_claims_hold_on_every_recorded_run():
    runs = json.loads(claims.SPREAD_PART2.read_text(encoding="utf-8"))["runs"]
    assert len(runs) >= 5
    assert any("COMPATIBLE" in r["label"] for r in runs)
    for run in runs:
        assert failures(run["metrics"], claims.PART2_CLAIMS) == [], run["label"]


def test_part2_claims_fail_on_an_untrained_model_and_a_reversed_table():
    import torch

    from utils import mlm

    torch.manual_seed(0)
    untrained = mlm.MaskedLM(mlm.vocab_size(), mlm.MLMConfig()).eval()
    assert failures(claims.mlm_metrics(untrained), claims.PART2_CLAIMS)
    table = claims.classifier_metrics()
    reversed_table = {**table, "cv/finetune/mean": table["cv/frozen/mean"] + 5}
    assert failures(reversed_table, claims.PART2_CLAIMS)
    flat = {**table, "cv/frozen/mean": 55.0}
    assert failures(flat, claims.PART2_CLAIMS)


@pytest.mark.parametrize("where", [claims.L21, claims.L22, claims.SHEET2])
def test_part2_prose_quotes_no_trained_number(where):
    """Except in the statements that PART2_CLAIMS quote and check."""
    trained, strict = trained_and_strict_numbers()
    checked = {
        n for c in claims.PART2_CLAIMS if c.where == where for n in _numbers(c.says)
    }
    quoted = (_numbers(_part2_prose(where)) & trained) - strict - checked
    assert quoted == set(), sorted(quoted)


def test_part2_mlm_bound_sits_four_standard_deviations_below_the_runs():
    runs = json.loads(claims.SPREAD_PART2.read_text(encoding="utf-8"))["runs"]
    rates = [r["metrics"]["mlm/top3_rate"] for r in runs]
    bound = 45  # PART2_CLAIMS: "about half ... or more"
    assert statistics.mean(rates) - bound >= 4 * statistics.stdev(rates), rates
    claim = next(c for c in claims.PART2_CLAIMS if "mlm/top3_rate" in c.needs)
    assert claim.holds({"mlm/top3_rate": bound + 0.1})
    assert not claim.holds({"mlm/top3_rate": bound})


# --- part 2, lesson 2.2 -------------------------------------------------------


def _gpt_runs() -> list[dict]:
    return json.loads(claims.SPREAD_PART2.read_text(encoding="utf-8"))["gpt_runs"]


def test_gpt_claims_hold_on_every_recorded_run():
    runs = _gpt_runs()
    assert len(runs) >= 5
    assert any("COMPATIBLE" in r["label"] for r in runs)
    for run in runs:
        m = run["metrics"]
        assert sum(c.applies(m) for c in claims.PART2_CLAIMS) == 4, run["label"]
        assert failures(m, claims.PART2_CLAIMS) == [], run["label"]


def test_gpt_loss_band_sits_four_standard_deviations_from_the_runs():
    losses = [r["metrics"]["gpt/valid_loss"] for r in _gpt_runs()]
    low, high = 1.65, 1.75  # PART2_CLAIMS: "about 1.70"
    mean, sd = statistics.mean(losses), statistics.stdev(losses)
    assert min(mean - low, high - mean) >= 4 * sd, losses
    claim = next(c for c in claims.PART2_CLAIMS if c.needs == ("gpt/valid_loss",))
    assert claim.holds({"gpt/valid_loss": low}) and claim.holds(
        {"gpt/valid_loss": high}
    )
    assert not claim.holds({"gpt/valid_loss": high + 0.01})


def test_gpt_claims_fail_on_an_untrained_model_and_a_reversed_bench():
    import torch

    from utils.tasks import shakespeare as S

    torch.manual_seed(0)
    untrained = S.build_model(S.RECIPES["lesson"]).eval()
    broken = claims.gpt_metrics(untrained, S.valid_sample())
    assert len(failures(broken, claims.PART2_CLAIMS)) >= 2  # loss, greedy's loop
    committed = _committed_part2()
    looping = {**committed, "gpt/sampled_loops": 1.0}
    assert failures(looping, claims.PART2_CLAIMS)
    varied = {**committed, "gpt/beam_repetition": 0.0}
    assert failures(varied, claims.PART2_CLAIMS)
    slower = {**committed, "gpt/bench/time_ratio": 1.05}
    worse = {**committed, claims.LESSON: committed[claims.BASELINE] + 0.01}
    useless = {**committed, "gpt/ablation/lesson, nanoGPT's learning rate 1e-3": 1.6}
    for table in (slower, worse, useless):
        assert failures(table, claims.PART2_CLAIMS), table


# --- lesson 5: the head contrast (MiniLM, pretrained) --------------------------


@pytest.mark.parametrize("claim", claims.HEAD_CLAIMS, ids=lambda c: c.says[:40])
def test_head_contrast_claims_are_quoted_from_lesson_5(claim):
    assert " ".join(claim.says.split()) in _prose(claim.where), claim.says


def test_head_contrast_claims_hold_and_fail_on_the_wrong_pair():
    """They hold on MiniLM here. Swapped sentences ("wide" first) fail the
    first claim: no head then moves "it" that way; a "street" contrast of
    0.15 fails the second."""
    from utils.minilm import MINILM_SENTENCE

    assert failures(claims.head_contrast_metrics(), claims.HEAD_CLAIMS) == []
    wide = MINILM_SENTENCE.replace("tired", "wide")
    swapped = claims.head_contrast_metrics(wide, MINILM_SENTENCE)
    assert not claims.HEAD_CLAIMS[0].holds(swapped)
    assert not claims.HEAD_CLAIMS[1].holds({"minilm/street_max": 0.15})


# --- lesson 6: the race at equal time and on little data (race.json) ----------


@pytest.mark.parametrize(
    "claim", claims.RACE_CLAIMS + claims.LATENCY_CLAIMS, ids=lambda c: c.says[:40]
)
def test_race_claims_are_quoted_from_lesson_6(claim):
    assert " ".join(claim.says.split()) in _prose(claim.where), claim.says


def test_race_claims_hold_on_the_bench_and_fail_on_a_changed_one(tmp_path):
    """They hold on the recorded race; a race where the attention GRU's runs
    all score 10 points more, or the plain GRU 20 more, fails them."""
    assert failures(claims.race_metrics(), claims.RACE_CLAIMS) == []
    result = json.loads(claims.RACE.read_text(encoding="utf-8"))
    for runs in (result["race"], result["small"]):
        for r in runs:
            if r["name"] != "transformer_seq2seq":
                r["bleu"] = {b: v + (10 if "attention" in r["name"] else 20) for b, v in r["bleu"].items()}  # fmt: skip
    changed = tmp_path / "race.json"
    changed.write_text(json.dumps(result), encoding="utf-8")
    assert len(failures(claims.race_metrics(changed), claims.RACE_CLAIMS)) == 5


def test_latency_claims_hold_on_the_bench_and_fail_on_a_cached_transformer(tmp_path):
    """They hold on the recorded timing; a transformer as cheap per word as the
    attention GRU and as flat (what a key/value cache would give) fails both."""
    assert failures(claims.race_metrics(), claims.LATENCY_CLAIMS) == []
    result = json.loads(claims.RACE.read_text(encoding="utf-8"))
    timing = result["ms_per_word"]
    timing["transformer_seq2seq"] = dict(timing["gru_attention_seq2seq"])
    changed = tmp_path / "race.json"
    changed.write_text(json.dumps(result), encoding="utf-8")
    assert len(failures(claims.race_metrics(changed), claims.LATENCY_CLAIMS)) == 2
