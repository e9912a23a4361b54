"""Open every built deck offline in headless Chromium and check it (the deck check).

For each build/slides/*.slides.html, with every request that is not file:,
data: or blob: aborted, it asserts that reveal.js starts, that the slide count
matches the notebook's slide metadata, that there are no console or page
errors, that every widget rendered from its saved state and that every bertviz
view drew its SVG. It saves a screenshot per deck into build/slides/screenshots/
and exits non-zero, saying why, on any failure.

    python scripts/check_decks.py            # after `make slides` / `make slides-talk`
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.build_slides import BUILD, notebooks, talk_only, talk_part
from scripts.chromium import ChromiumMissing, block_outside, launch, start_playwright

LOCAL = ("file:", "data:", "blob:")
# reveal's "simple" theme @imports Google web fonts; blocked, the deck falls back
# to local fonts. These blocked requests (and their console errors) are allowed.
HARMLESS = ("https://fonts.googleapis.com/", "https://fonts.gstatic.com/")
BERTVIZ_TAG = "third-party-output"

# reveal.js is loaded by require.js, so it is an AMD module, not window.Reveal.
REVEAL = """window.requirejs && Object.entries(requirejs.s.contexts._.defined)
  .filter(([name]) => name.endsWith('reveal.js/dist/reveal.js'))
  .map(([, module]) => module)[0]"""
READY = f"() => {{ const R = {REVEAL}; return !!R && R.isReady(); }}"
COUNTS = f"() => {{ const R = {REVEAL}; return [R.getHorizontalSlides().length, R.getTotalSlides()]; }}"
WIDGETS = """() => [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')].map(tag => {
  const area = tag.previousElementSibling;
  return !!area && area.classList.contains('widget-subarea') && area.childElementCount > 0;
})"""
BERTVIZ = """() => [...document.querySelectorAll('div[id^="bertviz-"]')]
  .map(view => view.querySelectorAll('svg *').length > 0)"""
# MathJax loads its menu extensions late and shows "Loading ..." meanwhile.
MATHJAX_DONE = """() => !window.MathJax || !MathJax.Ajax ||
  Object.keys(MathJax.Ajax.loaded).some(url => url.includes('MathZoom')) &&
  !(document.getElementById('MathJax_Message') || {}).textContent"""
STUCK = """() => ['Error displaying widget', 'Loading widget']
  .filter(text => document.body.textContent.includes(text))"""
# Show the first slide with a widget that has controls, else a bertviz view or any
# widget, else the title; all fragments in.
SHOW = f"""() => {{
  const R = {REVEAL};
  R.configure({{transition: 'none', backgroundTransition: 'none'}});
  const target = [...document.querySelectorAll('.widget-subarea')]
      .find(area => area.querySelector('input, select, button, .noUi-target'))
    || document.querySelector('div[id^="bertviz-"], .widget-subarea');
  const section = target && target.closest('section');
  if (section) {{ const i = R.getIndices(section); R.slide(i.h, i.v, 999); target.scrollIntoView(); }}
}}"""


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


def deck_sources() -> dict[str, list]:
    """Each deck's file stem -> the cells it is built from (as build_slides.py does)."""
    decks: dict[str, list] = {}
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        decks[f"{path.stem}.slides"] = nb.cells
        decks.setdefault(f"talk_{talk_part(path)}.slides", []).extend(talk_only(nb))
    return decks


def wait_for(page, script: str, timeout_ms: int) -> bool:
    """Wait until `script` returns true; False if it does not in time."""
    try:
        page.wait_for_function(script, timeout=timeout_ms)
    except Exception:  # noqa: BLE001 -- Playwright's TimeoutError; callers report it
        return False
    return True


def check_deck(browser, deck: Path, cells: list, shots: Path) -> tuple[dict, list[str]]:
    """Open one deck; return its table row and the problems found."""
    start = time.perf_counter()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked = block_outside(context, LOCAL)
    page = context.new_page()
    errors: list[tuple[str, str | None]] = []  # (message, URL it is about)

    def on_console(message) -> None:
        if message.type == "error":
            errors.append((message.text, message.location.get("url")))

    page.on("console", on_console)
    page.on("pageerror", lambda err: errors.append((f"page error: {err}", None)))
    problems: list[str] = []
    row = {"deck": deck.name, "slides": "-", "widgets": "-", "bertviz": "-"}
    try:
        page.goto(deck.as_uri(), wait_until="load")
        if not wait_for(page, READY, 30_000):
            problems.append("reveal.js did not start within 30 s")
        else:
            problems += check_started(page, cells, row)
            wait_for(page, MATHJAX_DONE, 10_000)  # only for a clean screenshot
            page.evaluate(SHOW)
            page.wait_for_timeout(300)
        page.screenshot(path=shots / f"{deck.name.removesuffix('.html')}.png")
    finally:
        context.close()
    problems += [
        f"request left the machine: {url}"
        for url in blocked
        if not url.startswith(HARMLESS)
    ]
    problems += [f"console error: {text}" for text, url in errors if url not in blocked]
    row["seconds"] = f"{time.perf_counter() - start:.1f}"
    return row, problems


def check_started(page, cells: list, row: dict) -> list[str]:
    """The checks once reveal runs: slide count, widgets, bertviz views, stuck text."""
    problems = []
    horizontal, total = page.evaluate(COUNTS)
    want = expected_slides(cells)
    row["slides"] = f"{total} ({horizontal} across)"
    if (horizontal, total) != want:
        problems.append(
            f"{total} slides ({horizontal} across), the notebook's metadata "
            f"implies {want[1]} ({want[0]} across)"
        )
    # The widget renderer and bertviz's scripts finish after reveal is ready.
    for name, script in (("widget", WIDGETS), ("bertviz view", BERTVIZ)):
        wait_for(page, f"() => ({script})().every(Boolean)", 20_000)
        drawn = page.evaluate(script)
        row["widgets" if name == "widget" else "bertviz"] = len(drawn)
        problems += [
            f"{name} {i + 1} of {len(drawn)} did not render"
            for i, ok in enumerate(drawn)
            if not ok
        ]
    problems += [f"'{text}' is left on the page" for text in page.evaluate(STUCK)]
    tagged = sum(BERTVIZ_TAG in c.metadata.get("tags", []) for c in cells)
    if tagged and row["bertviz"] == 0:
        row["bertviz"] = "0 (built without --execute)"
    return problems


def print_table(rows: list[dict]) -> None:
    columns = ["deck", "slides", "widgets", "bertviz", "seconds"]
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    for row in [dict(zip(columns, columns)), *rows]:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build", type=Path, default=BUILD, help="folder of built decks"
    )
    args = parser.parse_args()
    build = args.build.resolve()
    decks = sorted(build.glob("*.slides.html"))
    if not decks:
        print(
            f"deck check FAILED: no decks in {build}: run `make slides`",
            file=sys.stderr,
        )
        return 1
    shots = build / "screenshots"
    shots.mkdir(exist_ok=True)
    sources = deck_sources()
    rows, failures = [], []
    started = time.perf_counter()
    try:
        playwright = start_playwright()
    except ChromiumMissing as err:
        print(f"deck check FAILED: {err}", file=sys.stderr)
        return 1
    try:
        browser = launch(playwright)
    except ChromiumMissing as err:
        playwright.stop()
        print(f"deck check FAILED: {err}", file=sys.stderr)
        return 1
    try:
        for deck in decks:
            stem = deck.name.removesuffix(".html")
            if stem not in sources:
                failures.append(
                    f"{deck.name}: no notebook builds this deck (stale build?)"
                )
                continue
            try:
                row, problems = check_deck(browser, deck, sources[stem], shots)
            except Exception as err:  # noqa: BLE001 -- one broken deck must not hide the rest
                row, problems = {"deck": deck.name}, [f"the check itself failed: {err}"]
            rows.append(row)
            failures += [f"{deck.name}: {p}" for p in problems]
    finally:
        browser.close()
        playwright.stop()
    print_table(rows)
    print(
        f"{len(rows)} decks checked in {time.perf_counter() - started:.1f} s; "
        f"screenshots in {shots.relative_to(REPO) if shots.is_relative_to(REPO) else shots}"
    )
    if failures:
        print(f"deck check FAILED ({len(failures)} problems):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print("deck check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
