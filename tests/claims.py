"""What lessons 3 and 6 say about their trained models, checked with tolerances.

Trained weights differ from one CPU to another (another instruction set or BLAS
code path sums in another order, and training turns the last bit into another
model), so the notebooks' training-dependent outputs are not compared as text
across machines (tests/nbval_sanitize.cfg lists them). What the prose says of
them is checked here instead, on any machine:

- `measure` reads the figures the lessons print (losses, BLEU by length, the
  teacher-forcing gap, a few translations, the encoder's similarities) from
  trained models; `from_notebooks` reads the same figures from the committed
  outputs;
- each `Claim` is one statement of a lesson's Markdown, quoted exactly (a test
  finds the quote in the notebook), with a check on those figures.

The bounds come from measured spread: `scripts/measure_claims.py` trains the
three models with several seeds, and with forced CPU code paths, into
`benchmarks/claims_spread.json`; tests/test_claims.py checks that every
recorded run passes, and that every band is at least 4 standard deviations
wide. A broken model (untrained, or with its German vocabulary shuffled) fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

REPO = Path(__file__).resolve().parents[1]
SPREAD = REPO / "benchmarks" / "claims_spread.json"
NOTEBOOKS = REPO / "notebooks" / "part1_background"
BUCKETS = ("all", "3-7", "8-12", "13-17", "18-25")
MODELS = ("gru", "attn", "transformer")
# The sentences the lessons translate, trace or compare.
MAN_CAKE = "The man buys the cake."
ALIGNED = "The man calls the woman because she buys the cake."
# German words of ALIGNED's translation, and the English word each translates.
WORD_FOR_WORD = (
    ("Mann", "man"),
    ("ruft", "calls"),
    ("Frau", "woman"),
    ("sie", "she"),
    ("Kuchen", "cake"),
)
# The verb parts German moves to the end of ALIGNED's translation ("ruft ...
# an", "... den Kuchen kauft"), and the English verb each translates.
VERBS = (("an", "calls"), ("kauft", "buys"))
COLOURS = ("rot", "gelb", "blau", "grün", "schwarz", "weiß", "grau", "braun")
POOLED = (
    "The man buys the cake.",
    "The woman buys the cake.",
    "The man buys the cake today.",
    "My sister reads a book.",
)

Metrics = dict[str, float | str]


# --------------------------------------------------------------------------
# The figures, from trained models
# --------------------------------------------------------------------------


RECIPE = {"gru": "gru_seq2seq", "attn": "gru_attention_seq2seq",
          "transformer": "transformer_seq2seq"}  # fmt: skip


def trained(model: str, seed: int | None = None):
    """(model, (src_vocab, tgt_vocab), history) of one lesson model, through
    the model cache (trained on the spot if absent); `seed` None is the
    lesson's own seed."""
    from utils.tasks.translation import load_or_train

    net, vocabs, history, _ = load_or_train(RECIPE[model], seed=seed)
    return net, vocabs, history


def model_metrics(model: str, net, vocabs, history, seed: int | None = None) -> Metrics:
    """The figures a lesson prints about one trained model, keyed "model/what"
    (`seed`: the one it was trained with, None for the lesson's)."""
    import torch

    from utils.bleu import bleu_by_bucket, corpus_bleu
    from utils.data.grammar import make_splits
    from utils.data.phrasebook import DECK_EXAMPLE
    from utils.tasks.translation import teacher_forcing_gap, translate
    from utils.transformer import cosine_matrix, sentence_vector

    test = make_splits().test
    sources, references = [p.en for p in test], [p.de for p in test]
    hyps = translate(net, *vocabs, sources + [MAN_CAKE, DECK_EXAMPLE.en])
    out: Metrics = {
        f"{model}/valid_loss": history.valid[-1],
        f"{model}/train_loss": sum(history.train[-50:]) / 50,
        f"{model}/man_cake": hyps[-2],
        f"{model}/deck": hyps[-1],
        f"{model}/long_bleu": corpus_bleu(
            [hyps[len(test) - 1]], [references[-1]]
        ).score,
    }
    bleu = bleu_by_bucket(hyps[: len(test)], references, sources)
    out.update({f"{model}/bleu/{b}": bleu[b] for b in BUCKETS})
    if model == "gru":
        gap = teacher_forcing_gap(net, *vocabs, make_splits().valid)
        out.update({"gru/told": gap["told"], "gru/alone": gap["alone"]})
    if model == "attn":
        looks = looks_at(net, vocabs, ALIGNED)
        out["attn/word_for_word"] = sum(looks.get(de) == en for de, en in WORD_FOR_WORD)
    if model == "transformer":
        out.update(transformer_metrics(net, vocabs, seed))
        with torch.no_grad():
            vectors = torch.stack([sentence_vector(net, vocabs[0], s) for s in POOLED])
        sim = cosine_matrix(vectors)
        out["transformer/cos_cake_min"] = float(
            min(sim[i, j] for i in range(3) for j in range(3) if i != j)
        )
        out["transformer/cos_book_max"] = float(sim[3, :3].max())
        out["transformer/cos_book_min"] = float(sim[3, :3].min())
    return out


def looks_at(net, vocabs, sentence: str) -> dict[str, str]:
    """For each German word written, the English word it attends to most
    (the GRU's attention; the transformer's last block, heads averaged)."""
    from utils.tasks.translation import trace_decode

    src_vocab, tgt_vocab = vocabs
    words = [src_vocab.itos[i] for i in src_vocab.encode(sentence)]
    steps = trace_decode(net, src_vocab, tgt_vocab, sentence)
    return {s.chosen: words[max(range(len(words)), key=s.attention.__getitem__)]
            for s in steps}  # fmt: skip


def transformer_metrics(net, vocabs, seed: int | None = None) -> Metrics:
    """Lesson 6's figures of the trained transformer beyond BLEU: where its
    cross-attention looks, how far its tables moved from their random start
    (the same seed, rebuilt), what its output layer puts next to "rote", and
    its BLEU on the phrasebook's real sentences."""
    import torch
    from torch.nn.functional import cosine_similarity

    from utils.bleu import corpus_bleu
    from utils.data.phrasebook import load_phrasebook
    from utils.runtime import seed_everything
    from utils.tasks.translation import RECIPES, build_model, translate
    from utils.transformer import nearest_words

    recipe = RECIPES[RECIPE["transformer"]]
    seed_everything(recipe.seed if seed is None else seed)
    start = dict(build_model(recipe, *vocabs).named_parameters())
    now = dict(net.named_parameters())

    def still(name: str) -> float:  # median cosine of a table's rows, start vs now
        a, b = start[name].detach(), now[name].detach().cpu()
        return float(cosine_similarity(a, b, dim=-1)[4:].median())

    looks = looks_at(net, vocabs, ALIGNED)
    book = load_phrasebook()
    with torch.no_grad():
        hyps = translate(net, *vocabs, [p.en for p in book])
    near = [w for w, _ in nearest_words(now["decoder.out.weight"], vocabs[1], "rote")]
    return {
        "transformer/word_for_word": sum(
            looks.get(de) == en for de, en in WORD_FOR_WORD
        ),
        "transformer/verbs_at_the_end": sum(looks.get(de) == en for de, en in VERBS),
        "transformer/embed_still": min(
            still("encoder.embed.embed.weight"), still("decoder.embed.embed.weight")
        ),
        "transformer/out_still": still("decoder.out.weight"),
        "transformer/verbs_by_kauft": sum(
            w.islower() and w.endswith("t")
            for w, _ in nearest_words(now["decoder.out.weight"], vocabs[1], "kauft")
        ),
        "transformer/colours_by_rote": sum(
            w.startswith(COLOURS) and w != "weißt" for w in near
        ),
        "transformer/phrasebook_bleu": corpus_bleu(hyps, [p.de for p in book]).score,
    }


def phrase_table_metrics() -> Metrics:
    """Lesson 1's phrase table on the same test set (counts, not training by
    gradient: the same on every machine)."""
    from utils.bleu import bleu_by_bucket
    from utils.data.grammar import make_splits
    from utils.ngram import baseline

    test = make_splits().test
    sources, references = [p.en for p in test], [p.de for p in test]
    table = baseline()
    bleu = bleu_by_bucket([table.translate(s) for s in sources], references, sources)
    return {f"phrase/bleu/{b}": bleu[b] for b in BUCKETS}


def measure(seed: int | None = None) -> Metrics:
    """Every figure the claims need, for the three models trained with `seed`."""
    out = phrase_table_metrics()
    for model in MODELS:
        out.update(model_metrics(model, *trained(model, seed), seed=seed))
    return out


# --------------------------------------------------------------------------
# The same figures, from the committed notebooks' outputs
# --------------------------------------------------------------------------

BLEU_ROW = re.compile(r"^(phrase table|GRU \+ attention|GRU|transformer)\s+([\d. ]+)$")
# utils.training.summary's line at the end of a training cell.
SUMMARY = re.compile(r"^(\w+): [\d,]+ steps, .*validation loss ([\d.]+)$", re.MULTILINE)
SUMMARY_NAMES = {
    "gru_seq2seq": "gru",
    "gru_attention_seq2seq": "attn",
    "transformer_seq2seq": "transformer",
}
ROW_NAMES = {
    "phrase table": "phrase",
    "GRU": "gru",
    "GRU + attention": "attn",
    "transformer": "transformer",
}


def _outputs(path: Path) -> list[tuple[str, str]]:
    """(source, text of its outputs: streams and text/plain) of each code cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    texts = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        parts = []
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                parts.append("".join(out["text"]))
            elif "text/plain" in out.get("data", {}):
                parts.append("".join(out["data"]["text/plain"]))
        texts.append(("".join(cell["source"]), "\n".join(parts)))
    return texts


def _after(texts: list[tuple[str, str]], label: str) -> str:
    """The rest of the first output line that starts with `label`."""
    for _, text in texts:
        for line in text.splitlines():
            if line.strip().startswith(label):
                return line.strip()[len(label) :].strip()
    raise LookupError(f"no output line starts with {label!r}")


def from_notebooks(folder: Path = NOTEBOOKS) -> Metrics:
    """The figures that the committed lessons 3 and 6 printed, as `measure`
    names them (those they print; sentence-level figures are not printed)."""
    out: Metrics = {}
    lesson3 = _outputs(folder / "03_rnn_seq2seq.ipynb")
    lesson6 = _outputs(folder / "06_transformer.ipynb")
    for src, text in lesson3 + lesson6:
        if "show_ms_per_word" in src:  # rows of milliseconds, not BLEU
            continue
        for line in text.splitlines():
            if m := BLEU_ROW.match(line.strip()):
                values = [float(v) for v in m.group(2).split()]
                key = ROW_NAMES[m.group(1)]
                out.update({f"{key}/bleu/{b}": v for b, v in zip(BUCKETS, values)})
    for _, text in lesson3 + lesson6:
        for m in SUMMARY.finditer(text):
            out[f"{SUMMARY_NAMES[m.group(1)]}/valid_loss"] = float(m.group(2))
    out["gru/told"] = float(_after(lesson3, "next word right, told").split()[-2])
    out["gru/alone"] = float(_after(lesson3, "word right, on its own:").split()[0])
    by_hand = next(t for src, t in lesson6 if "print(tgt_vocab.decode(prefix))" in src)
    out["transformer/man_cake"] = by_hand.splitlines()[0]
    return out


# --------------------------------------------------------------------------
# The claims
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One statement of a lesson's Markdown (or its run sheet) about trained
    models.

    `says` is quoted exactly from there (a test checks it is there);
    `holds(metrics)` checks it, and `needs` names the figures it reads (a claim
    is skipped on metrics that lack them, e.g. the committed notebooks print
    no sentence-level BLEU)."""

    where: str  # a lesson notebook's name, or a run sheet's ("part1_run_sheet")
    says: str
    needs: tuple[str, ...]
    holds: Callable[[Metrics], bool]

    def applies(self, metrics: Metrics) -> bool:
        return all(k in metrics for k in self.needs)


def _b(model: str, bucket: str) -> str:
    return f"{model}/bleu/{bucket}"


def _buckets(model: str) -> tuple[str, ...]:
    return tuple(_b(model, b) for b in BUCKETS)


L3, L6, SHEET = "03_rnn_seq2seq", "06_transformer", "part1_run_sheet"
REFERENCE_DECK = "Was heißt auf Deutsch Kuchen?"

# fmt: off
CLAIMS: list[Claim] = [
    # Lesson 3: the plain GRU.
    Claim(L3, "ends between 1.1 and 1.4 nats", ("gru/valid_loss",),
          lambda m: 1.1 <= m["gru/valid_loss"] <= 1.4),
    Claim(L3, "writes *Der Mann kauft den Kuchen.*", ("gru/man_cake",),
          lambda m: m["gru/man_cake"] == "Der Mann kauft den Kuchen."),
    Claim(L3, "between 60 and 75 % of the next words", ("gru/told",),
          lambda m: 60 <= m["gru/told"] <= 75),
    Claim(L3, "between 35 and 50 % of its words", ("gru/alone",),
          lambda m: 35 <= m["gru/alone"] <= 50),
    Claim(L3, "the GRU beats the phrase table by more than 10 BLEU points",
          (_b("gru", "3-7"), _b("phrase", "3-7")),
          lambda m: m[_b("gru", "3-7")] > m[_b("phrase", "3-7")] + 10),
    Claim(L3, "at least 5 points lower in each longer bucket", _buckets("gru"),
          lambda m: all(m[_b("gru", a)] >= m[_b("gru", b)] + 5
                        for a, b in pairwise(BUCKETS[1:]))),
    Claim(L3, "below 25 on sentences of 18-25 words", (_b("gru", "18-25"),),
          lambda m: m[_b("gru", "18-25")] < 25),
    Claim(L3, "the phrase table stays between 45 and 60 at every length",
          _buckets("phrase"),
          lambda m: all(45 <= m[_b("phrase", b)] <= 60 for b in BUCKETS)),
    Claim(L3, "Fluent German, but another story", ("gru/long_bleu",),
          lambda m: m["gru/long_bleu"] < 30),
    # Lesson 3: the GRU with attention.
    Claim(L3, "attention beats the phrase table overall",
          (_b("attn", "all"), _b("phrase", "all")),
          lambda m: m[_b("attn", "all")] > m[_b("phrase", "all")]),
    Claim(L3, "and the plain GRU by more than 10 points in every bucket from 8 words",
          _buckets("attn") + _buckets("gru"),
          lambda m: all(m[_b("attn", b)] > m[_b("gru", b)] + 10
                        for b in ("all", "8-12", "13-17", "18-25"))),
    Claim(L3, "within 10 points of each other", (_b("attn", "3-7"), _b("gru", "3-7")),
          lambda m: abs(m[_b("attn", "3-7")] - m[_b("gru", "3-7")]) < 10),
    Claim(L3, "more than doubles the plain GRU's score",
          (_b("attn", "18-25"), _b("gru", "18-25")),
          lambda m: m[_b("attn", "18-25")] > 2 * m[_b("gru", "18-25")]),
    Claim(L3, "Much more of it is there now", ("attn/long_bleu", "gru/long_bleu"),
          lambda m: m["attn/long_bleu"] > m["gru/long_bleu"] + 15),
    Claim(L3, "'Mann' looks at 'man', 'ruft' at 'calls'", ("attn/word_for_word",),
          lambda m: m["attn/word_for_word"] == len(WORD_FOR_WORD)),
    Claim(L3, "ends between 0.4 and 0.9 nats", ("attn/valid_loss",),
          lambda m: 0.4 <= m["attn/valid_loss"] <= 0.9),
    # Lesson 6: the transformer.
    Claim(L6, "ends between 0.15 and 0.35 nats", ("transformer/valid_loss",),
          lambda m: 0.15 <= m["transformer/valid_loss"] <= 0.35),
    Claim(L6, "The transformer wins in every bucket, by more than 10 BLEU points",
          _buckets("transformer") + _buckets("attn") + _buckets("gru")
          + _buckets("phrase"),
          lambda m: all(m[_b("transformer", b)] > m[_b(o, b)] + 10
                        for b in BUCKETS for o in ("attn", "gru", "phrase"))),
    Claim(L6, "above 70 on sentences of 18-25 words", (_b("transformer", "18-25"),),
          lambda m: m[_b("transformer", "18-25")] > 70),
    Claim(L6, "Not the reference, but written with confidence",
          ("transformer/deck", "gru/deck"),
          lambda m: REFERENCE_DECK not in (m["transformer/deck"], m["gru/deck"])
          and m["transformer/deck"].endswith("?") and m["gru/deck"].endswith("?")),
    Claim(L6, "the same answer as the tested loop: *Der Mann kauft den Kuchen.*",
          ("transformer/man_cake",),
          lambda m: m["transformer/man_cake"] == "Der Mann kauft den Kuchen."),
    Claim(L6, "closer to each other than any of them is to the book sentence",
          ("transformer/cos_cake_min", "transformer/cos_book_max"),
          lambda m: m["transformer/cos_cake_min"] > m["transformer/cos_book_max"]),
    Claim(L6, "still well above 0 (at least 0.2)", ("transformer/cos_book_min",),
          lambda m: m["transformer/cos_book_min"] >= 0.2),
    # The presenter's run sheet.
    Claim(L6, "the median row keeps a cosine above 0.9 with its random start",
          ("transformer/embed_still",), lambda m: m["transformer/embed_still"] > 0.9),
    Claim(L6, "The output layer moved far more (median cosine below 0.7)",
          ("transformer/out_still",), lambda m: m["transformer/out_still"] < 0.7),
    Claim(L6, "most of the five nearest rows of *kauft* are verbs ending in -t",
          ("transformer/verbs_by_kauft",), lambda m: m["transformer/verbs_by_kauft"] >= 3),
    Claim(L6, "The transformer stays below 10 BLEU here too",
          ("transformer/phrasebook_bleu",), lambda m: m["transformer/phrasebook_bleu"] < 10),
    Claim(L6, "The words that have one English counterpart (*Mann*, *ruft*, *Frau*, "
              "*sie*, *Kuchen*) each look hardest at it",
          ("transformer/word_for_word",),
          lambda m: m["transformer/word_for_word"] == len(WORD_FOR_WORD)),
    Claim(SHEET, "| 49.4 | below 40 | 45 to 70 | above 78 |",
          tuple(_b(x, "all") for x in ("phrase",) + MODELS),
          lambda m: round(m[_b("phrase", "all")], 1) == 49.4
          and m[_b("gru", "all")] < 40 and 45 <= m[_b("attn", "all")] <= 70
          and m[_b("transformer", "all")] > 78),
    Claim(SHEET, "above 65 on 3-7 words, below 25 on 18-25",
          (_b("gru", "3-7"), _b("gru", "18-25")),
          lambda m: m[_b("gru", "3-7")] > 65 and m[_b("gru", "18-25")] < 25),
    Claim(SHEET, '("ruft" looks at "calls")', ("attn/word_for_word",),
          lambda m: m["attn/word_for_word"] == len(WORD_FOR_WORD)),
]
# fmt: on


def failures(metrics: Metrics, claims: list[Claim] | None = None) -> list[str]:
    """The quoted statements that `metrics` contradict (those it can check)."""
    return [
        f"{c.where}: {c.says!r}"
        for c in (CLAIMS if claims is None else claims)
        if c.applies(metrics) and not c.holds(metrics)
    ]


def recorded_runs(path: Path = SPREAD) -> list[dict]:
    """The runs of `scripts/measure_claims.py`: {"label", "seed", "metrics"}."""
    return json.loads(path.read_text(encoding="utf-8"))["runs"]


# --------------------------------------------------------------------------
# Lesson 6: the race at equal time and the little-data race (the bench's
# recorded runs, benchmarks/race.json, like the part 2 bench claims)
# --------------------------------------------------------------------------

RACE = REPO / "benchmarks" / "race.json"
RACE_MODELS = {"gru_seq2seq": "gru", "gru_attention_seq2seq": "attn",
               "transformer_seq2seq": "transformer"}  # fmt: skip


def race_metrics(path: Path = RACE) -> Metrics:
    """Per model and bucket, the lowest and highest BLEU over the race's seeds
    ("race/attn/all/min"), the same for the little-data runs
    ("small/500/attn/all/min"), their means ("race/attn/all/mean"), and milliseconds per word ("ms/attn/120")."""
    result = json.loads(path.read_text(encoding="utf-8"))
    out: Metrics = {}
    sums: dict[str, list[float]] = {}
    for part, runs in (("race", result["race"]), ("small", result["small"])):
        for r in runs:
            where = part if part == "race" else f"small/{r['pairs']}"
            for bucket, value in r["bleu"].items():
                key = f"{where}/{RACE_MODELS[r['name']]}/{bucket}"
                out[f"{key}/min"] = min(out.get(f"{key}/min", value), value)
                out[f"{key}/max"] = max(out.get(f"{key}/max", value), value)
                sums[key] = sums.get(key, []) + [value]
    out.update({f"{key}/mean": sum(v) / len(v) for key, v in sums.items()})
    for name, row in result.get("ms_per_word", {}).items():
        out.update({f"ms/{RACE_MODELS[name]}/{n}": v for n, v in row.items()})
    return out


def _r(where: str, model: str, stat: str, bucket: str = "all") -> str:
    return f"{where}/{model}/{bucket}/{stat}"


# fmt: off
RACE_CLAIMS = [
    Claim(L6, "their means are within 5 BLEU points of each other overall",
          (_r("race", "attn", "mean"), _r("race", "transformer", "mean")),
          lambda m: abs(m[_r("race", "attn", "mean")] - m[_r("race", "transformer", "mean")]) < 5),
    Claim(L6, "the GRU's best seed beats the transformer's best, and its worst falls "
              "below the transformer's worst",
          tuple(_r("race", k, s) for k in ("attn", "transformer") for s in ("min", "max")),
          lambda m: m[_r("race", "attn", "max")] > m[_r("race", "transformer", "max")]
          and m[_r("race", "attn", "min")] < m[_r("race", "transformer", "min")]),
    Claim(L6, "The plain GRU stays below 40 whatever the time", (_r("race", "gru", "max"),),
          lambda m: m[_r("race", "gru", "max")] < 40),
    Claim(L6, "with 500 pairs both models are useless (below 15 BLEU)",
          (_r("small/500", "attn", "max"), _r("small/500", "transformer", "max")),
          lambda m: max(m[_r("small/500", k, "max")] for k in ("attn", "transformer")) < 15),
    Claim(L6, "with 2,000 the transformer is a few points ahead",
          (_r("small/2000", "attn", "mean"), _r("small/2000", "transformer", "mean")),
          lambda m: 0 < m[_r("small/2000", "transformer", "mean")]
          - m[_r("small/2000", "attn", "mean")] < 8),
]
LENGTHS = ("10", "25", "50", "120")  # words written, in race.json's ms_per_word
LATENCY_CLAIMS = [
    Claim(L6, "writing a word costs the attention GRU less than half of what it "
              "costs our transformer, at every length",
          tuple(f"ms/{k}/{n}" for k in ("attn", "transformer") for n in LENGTHS),
          lambda m: all(m[f"ms/attn/{n}"] < 0.5 * m[f"ms/transformer/{n}"] for n in LENGTHS)),
    Claim(L6, "the GRUs' cost per word does not grow from 10 to 120 words, while the "
              "transformer's grows by more than a fifth",
          tuple(f"ms/{k}/{n}" for k in RACE_MODELS.values() for n in ("10", "120")),
          lambda m: all(m[f"ms/{k}/120"] <= 1.1 * m[f"ms/{k}/10"] for k in ("gru", "attn"))
          and m["ms/transformer/120"] > 1.2 * m["ms/transformer/10"]),
]
# fmt: on


# --------------------------------------------------------------------------
# Lesson 5: MiniLM's heads (a pretrained model: nothing trains here, but the
# finding is stated as a claim, so a change of model or method must keep it)
# --------------------------------------------------------------------------

L5 = "05_attention"


def head_contrast_metrics(
    first: str | None = None, second: str | None = None
) -> Metrics:
    """The head contrast of lesson 5: which head moves "it" most from
    "animal" ("tired") to "street" ("wide"), by how much more than the next
    one, and the largest contrast on "street" in the "wide" sentence."""
    from utils.minilm import MINILM_SENTENCE, capture, contrast, switching_heads

    first = first or MINILM_SENTENCE
    second = second or MINILM_SENTENCE.replace("tired", "wide")
    a, b = capture(first), capture(second)
    rows = switching_heads(a, b)
    return {
        "minilm/top_head": f"{rows[0]['layer']},{rows[0]['head']}",
        "minilm/top_margin": rows[0]["switch"] - rows[1]["switch"],
        "minilm/animal_drop": rows[0]["animal 1"] - rows[0]["animal 2"],
        "minilm/street_max": float(contrast(b, "it", "street").max()),
    }


# fmt: off
HEAD_CLAIMS = [
    Claim(L5, "Only **layer 3, head 1** reacts",
          ("minilm/top_head", "minilm/top_margin", "minilm/animal_drop"),
          lambda m: m["minilm/top_head"] == "3,1" and m["minilm/top_margin"] > 0.15
          and m["minilm/animal_drop"] > 0.3),
    Claim(L5, 'no head\'s contrast on "street" reaches 0.15', ("minilm/street_max",),
          lambda m: m["minilm/street_max"] < 0.15),
]
# fmt: on


# --------------------------------------------------------------------------
# Part 2, lesson 2.1: the masked-language model and the classifier table
# --------------------------------------------------------------------------

PART2 = REPO / "notebooks" / "part2_encoders_decoders"
L21 = "01_encoders"
# The blanks lesson 2.1 fills after training, and the hidden letters.
BLANKS = {
    "O Romeo, Romeo! wherefore art th_u Romeo?": "o",
    "Good m_rrow, my lord.": "o",
    "To be, or not to be: that is the q_estion.": "u",
    "Now is the w_nter of our discontent": "i",
    "Shall I compare thee to a summer's d_y?": "a",
}
SPREAD_PART2 = REPO / "benchmarks" / "claims_spread_part2.json"


def mlm_metrics(model) -> Metrics:
    """How many of the lesson's blanks have the hidden letter among the
    model's top three, and how often (%) held-out hidden characters are its
    first guess and among its top three."""
    from utils import mlm

    top3 = sum(
        answer in [c for c, _ in mlm.fill_blank(model, text).choices[0]]
        for text, answer in BLANKS.items()
    )
    first, three = mlm.accuracy(model, mlm.MLMConfig())
    return {
        "mlm/top3": top3,
        "mlm/first_rate": 100 * first,
        "mlm/top3_rate": 100 * three,
    }


def mlm_from_notebook(path: Path = PART2 / f"{L21}.ipynb") -> Metrics:
    """The same count, from the committed notebook's printed top threes."""
    texts = _outputs(path)
    after = next(t for src, t in texts if "filled = mlm.fill_blank(model, text)" in src)
    top3 = 0
    for line, answer in zip(
        after.splitlines()[: len(BLANKS)], BLANKS.values(), strict=True
    ):
        shown = re.findall(r"'(.)' \d+%", line)
        top3 += answer in shown
    rates = re.search(r"first guess (\d+) %, among its top three (\d+) %", after)
    return {"mlm/top3": top3, "mlm/first_rate": float(rates.group(1)),
            "mlm/top3_rate": float(rates.group(2))}  # fmt: skip


def classifier_metrics() -> Metrics:
    """Mean and sd accuracy (%) of the three classifiers, from `make bench`."""
    from utils.runtime import bench_rows, cell_numbers

    names = {"majority": "majority", "frozen": "frozen", "fine-tuned": "finetune"}
    out: Metrics = {}
    for row in bench_rows("Encoders at work", "### Sentiment"):
        key = next(v for k, v in names.items() if k in row["classifier"])
        mean, sd = cell_numbers(row["accuracy, mean ± sd"])
        out[f"cv/{key}/mean"], out[f"cv/{key}/sd"] = mean, sd
    return out


# fmt: off
PART2_CLAIMS: list[Claim] = [
    Claim(L21, "the right one is among its top three for about half of the hidden characters or more",
          ("mlm/top3_rate",), lambda m: m["mlm/top3_rate"] > 45),
    Claim(L21, "both MiniLM classifiers are far above the majority guess",
          ("cv/majority/mean", "cv/frozen/mean", "cv/finetune/mean"),
          lambda m: min(m["cv/frozen/mean"], m["cv/finetune/mean"])
          >= m["cv/majority/mean"] + 10),
    Claim(L21, "does not beat a linear model on the frozen vectors",
          ("cv/frozen/mean", "cv/finetune/mean", "cv/frozen/sd"),
          lambda m: m["cv/finetune/mean"] <= m["cv/frozen/mean"]),
]
# fmt: on


# --------------------------------------------------------------------------
# Part 2, lesson 2.2: the pretrained GPT, its decoding, and the bench's race
# --------------------------------------------------------------------------

L22, SHEET2 = "02_decoders", "part2_run_sheet"
GPT_PROMPT = "ROMEO:\n"
# The rules lesson 2.2 compares on GPT_PROMPT, 120 new characters each.
RULES = {
    "greedy": {},
    "T = 0.8": {"temperature": 0.8},
    "T = 0.8, top-k 10": {"temperature": 0.8, "top_k": 10},
    "T = 1.0, top-p 0.9": {"temperature": 1.0, "top_p": 0.9},
    "beam search, 4 beams": {"beams": 4},
}
SAMPLED = ("T = 0.8", "T = 0.8, top-k 10", "T = 1.0, top-p 0.9")


def _decoding(texts: dict[str, str]) -> Metrics:
    from utils.sampling import loops, repetition

    return {
        "gpt/greedy_loops": float(loops(texts["greedy"])),
        "gpt/beam_repetition": repetition(texts["beam search, 4 beams"]),
        "gpt/sampled_loops": float(sum(loops(texts[r]) for r in SAMPLED)),
        "gpt/sampled_repetition": max(repetition(texts[r]) for r in SAMPLED),
        **{f"gpt/text/{r}": t for r, t in texts.items()},
    }


def gpt_metrics(model, valid: torch.Tensor | None = None) -> Metrics:
    """The validation loss (on `valid`, by default the whole split), and which
    of the lesson's five decoding rules loop, from a trained (or broken) GPT."""
    from utils.sampling import generate
    from utils.tasks.shakespeare import corpus, valid_loss

    vocab = corpus().vocab
    prompt = vocab.encode(GPT_PROMPT)
    texts = {r: vocab.decode(generate(model, prompt, 120, **how)) for r, how in RULES.items()}  # fmt: skip
    return {"gpt/valid_loss": valid_loss(model, valid), **_decoding(texts)}


def gpt_from_notebook(path: Path = PART2 / f"{L22}.ipynb") -> Metrics:
    """The same figures, from the committed lesson's printed outputs."""
    texts = _outputs(path)
    loss = float(_after(texts, "validation loss:").split()[0])
    shown = next(t for src, t in texts if "for name, how in" in src)
    parts = re.split(r"^--- (.+)$", shown, flags=re.MULTILINE)[1:]
    samples = dict(zip(parts[::2], parts[1::2], strict=True))
    assert set(samples) == set(RULES), sorted(samples)
    return {"gpt/valid_loss": loss, **_decoding(samples)}


def pretraining_metrics() -> Metrics:
    """Validation losses of `make bench`'s pretraining race (`gpt/bench/<run>`)
    and its ablation (`gpt/ablation/<run>`), and the measured time ratio of the
    lesson's recipe to the baseline."""
    from utils.runtime import bench_rows, bench_section, cell_numbers

    out: Metrics = {}
    for key, sub in (("bench", ""), ("ablation", "### Ablation")):
        for row in bench_rows("Pretraining a small GPT", sub):
            run = row["run"].removesuffix(" (our GPT)")
            out[f"gpt/{key}/{run}"] = cell_numbers(row["validation loss (nats/char)"])[
                0
            ]
    race = bench_section("Pretraining a small GPT").split("### Ablation")[0]
    ratio = re.search(r"take ([\d.]+) times as long as the baseline", race)
    out["gpt/bench/time_ratio"] = float(ratio.group(1))
    return out


def _removed(m: Metrics) -> list[float]:
    """The ablation's losses without each of the lesson's changes."""
    return [v for k, v in m.items() if k.startswith("gpt/ablation/lesson, ")]


BASELINE, LESSON = "gpt/bench/nanoGPT's CPU recipe", "gpt/bench/the lesson's recipe"
ABLATED = "gpt/ablation/the lesson's recipe"
# fmt: off
PART2_CLAIMS += [
    Claim(SHEET2, "the held-out loss lands at about 1.70, the target", ("gpt/valid_loss",),
          lambda m: 1.65 <= m["gpt/valid_loss"] <= 1.75),
    Claim(L22, "greedy soon falls into a loop", ("gpt/greedy_loops",),
          lambda m: m["gpt/greedy_loops"] == 1),
    Claim(L22, "beam search repeats itself more than any sampled text",
          ("gpt/beam_repetition", "gpt/sampled_repetition"),
          lambda m: m["gpt/beam_repetition"] > m["gpt/sampled_repetition"]),
    Claim(L22, "Sampling trades a little likelihood for variety", ("gpt/sampled_loops",),
          lambda m: m["gpt/sampled_loops"] == 0),
    Claim(L22, "a validation loss of at most 1.70 in no more time than the baseline",
          (LESSON, "gpt/bench/time_ratio"),
          lambda m: m[LESSON] <= 1.70 and m["gpt/bench/time_ratio"] <= 1),
    Claim(L22, "train it further in less time than nanoGPT's CPU recipe",
          (BASELINE, LESSON, "gpt/bench/time_ratio"),
          lambda m: m[LESSON] < m[BASELINE] and m["gpt/bench/time_ratio"] <= 1),
    Claim(L22, "changes three things that the bench found worth their time", (ABLATED,),
          lambda m: len(_removed(m)) == 3 and min(_removed(m)) > m[ABLATED]),
]
# fmt: on
