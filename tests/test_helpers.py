"""Seeding, device choice, the training loop and the model cache."""

import json
import random

import numpy as np
import pytest
import torch

from utils import cache, runtime, training
from utils.training import History


def test_seed_everything_repeats_all_generators():
    runtime.seed_everything(7)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    runtime.seed_everything(7)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first
    runtime.seed_everything(8)
    assert torch.rand(1).item() != first[2]


def test_device_defaults_to_cuda_only_when_present(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert runtime.get_device().type == expected
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert runtime.get_device().type == "cpu"
    assert runtime.get_device("cpu") == torch.device("cpu")


def test_quick_mode_changes_only_step_counts(monkeypatch):
    monkeypatch.delenv(runtime.QUICK_ENV, raising=False)
    assert runtime.train_steps(1200) == 1200
    monkeypatch.setenv(runtime.QUICK_ENV, "0")
    assert runtime.train_steps(1200) == 1200
    monkeypatch.setenv(runtime.QUICK_ENV, "1")
    assert runtime.train_steps(1200) == 120
    assert runtime.train_steps(30) == 10


def test_smooth_is_a_running_mean():
    assert training.smooth([1.0, 3.0, 5.0, 7.0], window=2) == [1.0, 2.0, 4.0, 6.0]
    assert training.smooth([], window=3) == []


def _regression(seed: int = 0):
    """A one-layer model fitting y = 2x - 1 on 64 fixed points."""
    runtime.seed_everything(seed)
    x = torch.linspace(-1, 1, 64).unsqueeze(1)  # (64, 1)
    y = 2 * x - 1  # (64, 1)
    model = torch.nn.Linear(1, 1)

    def fit(model: torch.nn.Module, n_steps: int = 60) -> History:
        opt = torch.optim.SGD(model.parameters(), lr=0.2)

        def step(i: int) -> float:
            loss = torch.nn.functional.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()

        def validate() -> float:
            with torch.no_grad():
                return torch.nn.functional.mse_loss(model(x), y).item()

        return training.train(
            step, n_steps, validate=validate, valid_every=25, live=False
        )

    return model, fit


def test_train_records_losses_and_validation_steps():
    model, fit = _regression()
    history = fit(model)
    assert len(history.train) == 60
    assert history.valid_steps == [25, 50, 60]
    assert history.train[-1] < 0.01 * history.train[0]
    assert history.valid[-1] < history.train[-1]  # measured after the last step


def test_train_is_deterministic_for_a_seed():
    m1, fit1 = _regression(3)
    m2, fit2 = _regression(3)
    assert fit1(m1).train == fit2(m2).train


def test_train_stops_with_a_clear_message_on_nan():
    with pytest.raises(FloatingPointError, match="at step 2: lower the learning rate"):
        training.train(lambda i: [1.0, 0.5, float("nan")][i], 3, live=False)


def test_live_bar_redraws_a_bounded_number_of_times_on_a_slow_machine():
    # Each redraw is kernel messages; thousands overflow the kernel's queue.
    # A fake clock makes every step take a second (the default bar would
    # redraw at every one of them).
    bar = training.live_bar(5000, "slow")
    clock = iter(range(10**6))
    bar._time = lambda: bar.start_t + next(clock)
    redraws = []
    bar.display = lambda *args, **kwargs: redraws.append(1)
    for _ in range(5000):
        bar.update(1)
    assert 90 <= len(redraws) <= training.LIVE_REDRAWS + 1


def test_live_bar_passes_options_to_tqdm():
    bar = training.live_bar(3, "toy", bar_format="{desc}: {n_fmt}/{total_fmt} {bar}")
    bar.update(3)
    bar.close()  # redraws now (tqdm waits 0.1 s between redraws)
    text = bar.container.children[0].value.replace("\u2007", " ")  # figure spaces
    assert text.strip() == "toy: 3/3"  # no rate, no time left
    assert bar.miniters == 1


def test_loss_figure_has_train_and_valid_curves():
    fig = training.loss_figure(History([3.0, 2.0, 1.0], [3], [1.5]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "valid"]
    assert ax.get_xlabel() == "training step"


def test_history_round_trips_through_json():
    h = History([1.0, 0.5], [2], [0.7])
    assert History.from_dict(json.loads(json.dumps(h.to_dict()))) == h


def test_cache_hit_gives_the_same_model_history_and_next_random_numbers(tmp_path):
    config = {"lr": 0.2, "steps": 60}

    def build():
        return torch.nn.Linear(1, 1)

    def fit(model):
        return _regression()[1](model)

    fresh, h1, hit1 = cache.cached_model("line", config, 0, build, fit, root=tmp_path)
    after_fresh = torch.rand(3)
    cached, h2, hit2 = cache.cached_model("line", config, 0, build, fit, root=tmp_path)
    after_hit = torch.rand(3)
    assert (hit1, hit2) == (False, True)
    assert h1 == h2
    x = torch.tensor([[0.5], [-0.25]])
    torch.testing.assert_close(fresh(x), cached(x), rtol=0, atol=0)
    torch.testing.assert_close(after_fresh, after_hit, rtol=0, atol=0)


def test_cache_key_depends_on_config_and_seed():
    k = cache.cache_key("gru", {"hidden": 64}, 0)
    assert k == cache.cache_key("gru", {"hidden": 64}, 0)
    assert k != cache.cache_key("gru", {"hidden": 65}, 0)
    assert k != cache.cache_key("gru", {"hidden": 64}, 1)
    assert len(k) == 16


def counting_fit():
    """(calls, build, fit) for the cache tests: fit appends to calls."""
    calls: list[int] = []

    def fit(model):
        calls.append(1)
        return History([1.0])

    def build():
        return torch.nn.Linear(2, 2)

    return calls, build, fit


def test_cache_key_depends_on_the_data_fingerprint(tmp_path):
    """Same sizes and seed, other data or vocabulary: another entry, trained."""
    k = cache.cache_key("gru", {"hidden": 64}, 0, data="abc")
    assert k == cache.cache_key("gru", {"hidden": 64}, 0, data="abc")
    assert k != cache.cache_key("gru", {"hidden": 64}, 0, data="abd")
    assert k != cache.cache_key("gru", {"hidden": 64}, 0)
    assert cache.entry_dir("m", {}, 0, tmp_path, data="abc") != cache.entry_dir(
        "m", {}, 0, tmp_path, data="abd"
    )
    calls, build, fit = counting_fit()

    for data in ["v1", "v1", "v2", "v1"]:
        cache.cached_model("m", {}, 0, build, fit, root=tmp_path, data=data)
    assert len(calls) == 2  # v1 trained, v1 a hit, v2 trained, v1 a hit
    record = json.loads(
        (cache.entry_dir("m", {}, 0, tmp_path, data="v2") / "config.json").read_text()
    )
    assert record["data"] == "v2"


def test_broken_or_partial_cache_entry_retrains(tmp_path):
    calls, build, fit = counting_fit()

    folder = cache.entry_dir("m", {}, 0, tmp_path)
    folder.with_name(folder.name + ".partial").mkdir(
        parents=True
    )  # an interrupted save
    cache.cached_model("m", {}, 0, build, fit, root=tmp_path)
    (folder / "model.safetensors").write_bytes(b"garbage")  # a corrupt entry
    cache.cached_model("m", {}, 0, build, fit, root=tmp_path)
    assert len(calls) == 2
    cache.cached_model("m", {}, 0, build, fit, root=tmp_path)
    assert len(calls) == 2  # the rebuilt entry is a hit


def test_summary_line_has_no_timing():
    history = History([3.0, 2.0, 0.4123], [3], [0.52])
    assert training.summary("gru", history) == (
        "gru: 3 steps, last train loss 0.412, validation loss 0.520"
    )
    assert (
        training.summary("lm", History([1.0])) == "lm: 1 steps, last train loss 1.000"
    )


def test_live_training_shows_a_labelled_view_then_the_summary(monkeypatch, capsys):
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw))
    )
    monkeypatch.setattr(training, "show_history", lambda *a: shown.append("figure"))
    history = training.train(lambda i: 1.0 / (i + 1), 4, live=True, desc="toy")
    assert history.train == [1.0, 0.5, 1 / 3, 0.25]
    (view, raw), figure = shown
    assert (
        raw
        and view["text/plain"] == "toy: 4 training steps (a live bar and loss curve)"
    )
    assert "application/vnd.jupyter.widget-view+json" in view
    assert capsys.readouterr().out == "toy: 4 steps, last train loss 0.250\n"
    assert figure == "figure"


def test_live_training_leaves_one_curve(monkeypatch):
    """The live curve is hidden once training ends: the static figure that
    follows is the one left (one view, not two)."""
    import IPython.display
    import ipywidgets

    images = []
    real_image = ipywidgets.Image

    def spy(**kwargs):
        images.append(real_image(**kwargs))
        return images[-1]

    monkeypatch.setattr(ipywidgets, "Image", spy)
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
    monkeypatch.setattr(training, "show_history", lambda *a: None)
    training.train(lambda i: 1.0 / (i + 1), 4, live=True, desc="toy")
    (image,) = images
    assert image.value and image.layout.display == "none"


@pytest.mark.parametrize("quick", ["", "1"])
def test_quick_mode_puts_a_banner_over_the_loss_figure(monkeypatch, quick):
    import IPython.display
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setenv(runtime.QUICK_ENV, quick)
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    monkeypatch.setattr(plt, "show", lambda: plt.close("all"))
    training.show_history(History(train=[1.0, 0.5]))
    banners = [obj.data for obj in shown if "Quick mode" in obj.data]
    assert len(banners) == (1 if quick else 0)
    assert all("a tenth of its steps" in b for b in banners)


def test_bench_rows_reads_the_first_table_of_a_bench_section(monkeypatch):
    from utils import runtime

    section = (
        "### Sentiment\n\nSome words.\n\n| classifier | accuracy |\n|---|---:|\n"
        "| majority | 50.0% ± 0.0% |\n| frozen | 74.5% ± 8.6% |\n\nMore words.\n\n"
        "| other | table |\n|---|---|\n| x | y |\n"
    )
    monkeypatch.setattr(runtime, "bench_section", lambda title, sub="": section)
    rows = runtime.bench_rows("Encoders at work", "### Sentiment")
    assert rows == [
        {"classifier": "majority", "accuracy": "50.0% ± 0.0%"},
        {"classifier": "frozen", "accuracy": "74.5% ± 8.6%"},
    ]
    monkeypatch.setattr(
        runtime, "bench_section", lambda title, sub="": "*No figures yet*"
    )
    assert runtime.bench_rows("Nothing") == []


def test_cell_numbers_reads_every_number_of_a_table_cell():
    from utils.runtime import cell_numbers

    assert cell_numbers("74.5% ± 8.6%") == [74.5, 8.6]
    assert cell_numbers("16,330") == [16330.0]
    assert cell_numbers("1.687") == [1.687]
    assert cell_numbers("-0.5 to 2") == [-0.5, 2.0]
    assert cell_numbers("yes") == []


def test_the_recorded_benches_give_the_tables_the_lessons_draw():
    from utils.runtime import bench_rows, cell_numbers

    sentiment = bench_rows("Encoders at work", "### Sentiment")
    assert sentiment[0]["classifier"] == "majority"
    assert cell_numbers(sentiment[0]["accuracy, mean ± sd"]) == [50.0, 0.0]
    assert len(sentiment) == 3
    ablation = bench_rows("Pretraining a small GPT", "### Ablation")
    assert ablation[0]["run"] == "the lesson's recipe" and len(ablation) >= 5
    assert all(
        len(cell_numbers(r["validation loss (nats/char)"])) == 1 for r in ablation
    )
