"""What the translation lessons show of a translator (lessons 3 and 6): the
decoding trace as a table, the attention alignment, and the two widgets,
"translate your own sentence" (lesson 3) and the decoding stepper (lesson 6),
which read their text box through one validator.
"""

from __future__ import annotations

import difflib
import html
import json
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from utils.plots import draw_grouped_bars, draw_heatmap
from utils.style import COLORS
from utils.tasks.translation import TraceStep, Translator, trace_decode
from utils.text import EOS, SPECIALS, Vocab, detokenize
from utils.widgets import View, as_number, clamp, clean_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MAX_WORDS = 40  # the training sentences have at most 28 tokens
MAX_STEP = 40  # the stepper's last step (trace_decode's max_len)
RANKS = {"greedy (1st)": 0, "2nd": 1, "3rd": 2}  # the stepper's choices


def trace_html(steps: Sequence[TraceStep], changed: int | None = None) -> str:
    """The decoding trace as an HTML table: one row per step; the row of step
    `changed` (0-based), where another word was taken, is highlighted."""
    head = "".join(
        f"<th>{h}</th>"
        for h in ("step", "fed in", "1st", "p", "2nd", "p", "3rd", "p", "chosen")
    )
    rows = []
    for n, s in enumerate(steps):
        cells = [str(n + 1), html.escape(s.fed)]
        for word, p in s.top[:3]:
            cells += [html.escape(word), f"{p:.2f}"]
        cells.append(f"<b>{html.escape(s.chosen)}</b>")
        style = ' style="background:#fff3c4"' if n == changed else ""
        rows.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        '<table style="font-size:15px"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def draw_alignment(
    ax: Axes, steps: Sequence[TraceStep], src_words: Sequence[str]
) -> None:
    """Attention weights of a traced decode: one row per German word written,
    one column per English word read."""
    weights = [s.attention for s in steps]  # (tgt_len, src_len)
    draw_heatmap(
        ax,
        weights,
        [s.chosen for s in steps],
        src_words,
        xlabel="English word read",
        ylabel="German word written",
    )


def sentence_words(sentence: object, vocab: Vocab) -> tuple[list[str], list[str]]:
    """The words of a text box's sentence that a translator will read, and
    notes for the reader. No words when there is nothing to translate; the
    notes then say why."""
    text, message = clean_text(sentence)
    if not text:
        return [], [message]
    words, notes = vocab.tokens(text), [message] if message else []
    if len(words) > MAX_WORDS:
        words = words[:MAX_WORDS]
        notes.append(f"Only the first {MAX_WORDS} words are used.")
    unknown = sorted({w for w in words if w not in vocab.stoi})
    if len(unknown) == len(set(words)):
        none_known = (
            "None of these words is in the model's vocabulary: it knows only "
            f"the {vocab.n_words} English words of its training sentences, "
            "e.g. 'The man buys the cake.'"
        )
        return [], [none_known]
    if unknown:
        shown = ", ".join(with_nearest(w, vocab) for w in unknown[:8])
        more = " and more" if len(unknown) > 8 else ""
        notes.append(f"Unknown words become <unk>: {shown}{more}.")
    return words, notes


def known_words(vocab: Vocab) -> list[str]:
    """The words a vocabulary knows, sorted (its special tokens left out)."""
    return sorted(w for w in vocab.itos if w not in SPECIALS)


def with_nearest(word: str, vocab: Vocab) -> str:
    """An unknown word and the known word closest in spelling, if one is close:
    "'nearr' (did you mean 'near'?)"; a hint, not a translation."""
    close = difflib.get_close_matches(word, known_words(vocab), n=1, cutoff=0.6)
    return f"{word!r} (closest known: {close[0]!r})" if close else repr(word)


def vocabulary_html(vocab: Vocab) -> str:
    """The known words, folded away under a one-line summary."""
    words = known_words(vocab)
    return (
        f"<details><summary>The {len(words)} English words this model knows"
        "</summary><p style='font-size:14px;line-height:1.6'>"
        + html.escape(" · ".join(words))
        + "</p></details>"
    )


def _translation_view(
    steps: Sequence[TraceStep], notes: list[str], changed: int | None = None
) -> View:
    german = detokenize([s.chosen for s in steps if s.chosen != EOS])
    body = f'<p style="font-size:18px">{html.escape(german)}</p>'
    return View(html=body + trace_html(steps, changed), message=_joined(notes))


def _joined(notes: list[str]) -> str:
    return " ".join(filter(None, notes))


def make_translate_update(
    model: Translator, src_vocab: Vocab, tgt_vocab: Vocab
) -> Callable[[str], View]:
    """A pure update(sentence) -> View for `utils.widgets.show`: the greedy
    translation of an English sentence and its step-by-step trace."""

    known = vocabulary_html(src_vocab)

    def update(sentence: str) -> View:
        words, notes = sentence_words(sentence, src_vocab)
        if not words:
            return View(html=known, message=_joined(notes))
        steps = trace_decode(model, src_vocab, tgt_vocab, " ".join(words))
        view = _translation_view(steps, notes)
        return View(html=view.html + known, message=view.message)

    return update


def make_stepper_update(
    model: Translator, src_vocab: Vocab, tgt_vocab: Vocab
) -> Callable[..., View]:
    """A pure update(sentence, step, choice) -> View: decode `sentence` greedily,
    except that at `step` (1-based) the word of rank `choice` is taken; the
    table shows the top 3 next words and their probabilities at every step."""

    def update(sentence: str, step: int = 1, choice: str = "greedy (1st)") -> View:
        words, notes = sentence_words(sentence, src_vocab)
        if not words:
            return View(message=_joined(notes))
        if choice not in RANKS:
            notes.append(f"{choice!r} is not a choice: the best word is taken.")
        rank = RANKS.get(choice, 0)
        t = int(clamp(step, 1, MAX_STEP, 1)) - 1  # the 0-based step actually used
        if as_number(step) != t + 1:  # not a whole number from 1 to MAX_STEP
            notes.append(
                f"The step must be a whole number from 1 to {MAX_STEP}: step {t + 1}."
            )
        steps = trace_decode(
            model, src_vocab, tgt_vocab, " ".join(words), pick={t: rank}
        )
        if t >= len(steps):
            notes.append(f"The translation ends before step {t + 1}.")
        return _translation_view(steps, notes, t if rank else None)

    return update


def make_step_choices(
    model: Translator, src_vocab: Vocab, tgt_vocab: Vocab
) -> Callable[..., list[tuple[str, int]]]:
    """The stepper's step menu for a sentence (`utils.widgets.show` rebuilds it
    when the sentence changes): one entry per step of its greedy translation,
    named by the word written there ("3: kauft"), so that only steps that
    exist can be picked."""

    def choices(sentence: str, **_: object) -> list[tuple[str, int]]:
        words, _notes = sentence_words(sentence, src_vocab)
        if not words:
            return [("1", 1)]
        steps = trace_decode(model, src_vocab, tgt_vocab, " ".join(words))
        return [(f"{n}: {s.chosen}", n) for n, s in enumerate(steps, 1)]

    return choices


# --------------------------------------------------------------------------
# The race at equal time (lesson 6), from the bench's saved runs
# --------------------------------------------------------------------------

RACE_JSON = Path(__file__).resolve().parents[2] / "benchmarks" / "race.json"
RACE_LABELS = {
    "gru_seq2seq": "GRU",
    "gru_attention_seq2seq": "GRU + attention",
    "transformer_seq2seq": "transformer",
}


def load_race(path: Path = RACE_JSON) -> dict | None:
    """The bench's race (`python scripts/bench.py --only race`), or None with
    a message naming that command when it was never run here."""
    if not path.exists():
        print(
            f"No race results at {path.name}: run `python scripts/bench.py --only race`."
        )
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def race_rows(runs: Sequence[dict], pairs: int | None = None) -> dict[str, dict]:
    """Per model (in the order of RACE_LABELS): steps, training pairs, the
    seeds, and BLEU's mean and sd per bucket over the seeds. `pairs` keeps only
    the runs trained on that many pairs."""
    rows: dict[str, dict] = {}
    for name, label in RACE_LABELS.items():
        mine = [r for r in runs if r["name"] == name and pairs in (None, r["pairs"])]
        if not mine:
            continue
        buckets = mine[0]["bleu"]
        rows[label] = {
            "steps": mine[0]["steps"],
            "pairs": mine[0]["pairs"],
            "seeds": [r["seed"] for r in mine],
            "valid_loss": statistics.mean(r["valid_loss"] for r in mine),
            "mean": {b: statistics.mean(r["bleu"][b] for r in mine) for b in buckets},
            "sd": {
                b: statistics.stdev(r["bleu"][b] for r in mine)
                if len(mine) > 1
                else None
                for b in buckets  # None for a single seed: no spread to show
            },
        }
    return rows


def mean_sd(row: dict, bucket: str) -> str:
    """ "84.4 ± 5.1" over several seeds, "84.4" for one."""
    sd = row["sd"][bucket]
    mean = f"{row['mean'][bucket]:.1f}"
    return mean if sd is None else f"{mean} ± {sd:.1f}"


def print_race(
    rows: dict[str, dict], ms_per_step: dict[str, float] | None = None
) -> None:
    """The race as a table: BLEU mean ± sd per length bucket, and the training
    time that the steps cost at the measured milliseconds per step."""
    buckets = list(next(iter(rows.values()))["mean"])
    names = {v: k for k, v in RACE_LABELS.items()}
    print(f"{'BLEU':<16}{'steps':>6}{'time':>7}" + "".join(f"{b:>13}" for b in buckets))
    for label, row in rows.items():
        ms = (ms_per_step or {}).get(names[label])
        time = f"{row['steps'] * ms / 1000:>5.0f} s" if ms else f"{'':>7}"
        cells = "".join(f"{mean_sd(row, b):>13}" for b in buckets)
        print(f"{label:<16}{row['steps']:>6,}{time}{cells}")


def show_race(
    part: str = "race", pairs: int | None = None, path: Path = RACE_JSON
) -> None:
    """Print one table of the bench's saved race: "race" (all pairs, equal
    time) or "small" (the runs on `pairs` training pairs)."""
    result = load_race(path)
    if result is None:
        return
    rows = race_rows(result[part], pairs)
    if not rows:
        print(f"No {part} runs with {pairs} pairs in {path.name}.")
        return
    print_race(rows, result["ms_per_step"])


def draw_race(ax: Axes, part: str = "race", path: Path = RACE_JSON) -> None:
    """The bench's saved race as bars: BLEU per length bucket and model, the
    mean over the seeds with ± 1 sd, each model's steps in the legend; the
    models keep their colours of lesson 6's first race (after the phrase
    table's blue)."""
    result = load_race(path)
    if result is None:
        return
    rows = race_rows(result[part])
    names = {label: f"{label} ({row['steps']:,} steps)" for label, row in rows.items()}
    seeds = len(next(iter(rows.values()))["seeds"])
    draw_grouped_bars(
        ax,
        {names[label]: row["mean"] for label, row in rows.items()},
        "BLEU (0-100)",
        f"Equal training time, {seeds} seeds: mean ± 1 sd",
        errors={names[label]: row["sd"] for label, row in rows.items()},
        colors=COLORS[1 : 1 + len(rows)],
    )
    ax.set_xlabel("English sentence length (words); all = the whole test set")
    ax.set_ylim(0, 125)  # room for the legend above the bars
    ax.set_yticks(range(0, 101, 20))
    ax.legend(ncol=len(rows), loc="upper center", fontsize=13)


def show_ms_per_word(path: Path = RACE_JSON) -> None:
    """Print the bench's milliseconds per written word, by output length."""
    result = load_race(path)
    if result is None or "ms_per_word" not in result:
        print(
            f"No per-word timings in {path.name}: run `python scripts/bench.py --only race`."
        )
        return
    table = result["ms_per_word"]
    lengths = list(next(iter(table.values())))
    print(f"{'ms per word':<16}" + "".join(f"{'n = ' + n:>10}" for n in lengths))
    for name, row in table.items():
        print(f"{RACE_LABELS[name]:<16}" + "".join(f"{row[n]:>10.2f}" for n in lengths))
