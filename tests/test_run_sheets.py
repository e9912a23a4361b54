"""The presenter's run sheets name only notebooks, sections and exercises that exist.

Every `lessons/part*_run_sheet.md` cites the course inside Markdown code spans,
so that the cited text is exact (the span may use double backticks when the
text holds a backtick):

- a notebook, by its file name without `.ipynb`: `06_transformer` (or with its
  folder, `part1_background/06_transformer`, where the bare name is ambiguous);
- a section, by the notebook, a `§` and the text of one of its Markdown
  headings (any level, without the `#`s), exactly as in the notebook, or with
  HTML entities written as the characters they stand for (`&radic;` as `√`):
  `06_transformer § Try it: step through a translation`;
- an exercise, as the notebook's bold "**Exercise N.**" or "**Exercise N:
  title.**" names it: `06_transformer Exercise 2` or
  `06_transformer Exercise 2: the memory wall` (the title, if given, must match).

Every code span that starts like a notebook name (two digits and an
underscore) must be one of these, and a `§` outside a code span is an error:
a citation the check could not see.

The plan is the first table under the heading "## Minute-by-minute plan". Its
"Min" column holds each block's minutes, which add up to 45 at most; its
"Start (min)" column, where present, must equal the minutes before the row.

The plan is also the talk path: the cells tagged `talk`, which `make slides-talk`
builds into one deck per part (`00_start_here` opens part 1). Every section the
plan cites must have its heading cell on the talk path, and every `##` section
on the talk path must be in the plan. The part's deck fits the slot: at most 45
slides, counted as nbconvert makes them (a `slide` or `subslide` cell opens a
slide; `fragment`, `-`, `notes` and `skip` cells stay on the slide they follow,
and the first shown cell opens the first slide), and it has speaker notes. In
every notebook the talk path starts on a `slide` or `subslide` cell, each talk
cell sits on a slide whose opening cell is on the path too (a kept fragment
never lands on a cut slide), each kept `##` section opens with its heading, on
a `slide` or `subslide` cell, and the `notes` cells of every kept slide are kept.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

NOTEBOOKS = REPO / "notebooks"
RUN_SHEETS = sorted((REPO / "lessons").glob("part*_run_sheet.md"))
SLOT_MINUTES = 45
PLAN_HEADING = "## Minute-by-minute plan"
TALK = "talk"
TALK_SLIDES = 45  # the most slides (sub-slides included) a part's talk deck may have
SLIDE_STARTS = {"slide", "subslide"}

FENCE = re.compile(r"^ {0,3}(```|~~~)")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SECTION = re.compile(r"^ {0,3}##[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")  # level 2 only
EXERCISE = re.compile(r"\*\*Exercise (\d+)(?::\s*(.+?))?\.\*\*")
NOTEBOOK_LIKE = re.compile(r"^(?:[\w.-]+/)?\d\d_")
CITATION = re.compile(
    r"^(?P<notebook>(?:[\w.-]+/)?\d\d_\w+)"
    r"(?:\s+§\s+(?P<section>\S.*)"
    r"|\s+Exercise\s+(?P<number>\d+)(?::\s+(?P<title>\S.*))?)?$"
)


def outside_fences(text: str) -> list[str]:
    """The lines of Markdown `text`, with fenced code blocks blanked out (so
    that line numbers stay those of the file)."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            line = ""
        lines.append("" if fenced else line)
    return lines


def code_spans(line: str) -> list[str]:
    """The contents of a line's code spans (one space of padding removed)."""
    spans = []
    for match in CODE_SPAN.finditer(line):
        content = match.group(2)
        if len(content) > 2 and content.startswith(" ") and content.endswith(" "):
            content = content[1:-1]
        spans.append(content)
    return spans


class Notebook:
    """What a run sheet may cite in one notebook: its headings and exercises."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.headings: set[str] = set()
        self.exercises: dict[int, str | None] = {}
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            source = cell["source"]
            text = source if isinstance(source, str) else "".join(source)
            for line in outside_fences(text):
                if match := HEADING.match(line):
                    self.headings.add(match.group(1))
                    self.headings.add(html.unescape(match.group(1)))
            for number, title in EXERCISE.findall(text):
                self.exercises[int(number)] = title or None


def index_notebooks(folder: Path) -> dict[str, list[Path]]:
    """Each notebook under `folder` by its name and by folder/name."""
    index: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        for key in (path.stem, f"{path.parent.name}/{path.stem}"):
            index.setdefault(key, []).append(path)
    return index


def plan_table(text: str) -> list[str] | None:
    """The lines of the plan's table (the first table under the plan heading),
    or None when there is no plan heading."""
    lines = outside_fences(text)
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == PLAN_HEADING)
    except StopIteration:
        return None
    table: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):
            break
        if line.lstrip().startswith("|"):
            table.append(line)
        elif table:
            break
    return table


def plan_minutes(text: str) -> tuple[list[float], list[str]]:
    """The plan table's minutes per block, and any problems with the table."""
    table = plan_table(text)
    if table is None:
        return [], [f'no "{PLAN_HEADING}" heading']
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")] for line in table
    ]
    if len(rows) < 3:
        return [], ["the plan has no table with at least one block"]
    header, body = rows[0], rows[2:]
    if "Min" not in header:
        return [], ['the plan table has no "Min" column']
    col_min = header.index("Min")
    col_start = header.index("Start (min)") if "Start (min)" in header else None
    minutes: list[float] = []
    problems: list[str] = []
    for row in body:
        try:
            value = float(row[col_min])
        except (IndexError, ValueError):
            problems.append(f"plan row {row!r}: the Min column is not a number")
            continue
        if col_start is not None:
            try:
                said = float(row[col_start])
            except (IndexError, ValueError):
                said = None
            if said != sum(minutes):
                problems.append(
                    f"plan row {row!r}: starts at {row[col_start]!r}, but the "
                    f"blocks before it take {sum(minutes):g} minutes"
                )
        minutes.append(value)
    return minutes, problems


def check_run_sheet(
    text: str, notebooks: Path, limit: float = SLOT_MINUTES
) -> list[str]:
    """Everything wrong with a run sheet: a citation of a notebook, section or
    exercise that does not exist under `notebooks`, a malformed citation, a
    stray §, or a plan whose minutes exceed `limit`. Empty when all is well."""
    index = index_notebooks(notebooks)
    loaded: dict[Path, Notebook] = {}
    problems: list[str] = []
    for number, line in enumerate(outside_fences(text), start=1):
        if "§" in CODE_SPAN.sub("", line):
            problems.append(f"line {number}: a § outside a code span: {line.strip()}")
        for span in code_spans(line):
            if not NOTEBOOK_LIKE.match(span):
                continue
            match = CITATION.match(span)
            if not match:
                problems.append(f"line {number}: not a citation: `{span}`")
                continue
            found = index.get(match["notebook"], [])
            if len(found) != 1:
                why = "no such notebook" if not found else "ambiguous: add its folder"
                problems.append(f"line {number}: `{span}`: {why}")
                continue
            if found[0] not in loaded:
                loaded[found[0]] = Notebook(found[0])
            notebook = loaded[found[0]]
            if match["section"] and match["section"] not in notebook.headings:
                problems.append(
                    f"line {number}: `{span}`: no heading "
                    f'"{match["section"]}" in {found[0].name}'
                )
            if match["number"]:
                exercise = int(match["number"])
                if exercise not in notebook.exercises:
                    problems.append(
                        f"line {number}: `{span}`: no Exercise {exercise} in "
                        f"{found[0].name}"
                    )
                elif match["title"] and match["title"] != notebook.exercises[exercise]:
                    title = notebook.exercises[exercise]
                    name = f": {title}" if title else ", without a title"
                    problems.append(
                        f"line {number}: `{span}`: {found[0].name} calls it "
                        f"Exercise {exercise}{name}"
                    )
    minutes, plan_problems = plan_minutes(text)
    problems += plan_problems
    if sum(minutes) > limit:
        problems.append(
            f"the plan takes {sum(minutes):g} minutes, more than the {limit:g}-minute slot"
        )
    return problems


# --------------------------------------------------------------------------
# The talk path: the cells tagged `talk`, one deck per part
# --------------------------------------------------------------------------


def load_cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def slide_type(cell: dict) -> str:
    return cell["metadata"].get("slideshow", {}).get("slide_type", "-")


def on_talk_path(cell: dict) -> bool:
    return TALK in cell["metadata"].get("tags", [])


def headings(cell: dict, pattern: re.Pattern = HEADING) -> list[str]:
    """The text of a Markdown cell's headings that `pattern` matches."""
    if cell["cell_type"] != "markdown":
        return []
    source = cell["source"]
    text = source if isinstance(source, str) else "".join(source)
    return [m.group(1) for line in outside_fences(text) if (m := pattern.match(line))]


def talk_decks(folder: Path) -> dict[str, list[Path]]:
    """Each part's talk deck: its notebooks in deck order, grouped as
    scripts/build_slides.py groups them (a `partN_*` folder is part N; a
    notebook outside one, `00_start_here`, opens part 1)."""
    decks: dict[str, list[Path]] = {}
    paths = sorted(
        folder.rglob("*.ipynb"), key=lambda p: p.relative_to(folder).as_posix()
    )
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        name = path.parent.name
        part = name.split("_")[0] if name.startswith("part") else "part1"
        decks.setdefault(part, []).append(path)
    return decks


def deck_slides(cells: list[dict]) -> int:
    """The slides, sub-slides included, that nbconvert makes of these cells: the
    first cell that is not `skip` or `notes` opens a slide, whatever its type;
    after it each `slide` or `subslide` cell opens another; `fragment`, `-`,
    `skip` and `notes` cells stay on the slide they follow."""
    shown = [slide_type(c) for c in cells if slide_type(c) not in ("skip", "notes")]
    return 1 + sum(t in SLIDE_STARTS for t in shown[1:]) if shown else 0


def talk_path_problems(path: Path) -> list[str]:
    """Everything wrong with one notebook's talk path: it must start on a slide
    or subslide cell; each talk cell must sit on a slide whose opening cell is on
    the path (a kept fragment never lands on a cut slide, kept notes never speak
    for one); each `##` section on the path must open with its heading, on a
    slide or subslide cell; and the `notes` cells of a kept slide are kept."""
    cells = load_cells(path)
    talk = [i for i, cell in enumerate(cells) if on_talk_path(cell)]
    if not talk:
        return [f"{path.name}: no cell is tagged {TALK!r}"]
    problems = []
    if slide_type(cells[talk[0]]) not in SLIDE_STARTS:
        problems.append(
            f"{path.name}: the talk path starts on cell {talk[0]}, a "
            f"{slide_type(cells[talk[0]])!r} cell, not a slide or subslide"
        )
    opener = section = None  # the cells that opened the current slide and section
    for i, cell in enumerate(cells):
        kind = slide_type(cell)
        if kind in SLIDE_STARTS:
            opener = i
        if sections := headings(cell, SECTION):
            section = i
            if on_talk_path(cell) and kind not in SLIDE_STARTS:
                problems.append(
                    f"{path.name} cell {i}: section {sections[0]!r} opens on a "
                    f"{kind!r} cell, not a slide or subslide"
                )
        kept_slide = opener is not None and on_talk_path(cells[opener])
        if not on_talk_path(cell):
            if kind == "notes" and kept_slide:
                problems.append(
                    f"{path.name} cell {i}: the speaker notes of kept slide "
                    f"(cell {opener}) are not tagged {TALK!r}"
                )
            continue
        if not kept_slide:
            where = "before any slide" if opener is None else f"opened by cell {opener}"
            problems.append(
                f"{path.name} cell {i}: a {kind!r} cell on the talk path, on a "
                f"slide that is cut ({where})"
            )
        if section is not None and not on_talk_path(cells[section]):
            problems.append(
                f"{path.name} cell {i}: on the talk path, but the heading of its "
                f"section (cell {section}) is not"
            )
    return problems


def plan_sections(text: str) -> list[tuple[str, str]]:
    """(notebook, section) for every section cited in the plan's table."""
    cited = []
    for line in plan_table(text) or []:
        for span in code_spans(line):
            match = CITATION.match(span)
            if match and match["section"]:
                cited.append((match["notebook"], match["section"]))
    return cited


def plan_vs_talk_path(text: str, notebooks: Path, part: str) -> list[str]:
    """Where a run sheet's plan and its part's talk path disagree: a section the
    plan cites whose heading cell is not tagged `talk` (or that is in another
    part's deck), or a `##` section on the talk path that the plan does not
    cite. Unknown notebooks and headings are check_run_sheet's to report."""
    index = index_notebooks(notebooks)
    deck = talk_decks(notebooks).get(part, [])
    cited: dict[Path, set[str]] = {}
    problems = []
    for notebook, section in plan_sections(text):
        found = index.get(notebook, [])
        if len(found) != 1:
            continue
        if found[0] not in deck:
            problems.append(f"`{notebook} § {section}`: not in the {part} talk deck")
            continue
        cited.setdefault(found[0], set()).add(section)
    for path in deck:
        cells = load_cells(path)
        for section in sorted(cited.get(path, ())):
            holders = [
                cell
                for cell in cells
                if section
                in {h for raw in headings(cell) for h in (raw, html.unescape(raw))}
            ]
            if holders and not any(on_talk_path(cell) for cell in holders):
                problems.append(
                    f"`{path.stem} § {section}`: in the plan, but its heading cell "
                    f"is not tagged {TALK!r}"
                )
        for cell in filter(on_talk_path, cells):
            for heading in headings(cell, SECTION):
                if not {heading, html.unescape(heading)} & cited.get(path, set()):
                    problems.append(
                        f"`{path.stem} § {heading}`: on the talk path, but not in the plan"
                    )
    return problems


# --------------------------------------------------------------------------
# The real run sheets
# --------------------------------------------------------------------------


def test_part_1_has_a_run_sheet():
    assert REPO / "lessons" / "part1_run_sheet.md" in RUN_SHEETS


@pytest.mark.parametrize("path", RUN_SHEETS, ids=lambda p: p.name)
def test_run_sheet_names_only_what_exists(path):
    problems = check_run_sheet(path.read_text(encoding="utf-8"), NOTEBOOKS)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", RUN_SHEETS, ids=lambda p: p.name)
def test_run_sheet_cites_sections_and_fits_the_slot(path):
    text = path.read_text(encoding="utf-8")
    minutes, _ = plan_minutes(text)
    assert minutes, f"{path.name}: the plan has no blocks"
    assert 0 < sum(minutes) <= SLOT_MINUTES
    assert any(" § " in span for line in text.splitlines() for span in code_spans(line))


@pytest.mark.parametrize("path", RUN_SHEETS, ids=lambda p: p.name)
def test_run_sheet_plan_is_the_talk_path(path):
    part = path.name.split("_")[0]
    problems = plan_vs_talk_path(path.read_text(encoding="utf-8"), NOTEBOOKS, part)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


TALK_DECKS = talk_decks(NOTEBOOKS)


def test_part_1_has_a_talk_deck():
    assert NOTEBOOKS / "00_start_here.ipynb" in TALK_DECKS["part1"]


@pytest.mark.parametrize("part", sorted(TALK_DECKS))
def test_talk_deck_fits_the_slot_and_has_speaker_notes(part):
    talk = {p.stem: list(filter(on_talk_path, load_cells(p))) for p in TALK_DECKS[part]}
    cells = [cell for kept in talk.values() for cell in kept]
    slides = deck_slides(cells)
    per_notebook = ", ".join(f"{name} {deck_slides(c)}" for name, c in talk.items())
    assert 0 < slides <= TALK_SLIDES, (
        f"the {part} talk deck has {slides} slides, more than {TALK_SLIDES} "
        f"({per_notebook})"
    )
    assert any(slide_type(cell) == "notes" for cell in cells), (
        f"the {part} talk deck has no speaker notes"
    )


@pytest.mark.parametrize("path", RUN_SHEETS, ids=lambda p: p.name)
def test_plan_slides_column_adds_up_to_the_deck(path):
    """Where the plan counts slides per row, the count is the talk deck's."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in plan_table(path.read_text(encoding="utf-8")) or []
    ]
    if not rows or "Slides" not in rows[0]:
        pytest.skip("the plan has no Slides column")
    column = rows[0].index("Slides")
    said = sum(int(row[column]) for row in rows[2:] if row[column].isdigit())
    deck = TALK_DECKS[path.name.split("_")[0]]
    slides = deck_slides([c for p in deck for c in load_cells(p) if on_talk_path(c)])
    assert said == slides, (
        f"the plan's Slides column adds up to {said}, the deck has {slides}"
    )


@pytest.mark.parametrize(
    "path", [p for deck in TALK_DECKS.values() for p in deck], ids=lambda p: p.name
)
def test_talk_path_keeps_whole_slides(path):
    problems = talk_path_problems(path)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------
# The check itself, on tampered copies
# --------------------------------------------------------------------------


def copy_notebooks(tmp_path: Path) -> Path:
    target = tmp_path / "notebooks"
    shutil.copytree(
        NOTEBOOKS, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    return target


def edit_markdown(notebook: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in the notebook's markdown cells (it must occur)."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    hits = 0
    for cell in data["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            hits += text.count(old)
            cell["source"] = text.replace(old, new).splitlines(keepends=True)
    assert hits, f"{old!r} is not in {notebook.name}"
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")


def rename_heading(notebook: Path, heading: str) -> None:
    """Append ", renamed" to every heading of the notebook that reads `heading`."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    hits = 0
    for cell in data["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        lines = "".join(cell["source"]).splitlines(keepends=True)
        for i, line in enumerate(lines):
            match = HEADING.match(line.rstrip("\n"))
            if match and heading in (match[1], html.unescape(match[1])):
                lines[i] = (
                    line.rstrip("\n") + ", renamed" + line[len(line.rstrip("\n")) :]
                )
                hits += 1
        cell["source"] = lines
    assert hits, f"no heading {heading!r} in {notebook.name}"
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False), "utf-8")


def first_citation(text: str, kind: str) -> re.Match:
    """The first citation of a `kind` ("section" or "number") that exists."""
    index = index_notebooks(NOTEBOOKS)
    for line in text.splitlines():
        for span in code_spans(line):
            match = CITATION.match(span)
            if not (
                match and match[kind] and len(index.get(match["notebook"], [])) == 1
            ):
                continue
            notebook = Notebook(index[match["notebook"]][0])
            if kind == "section" and match["section"] in notebook.headings:
                return match
            if kind == "number" and int(match["number"]) in notebook.exercises:
                return match
    raise AssertionError(f"the run sheet cites no existing {kind}")


def test_a_renamed_heading_fails_the_check(tmp_path):
    text = (REPO / "lessons" / "part1_run_sheet.md").read_text(encoding="utf-8")
    cited = first_citation(text, "section")
    notebooks = copy_notebooks(tmp_path)
    before = set(check_run_sheet(text, notebooks))
    [path] = index_notebooks(notebooks)[cited["notebook"]]
    rename_heading(path, cited["section"])
    new = set(check_run_sheet(text, notebooks)) - before
    assert new and all(f'no heading "{cited["section"]}"' in p for p in new), new


def test_a_retitled_or_removed_exercise_fails_the_check(tmp_path):
    text = (
        "## Minute-by-minute plan\n\n| Min | Block |\n| --- | --- |\n| 5 | x |\n\n"
        "`06_transformer Exercise 2: the memory wall` and `06_transformer Exercise 1`\n"
    )
    assert check_run_sheet(text, NOTEBOOKS) == []
    notebooks = copy_notebooks(tmp_path)
    path = notebooks / "part1_background" / "06_transformer.ipynb"
    edit_markdown(path, "**Exercise 2: the memory wall.**", "**Exercise 2: the wall.**")
    edit_markdown(path, "**Exercise 1: count", "**Task 1: count")
    problems = check_run_sheet(text, notebooks)
    assert len(problems) == 2, problems
    assert "calls it Exercise 2: the wall" in problems[0]
    assert "no Exercise 1" in problems[1]


def tiny_notebooks(tmp_path: Path) -> Path:
    cell = {
        "cell_type": "markdown",
        "metadata": {},
        "source": ["## Step 3: the norm factor &radic;d\n", "**Exercise 1.** Try.\n"],
    }
    folder = tmp_path / "notebooks" / "part9_demo"
    folder.mkdir(parents=True)
    (folder / "01_demo.ipynb").write_text(json.dumps({"cells": [cell]}), "utf-8")
    return tmp_path / "notebooks"


def plan(*minutes: float, starts: list[float] | None = None) -> str:
    starts = starts or [sum(minutes[:i]) for i in range(len(minutes))]
    rows = "".join(
        f"| {s:g} | {m:g} | `01_demo § Step 3: the norm factor √d` |\n"
        for s, m in zip(starts, minutes)
    )
    return (
        f"# Run sheet\n\n{PLAN_HEADING}\n\n| Start (min) | Min | Section |\n"
        f"| ---: | ---: | --- |\n{rows}\nAfter the table.\n"
    )


def test_the_plan_must_fit_45_minutes(tmp_path):
    notebooks = tiny_notebooks(tmp_path)
    assert check_run_sheet(plan(20, 20, 5), notebooks) == []
    problems = check_run_sheet(plan(20, 20, 6), notebooks)
    assert problems == ["the plan takes 46 minutes, more than the 45-minute slot"]


def test_start_times_must_follow_the_minutes(tmp_path):
    problems = check_run_sheet(plan(10, 10, starts=[0, 12]), tiny_notebooks(tmp_path))
    assert len(problems) == 1 and "starts at '12'" in problems[0]


def test_malformed_and_invisible_citations_are_errors(tmp_path):
    notebooks = tiny_notebooks(tmp_path)
    good = plan(5)
    text = good + (
        "`01_demo § Step 3: the norm factor &radic;d` is fine (the source text).\n"
        "`01_demo Exercise 1` is fine, `01_demo Exercise 1: try` is not.\n"
        "`01_demo: Step 3` is not a citation, nor is `02_gone`.\n"
        "01_demo § Step 3 outside a code span is invisible.\n"
        "```sh\n`01_in_a_fence § ignored`\n```\n"
        "`make slides` and `build/slides/06_transformer.slides.html` are not citations.\n"
    )
    problems = check_run_sheet(text, notebooks)
    assert len(problems) == 4, problems
    assert "calls it Exercise 1, without a title" in problems[0]
    assert "not a citation: `01_demo: Step 3`" in problems[1]
    assert "`02_gone`: no such notebook" in problems[2]
    assert "a § outside a code span" in problems[3]
    assert check_run_sheet(good.replace(PLAN_HEADING, "## Plan"), notebooks) == [
        f'no "{PLAN_HEADING}" heading'
    ]


def talk_notebook(tmp_path: Path, cells: list[tuple[str, str, bool]]) -> Path:
    """A part-1 notebook of Markdown cells, each (slide type, source, on the talk
    path), alone in a notebooks folder under `tmp_path`."""
    folder = tmp_path / "notebooks" / "part1_demo"
    folder.mkdir(parents=True)
    path = folder / "01_demo.ipynb"
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {"slideshow": {"slide_type": kind}}
                | ({"tags": [TALK]} if talk else {}),
                "source": source,
            }
            for kind, source, talk in cells
        ]
    }
    path.write_text(json.dumps(notebook), "utf-8")
    return path


def test_deck_slides_counts_as_nbconvert_does():
    def cells(*kinds: str) -> list[dict]:
        return [{"metadata": {"slideshow": {"slide_type": k}}} for k in kinds]

    # The first shown cell opens a slide, whatever its type; then each slide or
    # subslide cell opens one; notes, skip, fragment and "-" cells do not.
    kinds = ("notes", "fragment", "-", "subslide", "skip", "fragment", "slide", "notes")
    assert deck_slides(cells(*kinds, "subslide")) == 4
    assert deck_slides(cells("skip", "notes")) == 0
    assert deck_slides([{"metadata": {}}, {"metadata": {}}]) == 1  # no type: "-"


def test_a_kept_fragment_on_a_cut_slide_fails_the_check(tmp_path):
    good = [
        ("slide", "# Demo", True),
        ("slide", "## Kept", True),
        ("notes", "Say this.", True),
        ("subslide", "A detail, cut.", False),
        ("fragment", "Its punchline, cut too.", False),
        ("slide", "## Cut", False),
        ("notes", "Notes of a cut slide.", False),
    ]
    assert talk_path_problems(talk_notebook(tmp_path / "good", good)) == []
    stray = [*good[:4], ("fragment", "Its punchline, kept.", True), *good[5:]]
    [problem] = talk_path_problems(talk_notebook(tmp_path / "stray", stray))
    assert "cell 4: a 'fragment' cell" in problem and "opened by cell 3" in problem
    mute = [*good[:2], ("notes", "Say this.", False), *good[3:]]
    [problem] = talk_path_problems(talk_notebook(tmp_path / "mute", mute))
    assert "speaker notes of kept slide (cell 1)" in problem


def test_a_talk_path_must_open_on_a_slide_and_keep_its_headings(tmp_path):
    fragment_first = [("fragment", "# Demo", True)]
    problems = talk_path_problems(talk_notebook(tmp_path / "a", fragment_first))
    assert "starts on cell 0, a 'fragment' cell" in problems[0]
    assert "before any slide" in problems[1]
    section_on_fragment = [("slide", "# Demo", True), ("fragment", "## Late", True)]
    [problem] = talk_path_problems(talk_notebook(tmp_path / "b", section_on_fragment))
    assert "section 'Late' opens on a 'fragment' cell" in problem
    headless = [
        ("slide", "# Demo", True),
        ("slide", "## Cut", False),
        ("subslide", "x", True),
    ]
    [problem] = talk_path_problems(talk_notebook(tmp_path / "c", headless))
    assert (
        "cell 2: on the talk path, but the heading of its section (cell 1)" in problem
    )
    untagged = [("slide", "# Demo", False)]
    assert talk_path_problems(talk_notebook(tmp_path / "d", untagged)) == [
        "01_demo.ipynb: no cell is tagged 'talk'"
    ]


def test_the_plan_and_the_talk_path_must_agree(tmp_path):
    talk_notebook(
        tmp_path,
        [
            ("slide", "# Demo", True),
            ("slide", "## Shown", True),
            ("subslide", "### A detail", True),
            ("slide", "## Step 3: the norm factor &radic;d", True),
            ("slide", "## Extra", True),
            ("slide", "## Cut", False),
        ],
    )
    notebooks = tmp_path / "notebooks"
    rows = "".join(
        f"| {i} | 1 | `01_demo § {section}` |\n"
        for i, section in enumerate(["Shown", "Step 3: the norm factor √d", "Cut"])
    )
    text = (
        f"{PLAN_HEADING}\n\n| Start (min) | Min | Section |\n| ---: | ---: | --- |\n"
        f"{rows}\nBelow the table, `01_demo § Extra` is not part of the plan.\n"
    )
    assert check_run_sheet(text, notebooks) == []
    assert plan_vs_talk_path(text, notebooks, "part1") == [
        "`01_demo § Cut`: in the plan, but its heading cell is not tagged 'talk'",
        "`01_demo § Extra`: on the talk path, but not in the plan",
    ]
    assert plan_vs_talk_path(text, notebooks, "part2") == [
        f"`01_demo § {section}`: not in the part2 talk deck"
        for section in ["Shown", "Step 3: the norm factor √d", "Cut"]
    ]
