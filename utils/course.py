"""The course map: parts, lessons and what each one shows.

The start-here notebook draws its map from this list, linking each lesson that
exists and marking the rest as coming.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass(frozen=True)
class Lesson:
    """One lesson of the map; its notebook is `notebooks/<path>`."""

    part: int
    number: int
    name: str  # the notebook's file name between its number and ".ipynb"
    title: str
    shows: str

    @property
    def path(self) -> str:
        """Relative to notebooks/: "part1_background/01_translation_ngrams.ipynb"."""
        return f"{FOLDERS[self.part]}/{self.number:02d}_{self.name}.ipynb"


PARTS: dict[int, str] = {
    1: "Background and the Transformer",
    2: "Encoders and decoders on their own; pretraining and fine-tuning",
    3: "Prompting",
}
FOLDERS: dict[int, str] = {
    1: "part1_background",
    2: "part2_encoders_decoders",
    3: "part3_prompting",
}

LESSONS: list[Lesson] = [
    Lesson(1, 1, "translation_ngrams", "How would you approach translation?",
           "a dictionary, then a phrase table learned by IBM Model 1; where it breaks; BLEU"),
    Lesson(1, 2, "word_embeddings", "From words to tensors",
           "one-hot codes, word2vec trained live, GloVe; analogies; an embedding explorer"),
    Lesson(1, 3, "rnn_seq2seq", "seq2seq: rolling over and unrolling",
           "a GRU encoder-decoder trained live; the bottleneck; the cost of going one word at a time"),
    Lesson(1, 4, "tokenization", "Tokens and embeddings",
           "WordPiece and BPE from scratch, checked against `tokenizers`; a tokenizer explorer"),
    Lesson(1, 5, "attention", "Attention",
           "Q, K, V by hand; masks; multi-head; positions; real attention in bertviz"),
    Lesson(1, 6, "transformer", "The transformer",
           "block, encoder, decoder; trained on the same task as the GRU; O(N^2) measured"),
    Lesson(2, 1, "encoders", "Encoders",
           "sentence vectors, search by meaning, a classifier cross-validated; masked-language pretraining"),
    Lesson(2, 2, "decoders", "Decoders",
           "a small GPT pretrained on Shakespeare; decoding strategies; a KV cache"),
    Lesson(2, 3, "fine_tuning", "Fine-tuning",
           "a new style for the small GPT; LoRA on SmolLM2; adding and forcing tokens"),
    Lesson(2, 4, "scaling", "Scaling out",
           "data-parallel training; the compute behind 60k GPUs"),
    Lesson(3, 1, "prompting", "Prompting",
           "chat templates, zero- and few-shot, sampling, log-probabilities"),
    Lesson(3, 2, "beyond_the_prompt", "Beyond the prompt",
           "structured output, chain of thought, injection; a prompt playground"),
]  # fmt: skip


def lesson_exists(lesson: Lesson) -> bool:
    """Is the lesson's notebook written yet?"""
    return (NOTEBOOKS / lesson.path).is_file()


def course_map_markdown(from_folder: str = "") -> str:
    """The course map as Markdown: one table per part, links where a lesson exists."""
    lines: list[str] = []
    for part, name in PARTS.items():
        lines += [
            f"**Part {part}: {name}**",
            "",
            "| # | lesson | what you will see |",
            "|---|---|---|",
        ]
        for lesson in (x for x in LESSONS if x.part == part):
            title = lesson.title
            if lesson_exists(lesson):
                title = f"[{title}]({from_folder}{lesson.path})"
            else:
                title += " *(coming)*"
            lines.append(f"| {part}.{lesson.number} | {title} | {lesson.shows} |")
        lines.append("")
    return "\n".join(lines)
