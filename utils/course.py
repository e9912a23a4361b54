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
    part: int
    number: int
    title: str
    shows: str
    path: str  # relative to notebooks/


PARTS: dict[int, str] = {
    1: "Background and the Transformer",
    2: "Encoders and decoders on their own; pretraining and fine-tuning",
    3: "Prompting",
}

LESSONS: list[Lesson] = [
    Lesson(1, 1, "How would you approach translation?",
           "a dictionary, then a phrase table learned by IBM Model 1; where it breaks; BLEU",
           "part1_background/01_translation_ngrams.ipynb"),
    Lesson(1, 2, "From words to tensors",
           "one-hot codes, word2vec trained live, GloVe; analogies; an embedding explorer",
           "part1_background/02_word_embeddings.ipynb"),
    Lesson(1, 3, "seq2seq: rolling over and unrolling",
           "a GRU encoder-decoder trained live; the bottleneck; the cost of going one word at a time",
           "part1_background/03_rnn_seq2seq.ipynb"),
    Lesson(1, 4, "Tokens and embeddings",
           "WordPiece and BPE from scratch, checked against `tokenizers`; a tokenizer explorer",
           "part1_background/04_tokenization.ipynb"),
    Lesson(1, 5, "Attention",
           "Q, K, V by hand; masks; multi-head; positions; real attention in bertviz",
           "part1_background/05_attention.ipynb"),
    Lesson(1, 6, "The transformer",
           "block, encoder, decoder; trained on the same task as the GRU; O(N^2) measured",
           "part1_background/06_transformer.ipynb"),
    Lesson(2, 1, "Encoders", "sentence embeddings, semantic search, fine-tuning a classifier",
           "part2_encoders_decoders/01_encoders.ipynb"),
    Lesson(2, 2, "Decoders", "a small GPT pretrained on Shakespeare; decoding strategies; a KV cache",
           "part2_encoders_decoders/02_decoders.ipynb"),
    Lesson(2, 3, "Fine-tuning", "a new style for the small GPT; LoRA on SmolLM2; adding and forcing tokens",
           "part2_encoders_decoders/03_fine_tuning.ipynb"),
    Lesson(2, 4, "Scaling out", "data-parallel training; the compute behind 60k GPUs",
           "part2_encoders_decoders/04_scaling.ipynb"),
    Lesson(3, 1, "Prompting", "chat templates, zero- and few-shot, sampling, log-probabilities",
           "part3_prompting/01_prompting.ipynb"),
    Lesson(3, 2, "Beyond the prompt", "structured output, chain of thought, injection; a prompt playground",
           "part3_prompting/02_beyond_the_prompt.ipynb"),
]  # fmt: skip


def lesson_exists(lesson: Lesson) -> bool:
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
