"""The one training loop of the course, with a progress bar and a live loss
curve: `make_step` turns a model, its batches, its loss and an optimiser into
one optimiser step; `train` calls it a fixed number of times; `evaluate`
averages a loss over held-out batches. Lessons 3 and 6 and part 2 train
through it.

The lessons train for a fixed number of steps, never for a wall-clock budget, so
a re-run gives the same numbers on any CPU. The progress bar (tqdm) and the live
curve are widgets: their changing text (speed, time left) never lands in the
saved cell outputs that the notebook checks compare. When training ends, a
static figure of the loss curve is left behind for GitHub, nbviewer and slides.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import nn

from utils.style import PALETTE

if TYPE_CHECKING:
    from tqdm.notebook import tqdm as NotebookBar

B = TypeVar("B")  # a batch, whatever the task makes it


@dataclass(frozen=True)
class TrainConfig:
    """How a model is trained: Adam at `lr`, gradients clipped to norm `clip`,
    `n_steps` steps of `batch_size` examples, validation every `valid_every`."""

    batch_size: int = 64
    lr: float = 2e-3
    clip: float = 1.0
    n_steps: int = 1200
    valid_every: int = 100


def make_step(
    model: nn.Module,
    batches: Iterator[B],
    loss: Callable[[nn.Module, B], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    clip: float | None = None,
    schedule: Callable[[int], float] | None = None,
) -> Callable[[int], float]:
    """A function step(i) -> loss for `train`: the next batch, the loss, its
    gradients (clipped to norm `clip`), one optimiser step, at the learning
    rate `schedule(i)` if given."""

    def step(i: int) -> float:
        batch = next(batches)
        if schedule is not None:
            for group in optimizer.param_groups:
                group["lr"] = schedule(i)
        model.train()
        value = loss(model, batch)
        optimizer.zero_grad()
        value.backward()
        if clip:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        return value.item()

    return step


@torch.no_grad()
def evaluate(
    model: nn.Module,
    batches: Iterable[B],
    loss: Callable[[nn.Module, B], torch.Tensor],
    weight: Callable[[B], int] = lambda batch: 1,
) -> float:
    """The mean of `loss` over `batches`, each weighted by `weight(batch)`
    (e.g. its number of target words, for a loss per word)."""
    model.eval()
    total, count = 0.0, 0
    for batch in batches:
        n = weight(batch)
        total += loss(model, batch).item() * n
        count += n
    return total / count


@dataclass
class History:
    """Losses recorded during training: one training loss per step, and any
    validation losses at the steps where they were measured."""

    train: list[float] = field(default_factory=list)
    valid_steps: list[int] = field(default_factory=list)
    valid: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, list]:
        return {
            "train": self.train,
            "valid_steps": self.valid_steps,
            "valid": self.valid,
        }

    @classmethod
    def from_dict(cls, d: dict[str, list]) -> History:
        return cls(list(d["train"]), list(d["valid_steps"]), list(d["valid"]))


def smooth(values: list[float], window: int) -> list[float]:
    """Running mean over the last `window` values (the first ones use fewer)."""
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def draw_loss(
    ax: Axes,
    history: History,
    title: str = "Training loss",
    ylabel: str = "cross-entropy loss (nats)",
) -> None:
    """The loss curve: raw steps faint, a running mean bold, validation as dots."""
    steps = range(1, len(history.train) + 1)
    window = max(1, len(history.train) // 50)
    ax.plot(steps, history.train, color=PALETTE["sky"], linewidth=1, alpha=0.5)
    ax.plot(steps, smooth(history.train, window), color=PALETTE["blue"], label="train")
    if history.valid:
        ax.plot(
            history.valid_steps,
            history.valid,
            "o-",
            color=PALETTE["orange"],
            label="valid",
        )
    ax.set(title=title, xlabel="training step", ylabel=ylabel)
    ax.legend()


def loss_figure(
    history: History, title: str = "Training loss", ylabel: str = "loss"
) -> Figure:
    """The loss curve as a figure outside pyplot, so it is never shown by itself
    (used for the live image)."""
    fig = Figure(figsize=(9, 4.5))
    draw_loss(fig.subplots(), history, title, ylabel)
    fig.tight_layout()
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    return buf.getvalue()


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return False
    return shell is not None and hasattr(shell, "kernel")


# A live bar redraws at most this many times, however slow the machine: each
# redraw is a few kernel messages, and a cell that sends thousands of them
# overflows the kernel's message queue (nbval then waits for output that was
# dropped and fails the cell).
LIVE_REDRAWS = 100


def live_bar(n_steps: int, desc: str, **options: Any) -> NotebookBar:
    """A notebook progress bar (not yet displayed) for `n_steps` steps that
    redraws every `n_steps // LIVE_REDRAWS` steps at most. `options` go to
    tqdm (e.g. a `bar_format` without timing text)."""
    from tqdm.notebook import tqdm as notebook_tqdm

    every = max(1, n_steps // LIVE_REDRAWS)
    return notebook_tqdm(
        total=n_steps, desc=desc, display=False, miniters=every, **options
    )


def show_bar(bar: NotebookBar, text: str, *below: object) -> None:
    """Display a live bar (and widgets `below` it) with `text` as its plain
    form: static views (GitHub, nbval) show that line, not a bar frozen at 0 %
    or its timing text."""
    import ipywidgets as widgets
    from IPython.display import display

    view = widgets.VBox([bar.container, *below])._repr_mimebundle_()
    view["text/plain"] = text
    display(view, raw=True)


def train(
    step: Callable[[int], float],
    n_steps: int,
    *,
    validate: Callable[[], float] | None = None,
    valid_every: int = 0,
    desc: str = "training",
    live: bool | None = None,
    plot_every: int = 0,
    title: str = "Training loss",
    ylabel: str = "cross-entropy loss (nats)",
) -> History:
    """Call `step(i)` for i in 0..n_steps-1; each call does one optimiser step and
    returns its loss. Shows a tqdm bar and, in a notebook, a live loss curve;
    ends by showing a static figure of the curve (in a notebook).

    `validate()` is called every `valid_every` steps and at the end.
    `live=False` turns every display off (tests, scripts).
    """
    from tqdm.auto import tqdm

    live = _in_notebook() if live is None else live
    history = History()
    image = None
    if live:
        import ipywidgets as widgets

        bar = live_bar(n_steps, desc)
        image = widgets.Image(format="png", layout=widgets.Layout(width="540px"))
        # The summary and the static figure follow at the end.
        show_bar(
            bar,
            f"{desc}: {n_steps:,} training steps (a live bar and loss curve)",
            image,
        )
    else:
        bar = tqdm(total=n_steps, desc=desc, disable=True)
    plot_every = plot_every or max(1, n_steps // 20)
    for i in range(n_steps):
        loss = float(step(i))
        if not math.isfinite(loss):
            bar.close()
            raise FloatingPointError(
                f"the loss became {loss} at step {i}: lower the learning rate"
            )
        history.train.append(loss)
        last = i + 1 == n_steps
        due = (valid_every and (i + 1) % valid_every == 0) or last
        if validate is not None and due:
            history.valid_steps.append(i + 1)
            history.valid.append(float(validate()))
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
        if image is not None and ((i + 1) % plot_every == 0 or last):
            image.value = _png(loss_figure(history, title, ylabel))
    bar.close()
    if image is not None:  # the static figure below replaces the live curve
        image.layout.display = "none"
    if live:
        print(summary(desc, history))
        show_history(history, title, ylabel)
    return history


def summary(desc: str, history: History) -> str:
    """One line for the end of training, e.g. "gru: 1,200 steps, last train
    loss 0.412, validation loss 0.520" (no timing, so reruns print the same)."""
    line = (
        f"{desc}: {len(history.train):,} steps, last train loss {history.train[-1]:.3f}"
    )
    if history.valid:
        line += f", validation loss {history.valid[-1]:.3f}"
    return line


def show_history(
    history: History,
    title: str = "Training loss",
    ylabel: str = "cross-entropy loss (nats)",
) -> None:
    """Display the static loss figure (also used on a model-cache hit), under
    a banner in quick mode, where a short run's worse results appear."""
    from utils.runtime import QUICK_NOTE, quick_mode

    if quick_mode():
        from IPython.display import HTML, display

        from utils.widgets import message_html

        display(HTML(message_html(QUICK_NOTE)))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    draw_loss(ax, history, title, ylabel)
    fig.tight_layout()
    plt.show()
