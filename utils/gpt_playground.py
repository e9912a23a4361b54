"""The retrain playground of lesson 2.2: pick a GPT's layers, heads, width and
context, press "train", and within half a minute see its loss curve, a sample
and one head's attention, beside the previous run.

Every setting is capped, and each run has the same budget: `N_STEPS` steps
of `TOKENS_PER_STEP` characters (a longer context means fewer windows per
batch), so no choice can take minutes or run out of memory.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import torch

from utils.plots import draw_heatmap
from utils.runtime import train_steps
from utils.sampling import generate
from utils.style import PALETTE
from utils.tasks import shakespeare as S
from utils.training import History, smooth
from utils.transformer import GPT, GPTConfig
from utils.widgets import View, figure_png, message_html

CHOICES = {
    "n_layers": (1, 2, 3, 4),
    "n_heads": (1, 2, 4),
    "d_model": (32, 64, 128),
    "context": (16, 32, 64, 128),
}
DEFAULTS = {"n_layers": 2, "n_heads": 4, "d_model": 64, "context": 64}
N_STEPS = 150
TOKENS_PER_STEP = 1024
PROMPT = "ROMEO:\n"


def settings(n_layers: object, n_heads: object, d_model: object, context: object):
    """(GPTConfig, message): each value snapped to the nearest allowed choice,
    with a message naming any that moved."""
    asked = {"n_layers": n_layers, "n_heads": n_heads, "d_model": d_model,
             "context": context}  # fmt: skip
    got, moved = {}, []
    for name, value in asked.items():
        options = CHOICES[name]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = options[0]
        got[name] = min(options, key=lambda o: abs(o - number))
        if got[name] != number:
            moved.append(f"{name} {value!r} -> {got[name]}")
    base = S.RECIPES["lesson"].model
    config = replace(base, **got, d_ff=4 * got["d_model"])
    message = ("Allowed values only: " + ", ".join(moved) + ".") if moved else ""
    return config, message


@dataclass
class Run:
    config: GPTConfig
    history: History
    sample: str
    attention: torch.Tensor  # (n, n): the last block's first head
    tokens: list[str]  # the characters the attention is over
    seconds: float
    n_params: int

    @property
    def label(self) -> str:
        c = self.config
        return f"{c.n_layers}L {c.n_heads}H w{c.d_model} ctx{c.context}"


def train_small(config: GPTConfig, seed: int = 0, n_steps: int = N_STEPS) -> Run:
    """Train a fresh GPT of `config` on the budget; sample it; read one head."""
    corpus = S.corpus()
    batch = max(1, TOKENS_PER_STEP // config.context)
    recipe = S.GPTRecipe(
        "playground",
        "playground",
        config,
        S.PretrainConfig(n_steps=n_steps, batch_size=batch, lr=3e-3, warmup=20),
        seed,
    )
    recipe = replace(recipe, train=replace(recipe.train, n_steps=train_steps(n_steps)))
    start = time.perf_counter()
    torch.manual_seed(seed)
    model = GPT(len(corpus.vocab), config)
    history = S.fit(model, recipe, live=False, valid_points=4, valid_chars=16_384)
    seconds = time.perf_counter() - start
    model.eval()
    ids = corpus.vocab.encode(PROMPT)
    new = generate(model, ids, 120, temperature=0.8, seed=seed)
    text = corpus.vocab.decode(ids + new)[-min(config.context, 20) :]
    captured: list[torch.Tensor] = []
    model.blocks[-1].attn.fused = False  # the slower path keeps the weights
    hook = model.blocks[-1].attn.register_forward_hook(
        lambda _m, _i, out: captured.append(out[1])
    )
    with torch.no_grad():
        model(torch.tensor([corpus.vocab.encode(text)]))
    hook.remove()
    n_params = sum(p.numel() for p in model.parameters())
    return Run(config, history, PROMPT + corpus.vocab.decode(new), captured[0][0, 0],
               list(text), seconds, n_params)  # fmt: skip


def draw_runs(current: Run, previous: Run | None):
    """Loss curves of this run and the previous one, and this run's head."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    for run, color, style in ((previous, PALETTE["orange"], "--"),
                              (current, PALETTE["blue"], "-")):  # fmt: skip
        if run is None:
            continue
        h = run.history
        left.plot(smooth(h.train, 10), color=color, ls=style, label=run.label)
        left.plot(h.valid_steps, h.valid, "o", color=color)
    left.set(xlabel="step", ylabel="loss (nats per character)",
             title="Training (line) and validation (dots)")  # fmt: skip
    left.legend()
    shown = [c.replace("\n", "⏎").replace(" ", "␣") for c in current.tokens]
    draw_heatmap(right, current.attention, shown, shown,
                 title="Last block, head 1")  # fmt: skip
    fig.tight_layout()
    return fig


def view(current: Run, previous: Run | None, message: str = "") -> View:
    valid = current.history.valid[-1]
    text = (
        f"<p><b>{current.label}</b>: {current.n_params:,} parameters, validation "
        f"loss {valid:.2f} after {len(current.history.train)} steps.</p>"
        "<pre style='white-space:pre-wrap;font-size:15px'>"
        f"{html.escape(current.sample)}</pre>"
    )
    fig = draw_runs(current, previous)
    png = figure_png(fig)
    plt.close(fig)
    return View(html=text, png=png, message=message)


def plan(config: GPTConfig, message: str = "") -> str:
    """The line the sliders update: what "train" will build, before it runs."""
    n_params = sum(p.numel() for p in GPT(len(S.corpus().vocab), config).parameters())
    batch = max(1, TOKENS_PER_STEP // config.context)
    return (
        f"{message_html(message)}<p>Next run: <b>{config.n_layers}L "
        f"{config.n_heads}H w{config.d_model} ctx{config.context}</b>, "
        f"{n_params:,} parameters, {train_steps(N_STEPS)} steps of {batch} windows. "
        "Press <b>train</b>.</p>"
    )


def show_playground(first: Run | None = None):
    """Sliders, a "train" button, and the view of the latest run. `first`, a
    run already trained, is shown as the picture left behind and is the
    "previous run" of the first live one."""
    import ipywidgets as widgets
    from IPython.display import display

    from utils.widgets import lab_styled, static

    sliders = {
        name: widgets.SelectionSlider(
            options=options, value=DEFAULTS[name], description=name
        )
        for name, options in CHOICES.items()
    }
    button = widgets.Button(description="train", button_style="primary")
    out_plan, out_html = widgets.HTML(), widgets.HTML()
    out_png = widgets.Image(format="png", layout={"align_self": "flex-start"})
    runs: list[Run] = [first] if first else []
    if first:
        static(view(first, None))

    def chosen() -> tuple[GPTConfig, str]:
        return settings(**{k: s.value for k, s in sliders.items()})

    def on_change(_: object = None) -> None:
        out_plan.value = lab_styled(plan(*chosen()))

    def on_train(_: object = None) -> None:
        button.disabled, button.description = True, "training..."
        config, message = chosen()
        run = train_small(config)
        v = view(run, runs[-1] if runs else None, message)
        runs.append(run)
        out_html.value = lab_styled(v.html + f"<p>Trained in {run.seconds:.0f} s.</p>")
        out_png.value = v.png
        button.disabled, button.description = False, "train"

    for slider in sliders.values():
        slider.observe(on_change, names="value")
    button.on_click(on_train)
    controls = widgets.HBox([*sliders.values(), button],
                            layout={"flex_flow": "row wrap"})  # fmt: skip
    box = widgets.VBox([controls, out_plan, out_html, out_png])
    display(box)
    on_change()
    return box
