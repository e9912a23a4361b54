"""Open every built deck offline in headless Chromium and check it (the deck check).

For each build/slides/*.slides.html, at 1280x720 and with every request that is
not file:, data: or blob: aborted, it asserts that reveal.js starts; that the
slide count matches the notebook's slide metadata; that the presenter's key
(Right arrow in a talk deck, Space in a lesson deck) reaches every slide; that
no request left the machine or failed (a library missing from lib/); that there
are no console or page errors, no widget controls, and that each cell that had
a widget still shows its static picture; and that every bertviz view drew.

Then it visits every slide and measures: what overflows the slide (an element
past its right or bottom edge, or a scroll box hiding content), the smallest
body text (markdown, code, table text) in px at 1280x720, whether the slide
carries a picture (img, svg, canvas or a widget's static picture), and its lines
of prose. A talk deck fails on overflow, on text under 24 px, on a picture on
fewer than half of its slides, or on more than five lines of prose on a slide;
each failure names the offending slides. Lesson decks (for reading, not
projecting) report the same findings without failing. Screenshots go into
build/slides/screenshots/: every slide of a talk deck (talk_part1.slides-07.png
is its 8th), and a lesson deck's first slide with a picture.

    python scripts/check_decks.py            # after `make slides` / `make slides-talk`
    python scripts/check_decks.py --copied   # check a copy of the folder, elsewhere
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.build_slides import (
    BUILD,
    THIRD_PARTY,
    WIDGET_VIEW,
    notebooks,
    talk_cells,
    talk_part,
)
from scripts.chromium import ChromiumMissing, block_outside, launch, start_playwright

LOCAL = ("file:", "data:", "blob:")
VIEWPORT = {"width": 1280, "height": 720}
MIN_FONT_PX = 24  # projector size: body text at 1280x720
MIN_PICTURE_SHARE = 0.5  # of a talk deck's slides
MAX_PROSE_LINES = 5  # on one talk slide

# reveal.js is loaded by require.js, so it is an AMD module, not window.Reveal.
REVEAL = """window.requirejs && Object.entries(requirejs.s.contexts._.defined)
  .filter(([name]) => name.endsWith('reveal.js/dist/reveal.js'))
  .map(([, module]) => module)[0]"""
READY = f"() => {{ const R = {REVEAL}; return !!R && R.isReady(); }}"
COUNTS = f"() => {{ const R = {REVEAL}; return [R.getHorizontalSlides().length, R.getTotalSlides()]; }}"
# Where the presenter is: the slide's index, and whether anything is left.
POSITION = f"""() => {{ const R = {REVEAL};
  return [R.getSlides().indexOf(R.getCurrentSlide()),
          R.isLastSlide() && !R.availableFragments().next]; }}"""
# Widget controls left in a deck (dead: no kernel). bertviz's own menus work
# without one, so they do not count.
CONTROLS = """() => [...document.querySelectorAll(
  '.reveal .slides :is(input, button, select, textarea, .noUi-target, .widget-slider)')]
  .filter(el => !el.closest('div[id^="bertviz-"]')).length"""
# Each cell that had a widget: does it still show a picture or HTML (`show`'s
# static picture), or, for a progress bar, any output?
WIDGET_CELLS = """cells => cells.map(([id, picture]) => {
  const cell = document.getElementById('cell-id=' + id);
  const shown = picture
    ? '.jp-RenderedImage, .jp-RenderedHTML.jp-OutputArea-output' : '.jp-OutputArea-output';
  return !!cell && !!cell.querySelector(shown);
})"""
BERTVIZ = """() => [...document.querySelectorAll('div[id^="bertviz-"]')]
  .map(view => view.querySelectorAll('svg *').length > 0)"""
# MathJax loads its menu extensions late and shows "Loading ..." meanwhile.
MATHJAX_DONE = """() => !window.MathJax || !MathJax.Ajax ||
  Object.keys(MathJax.Ajax.loaded).some(url => url.includes('MathZoom')) &&
  !(document.getElementById('MathJax_Message') || {}).textContent"""
STUCK = """() => ['Error displaying widget', 'Loading widget']
  .filter(text => document.body.textContent.includes(text))"""
GO = f"""i => {{ const R = {REVEAL};
  R.configure({{transition: 'none', backgroundTransition: 'none'}});
  const at = R.getIndices(R.getSlides()[i]); R.slide(at.h, at.v, 999); }}"""
# Visit every slide (all fragments in) and measure it; see the module docstring.
MEASURE = f"""pictureCells => {{
  const R = {REVEAL};
  R.configure({{transition: 'none', backgroundTransition: 'none'}});
  const frame = document.querySelector('.reveal .slides');
  const scale = frame.getBoundingClientRect().width / R.getConfig().width;
  const skip = 'aside.notes, .MathJax, .MathJax_CHTML, .MathJax_Preview, sub, sup, script, style';
  const shown = el => {{ const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }};
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\\s+/)[0] : '');
  return R.getSlides().map((slide, index) => {{
    const at = R.getIndices(slide); R.slide(at.h, at.v, 999);
    const box = frame.getBoundingClientRect();
    const elements = [slide, ...slide.querySelectorAll('*')]
      .filter(el => !el.closest('aside.notes') && shown(el));
    let overflow = '';
    for (const el of elements) {{
      const r = el.getBoundingClientRect(), s = getComputedStyle(el);
      const past = r.right > box.right + 1 ? 'right' : r.bottom > box.bottom + 1 ? 'bottom' : '';
      const hides = (el.scrollWidth > el.clientWidth + 1 && /auto|scroll|hidden/.test(s.overflowX))
        || (el.scrollHeight > el.clientHeight + 1 && /auto|scroll|hidden/.test(s.overflowY));
      if (past) {{ overflow = `${{name(el)}} runs ${{Math.round(past === 'right'
        ? r.right - box.right : r.bottom - box.bottom)}} px past the ${{past}}`; break; }}
      if (hides) {{ overflow = `${{name(el)}} scrolls, hiding ${{Math.max(
        el.scrollWidth - el.clientWidth, el.scrollHeight - el.clientHeight)}} px`; break; }}
    }}
    let font = Infinity, fontText = '';
    const prose = [];
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {{
      const text = walker.currentNode, el = text.parentElement;
      if (!text.textContent.trim() || el.closest(skip) || !shown(el)) continue;
      if (!el.closest('.jp-RenderedMarkdown, .jp-InputArea, .jp-OutputArea')) continue;
      const size = parseFloat(getComputedStyle(el).fontSize) * scale;
      if (size < font) {{ font = size; fontText = text.textContent.trim().slice(0, 40); }}
      if (el.closest('.jp-RenderedMarkdown') && !el.closest('h1, h2, h3, h4, h5, h6, pre, table')) {{
        const range = document.createRange(); range.selectNodeContents(text);
        prose.push(...[...range.getClientRects()].filter(r => r.width > 0));
      }}
    }}
    // Lines of prose: text boxes whose middles differ by more than half a line.
    const middles = prose.map(r => [(r.top + r.bottom) / 2, r.height]).sort((a, b) => a[0] - b[0]);
    let lines = 0, last = -Infinity;
    for (const [y, h] of middles) {{ if (y - last > h / 2) {{ lines += 1; last = y; }} }}
    const picture = [...slide.querySelectorAll('img, svg, canvas')].some(el =>
        !el.closest(skip) && !el.closest('.jp-InputArea') && shown(el))
      || pictureCells.some(id => slide.querySelector(`[id="cell-id=${{id}}"] .jp-OutputArea-output`));
    const words = slide.innerText.trim().split(/\\s+/).slice(0, 6).join(' ');
    return {{index, words, overflow, font: isFinite(font) ? font : null, fontText, picture, lines}};
  }});
}}"""


@dataclass
class Deck:
    """A deck's sources: its cells, whether it is a talk deck, and its widget cells."""

    cells: list
    talk: bool
    widget_cells: list[tuple[str, bool]] = field(
        default_factory=list
    )  # (id, had a picture)


def slide_types(cells) -> list[str]:
    return [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in cells]


def expected_slides(cells) -> tuple[int, int]:
    """(horizontal, total) slides that nbconvert makes of these cells.

    The first cell that is not `skip` or `notes` opens the first slide, whatever
    its type; after it each `slide` cell opens a horizontal slide and each
    `subslide` cell a vertical one; fragments, `-`, skip and notes cells stay on
    the slide they follow (nbconvert's _RevealMetadataPreprocessor).
    """
    types = slide_types(cells)
    shown = [i for i, t in enumerate(types) if t not in ("skip", "notes")]
    if not shown:
        return 0, 0
    rest = types[shown[0] + 1 :]
    return 1 + rest.count("slide"), 1 + rest.count("slide") + rest.count("subslide")


def widget_cells(cells) -> list[tuple[str, bool]]:
    """(id, whether it saved a picture or HTML) of each cell with a widget output."""
    found = []
    for cell in cells:
        outputs = cell.get("outputs", [])
        if any(WIDGET_VIEW in o.get("data", {}) for o in outputs):
            static = any(
                "text/html" in o.get("data", {}) or "image/png" in o.get("data", {})
                for o in outputs
            )
            found.append((cell.get("id", ""), static))
    return found


def deck_sources() -> dict[str, Deck]:
    """Each deck's file stem -> what it is built from (as build_slides.py does)."""
    decks: dict[str, Deck] = {}
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        decks[f"{path.stem}.slides"] = Deck(nb.cells, talk=False)
        talk = decks.setdefault(f"talk_{talk_part(path)}.slides", Deck([], talk=True))
        talk.cells += talk_cells(nb, path)
    for deck in decks.values():
        deck.widget_cells = widget_cells(deck.cells)
    return decks


def wait_for(page, script: str, timeout_ms: int, arg=None) -> bool:
    """Wait until `script` returns true; False if it does not in time."""
    try:
        page.wait_for_function(script, arg=arg, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 -- Playwright's TimeoutError; callers report it
        return False
    return True


def walk(page, key: str, total: int) -> list[int]:
    """Press `key` from the first slide to the end; the slides never reached."""
    page.evaluate(GO, 0)
    page.evaluate(f"() => {{ const R = {REVEAL}; R.slide(0, 0, -1); }}")
    seen = {page.evaluate(POSITION)[0]}
    for _ in range(4 * total + 20):  # fragments take presses too
        page.keyboard.press(key)
        index, done = page.evaluate(POSITION)
        seen.add(index)
        if done:
            break
    return [i for i in range(total) if i not in seen]


def check_deck(
    browser, deck: Path, source: Deck, shots: Path
) -> tuple[dict, list[str], list[str]]:
    """Open one deck; return its table row, its failures and its findings
    (reported problems that do not fail the check)."""
    start = time.perf_counter()
    context = browser.new_context(viewport=VIEWPORT)
    blocked = block_outside(context, LOCAL)
    page = context.new_page()
    errors: list[tuple[str, str | None]] = []  # (message, URL it is about)
    failed: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append((message.text, message.location.get("url")))

    page.on("console", on_console)
    page.on("pageerror", lambda err: errors.append((f"page error: {err}", None)))
    page.on(
        "requestfailed",
        lambda request: None if request.url in blocked else failed.append(request.url),
    )
    problems: list[str] = []
    findings: list[str] = []
    row = {"deck": deck.name, "slides": "-", "widgets": "-", "bertviz": "-"}
    try:
        page.goto(deck.as_uri(), wait_until="load")
        if not wait_for(page, READY, 30_000):
            problems.append("reveal.js did not start within 30 s")
        else:
            problems += check_started(page, source, row)
            wait_for(page, MATHJAX_DONE, 10_000)
            more, findings = measure(page, source, row, deck, shots)
            problems += more
    finally:
        context.close()
    problems += [f"request left the machine: {url}" for url in blocked]
    problems += [f"request failed (missing file?): {url}" for url in failed]
    problems += [f"console error: {text}" for text, url in errors if url not in blocked]
    row["seconds"] = f"{time.perf_counter() - start:.1f}"
    return row, problems, findings


def check_started(page, source: Deck, row: dict) -> list[str]:
    """The checks once reveal runs: slide count, the presenter's key, widgets,
    bertviz views, stuck text."""
    problems = []
    horizontal, total = page.evaluate(COUNTS)
    want = expected_slides(source.cells)
    row["slides"] = f"{total} ({horizontal} across)"
    if (horizontal, total) != want:
        problems.append(
            f"{total} slides ({horizontal} across), the notebook's metadata "
            f"implies {want[1]} ({want[0]} across)"
        )
    key = "ArrowRight" if source.talk else "Space"
    missed = walk(page, key, total)
    row["key"] = f"{key.removeprefix('Arrow')}: {total - len(missed)}/{total}"
    if missed:
        problems.append(f"{key} from the first slide skips slides {missed[:10]}")
    controls = page.evaluate(CONTROLS)
    if controls:
        problems.append(f"{controls} widget controls in the deck (no kernel: dead)")
    shown = page.evaluate(WIDGET_CELLS, source.widget_cells)
    row["widgets"] = len(shown)
    problems += [
        f"widget cell {cell_id} shows no static picture"
        for (cell_id, _), ok in zip(source.widget_cells, shown)
        if not ok
    ]
    # bertviz's scripts finish after reveal is ready.
    wait_for(page, f"() => ({BERTVIZ})().every(Boolean)", 20_000)
    drawn = page.evaluate(BERTVIZ)
    row["bertviz"] = len(drawn)
    problems += [
        f"bertviz view {i + 1} of {len(drawn)} did not render"
        for i, ok in enumerate(drawn)
        if not ok
    ]
    problems += [f"'{text}' is left on the page" for text in page.evaluate(STUCK)]
    tagged = sum(THIRD_PARTY in c.metadata.get("tags", []) for c in source.cells)
    if tagged and not drawn:
        row["bertviz"] = "0 (built without --execute)"
    return problems


def where(slide: dict) -> str:
    """A slide, as a report names it: its index and first words."""
    return f"slide {slide['index']} ({slide['words']!r})"


def measure(
    page, source: Deck, row: dict, deck: Path, shots: Path
) -> tuple[list[str], list[str]]:
    """Visit every slide: overflow, font size, pictures, prose. Return the
    failures (talk decks) and findings; screenshots of the offending slides."""
    pictures = [cell_id for cell_id, static in source.widget_cells if static]
    slides = page.evaluate(MEASURE, pictures)
    fonts = [s["font"] for s in slides if s["font"] is not None]
    row["font px"] = f"{min(fonts):.1f}" if fonts else "-"
    row["pictures"] = f"{sum(s['picture'] for s in slides)}/{len(slides)}"
    overflowing = [s for s in slides if s["overflow"]]
    small = [s for s in slides if s["font"] is not None and s["font"] < MIN_FONT_PX]
    wordy = [s for s in slides if s["lines"] > MAX_PROSE_LINES]
    row["overflow"] = len(overflowing)
    row[f"prose>{MAX_PROSE_LINES}"] = len(wordy)
    overflow = [f"overflow: {where(s)}: {s['overflow']}" for s in overflowing]
    fonts_low = [
        f"text under {MIN_FONT_PX} px: {where(s)}: {s['font']:.1f} px ({s['fontText']!r})"
        for s in small
    ]
    share = sum(s["picture"] for s in slides) / max(len(slides), 1)
    density = [f"prose: {where(s)}: {s['lines']} lines" for s in wordy]
    if share < MIN_PICTURE_SHARE:
        density.append(
            f"pictures on {share:.0%} of the slides (at least {MIN_PICTURE_SHARE:.0%}); "
            f"without one: {[s['index'] for s in slides if not s['picture']]}"
        )
    name = deck.name.removesuffix(".html")
    first = next((s for s in slides if s["picture"]), slides[0] if slides else None)
    shown = slides if source.talk else [first] if first else []
    for s in shown:  # every talk slide; a lesson deck's first picture
        page.evaluate(GO, s["index"])
        page.wait_for_timeout(100)
        suffix = f"-{s['index']:02d}" if source.talk else ""
        page.screenshot(path=shots / f"{name}{suffix}.png")
    if not source.talk:
        return [], overflow + fonts_low + density
    return overflow + fonts_low + density, []


def print_table(rows: list[dict]) -> None:
    columns = ["deck", "slides", "key", "widgets", "bertviz", "font px", "pictures"]
    columns += ["overflow", f"prose>{MAX_PROSE_LINES}", "seconds"]
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    for row in [dict(zip(columns, columns)), *rows]:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def check_folder(build: Path, shots: Path) -> tuple[list[dict], list[str], list[str]]:
    """Check every deck in `build`: the table rows, failures and findings."""
    sources = deck_sources()
    rows, failures, findings = [], [], []
    playwright = start_playwright()
    try:
        browser = launch(playwright)
        try:
            for deck in sorted(build.glob("*.slides.html")):
                stem = deck.name.removesuffix(".html")
                if stem not in sources:
                    failures.append(
                        f"{deck.name}: no notebook builds this deck (stale build?)"
                    )
                    continue
                try:
                    row, problems, found = check_deck(
                        browser, deck, sources[stem], shots
                    )
                except Exception as err:  # noqa: BLE001 -- one broken deck must not hide the rest
                    row, problems, found = (
                        {"deck": deck.name},
                        [f"the check itself failed: {err}"],
                        [],
                    )
                rows.append(row)
                failures += [f"{deck.name}: {p}" for p in problems]
                findings += [f"{deck.name}: {p}" for p in found]
        finally:
            browser.close()
    finally:
        playwright.stop()
    return rows, failures, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build", type=Path, default=BUILD, help="folder of built decks"
    )
    parser.add_argument(
        "--copied",
        action="store_true",
        help="copy the folder to a temporary place and check the copy "
        "(proves it works wherever it is copied)",
    )
    args = parser.parse_args(argv)
    build = args.build.resolve()
    if not any(build.glob("*.slides.html")):
        print(
            f"deck check FAILED: no decks in {build}: run `make slides`",
            file=sys.stderr,
        )
        return 1
    shots = build / "screenshots"
    shutil.rmtree(shots, ignore_errors=True)  # no stale pictures of older builds
    shots.mkdir()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="decks-") as elsewhere:
        if args.copied:
            copy = Path(elsewhere) / "slides"
            shutil.copytree(build, copy, ignore=shutil.ignore_patterns("screenshots"))
            print(f"checking a copy of {build} in {copy}")
            build = copy
        try:
            rows, failures, findings = check_folder(build, shots)
        except ChromiumMissing as err:
            print(f"deck check FAILED: {err}", file=sys.stderr)
            return 1
    print_table(rows)
    shown = shots.relative_to(REPO) if shots.is_relative_to(REPO) else shots
    print(
        f"{len(rows)} decks checked in {time.perf_counter() - started:.1f} s; "
        f"screenshots in {shown}"
    )
    if findings:
        print(f"reported, not failed ({len(findings)}):")
        for finding in findings:
            print(f"  {finding}")
    if failures:
        print(f"deck check FAILED ({len(failures)} problems):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("deck check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
