"""Every notebook in JupyterLab, in a real browser (Debian's Chromium via Playwright).

A JupyterLab server starts on a free loopback port, offline, with COURSE_QUICK=1
(a tenth of the training steps) unless the environment sets it. For each
notebook the test restarts the kernel and runs all cells through Lab's own
commands, then asserts: no error output, no widget left on "Loading widget" or
"Error displaying widget", every widget's output changes when one control of
each kind is changed, and every bertviz view drew its SVG on this first run.
It also checks what a learner sees: one view per widget (its static picture
hidden, no live loss curve left beside the final one), every dropdown choice
valid for the current input, and the instructions of the form 'take "X"
instead of "Y"' can be followed in the widget below them. It times each
control change until the new output is drawn (the latency a person feels) into
build/browser/latency.json, which `python scripts/bench.py --only felt-latency`
puts in benchmarks/RESULTS.md. It saves a screenshot per notebook into
build/browser/. Nothing is saved: Lab's
autosave is off, any request to write a file is refused (and fails the test),
and checkpoints go to a temporary folder.

    .venv/bin/python -m pytest tests/browser/test_lab.py   # not collected by `pytest tests`
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from scripts.chromium import ChromiumMissing, block_outside, launch, start_playwright

NOTEBOOKS = sorted(
    p
    for p in (REPO / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
SHOTS = REPO / "build" / "browser"
RUN_TIMEOUT_S = 900  # one notebook, all cells (the full 03 takes ~150 s on 2 cores)
BERTVIZ_TAG = "third-party-output"
# Lab settings for the run: never write the notebook, no news pop-up, every cell
# in the page (no virtual scrolling), so that widgets and bertviz views render.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker": {
        "windowingMode": "none",
        "recordTiming": True,  # to name the slowest cell
    },
}

# The notebook panel under test is kept in window.panel (see open_notebook).
KERNEL_IDLE = "() => window.panel?.sessionContext?.session?.kernel?.status === 'idle'"
CELLS = """() => panel.content.widgets.map((cell, index) => ({
  index,
  code: cell.model.type === 'code',
  empty: !cell.model.sharedModel.getSource().trim(),
  count: cell.model.type === 'code' ? cell.model.executionCount : null,
  seconds: (t => t && (Date.parse(t['shell.execute_reply']) - Date.parse(t['iopub.execute_input'])) / 1000)
    (cell.model.getMetadata('execution')),
  errors: cell.model.type !== 'code' ? [] : cell.model.outputs.toJSON()
    .filter(out => out.output_type === 'error').map(out => `${out.ename}: ${out.evalue}`),
}))"""
STUCK = """() => ['Loading widget', 'Error displaying widget']
  .filter(text => panel.content.node.textContent.includes(text))"""
# Top-level widget views in output areas, and what a widget shows (its output).
WIDGETS = ".jp-OutputArea-output > .jupyter-widgets"
# What a control reads: a slider's value (rounded to one decimal by the slider),
# a text's or a dropdown's value, a checkbox's state.
READS = "el => el.getAttribute('aria-valuenow') ?? (el.type === 'checkbox' ? el.checked : el.value)"
PIN_WIDGETS = f"""() => [...document.querySelectorAll('{WIDGETS}')]
  .map((box, i) => box.dataset.widgetCheck = i).length"""
OUTPUT = """box => [...box.querySelectorAll('.widget-html-content, img, .jp-OutputArea-output')]
  .map(el => el.tagName === 'IMG' ? el.src : el.innerHTML).join('\\n')"""
# True once the output differs from `before`; with `settle` (ms), "settled" once
# the kernel has stayed idle that long with no change (a control that changes
# nothing costs seconds, not the whole timeout). window.settle is reset per act.
CHANGED = f"""([box, before, settle]) => {{
  const now = performance.now(), s = window.settle ??= {{busy: now}};
  if (panel.sessionContext.session?.kernel?.status !== 'idle') s.busy = now;
  if (({OUTPUT})(box) !== before) return true;
  return settle > 0 && now - s.busy > settle ? 'settled' : false;
}}"""
SETTLE_MS = 3000  # idle this long after a change that must not wait the timeout
BERTVIZ = """() => [...panel.content.node.querySelectorAll('div[id^="bertviz-"]')]
  .map(view => view.querySelectorAll('svg *').length > 0)"""
CONTROLS = {
    "text": ".widget-text input[type=text], .widget-textarea textarea",
    "slider": ".widget-slider .noUi-handle",
    "dropdown": ".widget-dropdown select",
    "checkbox": ".widget-checkbox input[type=checkbox]",
    "button": "button.jupyter-button:not([disabled])",
}
# Controls drawn narrower than this cannot be used with a mouse (e.g. a slider
# squeezed by a row too full).
SQUEEZED = """box => [...box.querySelectorAll('input[type=text], textarea, select, .noUi-target')]
  .filter(el => el.getBoundingClientRect().width < 40)
  .map(el => el.closest('.jupyter-widgets').querySelector('.widget-label')?.textContent
    || el.tagName.toLowerCase())"""
TEXTS = ("The cat sees the dog.", "The dog sees the cat.")
# One view at a time: the pictures (HTML or PNG outputs) drawn above a live
# widget of utils.widgets.show in the same cell that are still visible.
STALE_PICTURES = """box => {
  if (!box.querySelector('.course-live-widget')) return 0;
  let count = 0;
  for (let c = box.closest('.jp-OutputArea-child').previousElementSibling; c;
       c = c.previousElementSibling) {
    const out = c.querySelector(':scope > .jp-OutputArea-output');
    const mime = out && out.getAttribute('data-mime-type');
    if ((mime === 'image/png' || mime === 'text/html') && c.getClientRects().length) count++;
  }
  return count;
}"""
# A training cell's live loss curve still shown once training has ended (its
# final static figure follows).
LIVE_CURVES = """() => [...panel.content.node.querySelectorAll(WIDGETS)]
  .filter(box => box.querySelector('.widget-progress, .widget-hprogress'))
  .filter(box => [...box.querySelectorAll('img')].some(img => img.getClientRects().length))
  .length""".replace("WIDGETS", repr(WIDGETS))
# Messages an update gives when an input is out of range for the others.
INVALID = ("must be", "is not a choice")
# 'take "X" instead of "Y"' in a markdown cell: both must be buttons of the
# widget below it.
INSTRUCTION = re.compile(r'take "(\S+)" instead of "(\S+)"')
ROUNDS = 5  # timed changes of each control kind per widget
LATENCY = SHOTS / "latency.json"


class Lab:
    """A running JupyterLab server: its base URL and token."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def open_url(self, notebook: Path) -> str:
        rel = quote(notebook.relative_to(REPO).as_posix())
        return f"{self.url}/lab/workspaces/{uuid.uuid4().hex}/tree/{rel}?reset&token={self.token}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(home: Path) -> dict[str, str]:
    """The Makefile's offline environment, COURSE_QUICK, and our own Jupyter dirs
    and model cache."""
    env = dict(os.environ)
    offline = str(REPO / "tests" / "offline")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [offline, env.get("PYTHONPATH")]))
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
    )
    env.setdefault("COURSE_QUICK", "1")
    # Quick-trained models go to a cache of the run's own, not .assets/trained.
    env.setdefault("COURSE_MODEL_CACHE", str(home / "models"))
    return env


def wait_for_server(proc: subprocess.Popen, url: str, log: Path) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"JupyterLab exited ({proc.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with opener.open(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer in 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """Start JupyterLab on a free loopback port; stop it (and its kernels) afterwards."""
    home = tmp_path_factory.mktemp("lab")
    for plugin, values in SETTINGS.items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={REPO}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: Lab's commands
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = SHOTS / "lab-server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            env=server_env(home),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_server(proc, f"{url}/api/status?token={token}", log)
            yield Lab(url, token)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; the suite fails (never skips) when it cannot start."""
    try:
        playwright = start_playwright()
    except ChromiumMissing as err:
        pytest.fail(str(err))
    try:
        chromium = launch(playwright)
    except ChromiumMissing as err:
        playwright.stop()
        pytest.fail(str(err))
    yield chromium
    chromium.close()
    playwright.stop()


def refuse_saves(context, lab: Lab) -> list[str]:
    """Abort every request that would write a file (save, rename, delete, new file);
    returns the list they are recorded in. Checkpoints go to a temporary folder."""
    refused: list[str] = []

    def guard(route) -> None:
        request = route.request
        checkpoint = request.method == "POST" and "/checkpoints" in request.url
        if request.method in ("GET", "HEAD") or checkpoint:
            route.fallback()
        else:
            refused.append(f"{request.method} {request.url.split('?')[0]}")
            route.abort()

    context.route(f"{lab.url}/api/contents/**", guard)
    return refused


def open_notebook(page, lab: Lab, notebook: Path) -> None:
    """Open the notebook in a fresh workspace; keep its panel in window.panel."""
    page.goto(lab.open_url(notebook))
    rel = notebook.relative_to(REPO).as_posix()
    page.wait_for_function(
        """rel => {
          const w = window.jupyterapp?.shell?.currentWidget;
          if (w?.context?.path === rel) window.panel = w;
          return !!window.panel;
        }""",
        arg=rel,
        timeout=120_000,
    )
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)


def command(page, name: str, timeout_s: float, accept: bool = False):
    """Run a Lab command (as its menu item does) and wait for it to finish,
    accepting its dialog first if `accept`; returns the command's result."""
    page.evaluate(
        """name => { window.done = undefined;
          jupyterapp.commands.execute(name).then(r => window.done = r ?? null,
                                                 e => window.done = String(e)); }""",
        name,
    )
    if accept:
        page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function("() => window.done !== undefined", timeout=timeout_s * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    return page.evaluate("() => window.done")


def restart_and_run_all(page) -> bool:
    """Kernel > Restart Kernel (accepting Lab's dialog), then Run > Run All Cells.

    Returns what Lab's run-all returns: false when a cell failed.
    """
    command(page, "notebook:restart-kernel", 120, accept=True)
    return command(page, "notebook:run-all-cells", RUN_TIMEOUT_S) is True


def cell_problems(page) -> tuple[list[str], str]:
    """Error outputs, and non-empty code cells that never ran; and the slowest cell."""
    problems = []
    cells = page.evaluate(CELLS)
    for cell in cells:
        problems += [f"cell {cell['index']}: {error}" for error in cell["errors"]]
        if cell["code"] and not cell["empty"] and cell["count"] is None:
            problems.append(f"cell {cell['index']} did not run")
    slowest = max(cells, key=lambda cell: cell["seconds"] or 0)
    return problems, f"slowest cell {slowest['index']}: {slowest['seconds'] or 0:.0f} s"


def output_changes(
    page,
    box,
    act,
    timeout_ms: int = 120_000,
    times: list[float] | None = None,
    settle: bool = False,
) -> bool:
    """Do `act()`; True once the widget's output differs from before. The time
    from the control change to the new output drawn goes into `times` (ms).
    With `settle`, False as soon as the kernel has been idle for SETTLE_MS with
    no change (for controls that may rightly change nothing)."""
    handle = box.element_handle()
    before = handle.evaluate(OUTPUT)
    page.evaluate("() => { window.settle = undefined; }")
    start = time.perf_counter()
    act()
    try:
        result = page.wait_for_function(
            CHANGED,
            arg=[handle, before, SETTLE_MS if settle else 0],
            timeout=timeout_ms,
            polling="raf",
        )
    except Exception:  # noqa: BLE001 -- Playwright's TimeoutError: no change
        return False
    if result.json_value() is not True:
        return False
    if times is not None:
        times.append((time.perf_counter() - start) * 1e3)
    return True


def type_text(field) -> None:
    current = field.input_value()
    field.fill(TEXTS[1] if current == TEXTS[0] else TEXTS[0])
    field.press("Enter")


def move_slider(handle) -> None:
    """One step right, or left when the slider sits at its maximum: one key,
    so one change. (Trying right, then left when the value seemed not to move,
    could undo the step: aria-valuenow is rounded to one decimal, so 0.80 and
    0.85 read the same.)"""
    value, top = (handle.get_attribute(a) for a in ("aria-valuenow", "aria-valuemax"))
    handle.focus()
    handle.press("ArrowLeft" if value == top else "ArrowRight")


def pick_other(select) -> None:
    count = select.evaluate("s => s.options.length")
    index = select.evaluate("s => s.selectedIndex")
    select.select_option(index=(index + 1) % count)


def exercise_widget(page, box, times: dict[str, list[float]]) -> list[str]:
    """Change one control of each kind in the widget (ROUNDS times, timed into
    `times` by kind); the problems found, among them a picture left beside the live
    view and an out-of-range choice."""
    problems = [f"{name}: drawn too narrow to use" for name in box.evaluate(SQUEEZED)]
    actions = {"text": type_text, "slider": move_slider, "dropdown": pick_other}
    actions["checkbox"] = lambda checkbox: checkbox.click()
    for kind, selector in CONTROLS.items():
        controls = box.locator(selector)
        if not controls.count():
            continue
        if (
            kind == "button"
        ):  # the first button that changes the output (e.g. not "back")
            buttons = [controls.nth(i) for i in range(controls.count())]
            changed = (output_changes(page, box, b.click, settle=True) for b in buttons)
            if not any(changed):
                problems.append(f"no button of {len(buttons)} changed the output")
            continue
        control = controls.first
        for round_ in range(ROUNDS):
            act = lambda c=control, k=kind: actions[k](c)
            timed = times.setdefault(kind, [])
            was = control.evaluate(READS)
            # the first change must show (a failure otherwise); later ones may not
            if not output_changes(page, box, act, times=timed, settle=round_ > 0):
                if not round_:  # what the control read says whether the change took
                    problems.append(
                        f"changing its {kind} did not change the output "
                        f"(the {kind} read {was!r}, then {control.evaluate(READS)!r})"
                    )
                break
    if box.evaluate(STALE_PICTURES):
        problems.append("its static picture still shows beside the live view")
    problems += invalid_choices(page, box)
    return problems


def invalid_choices(page, box) -> list[str]:
    """Type a new text, then pick each dropdown's first and last choice: none
    may be out of range for the new input (the update would say so)."""
    problems = []
    texts, selects = box.locator(CONTROLS["text"]), box.locator(CONTROLS["dropdown"])
    if texts.count():
        output_changes(page, box, lambda: type_text(texts.first), settle=True)
    for i in range(selects.count()):
        select = selects.nth(i)
        for index in sorted({0, select.evaluate("s => s.options.length - 1")}):
            if select.evaluate("s => s.selectedIndex") != index:
                pick = lambda s=select, k=index: s.select_option(index=k)
                output_changes(page, box, pick, settle=True)
            shown = box.evaluate(OUTPUT)
            problems += [
                f"dropdown {i + 1}, choice {index + 1}: '{word}' in the output"
                for word in INVALID
                if word in shown
            ]
    return problems


def instruction_problems(page, notebook: Path) -> list[str]:
    """Each 'take "X" instead of "Y"' can be followed: the first widget whose
    buttons offer "Y" offers "X" too, and clicking "X" takes it."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    wanted = [
        m.groups()
        for c in cells
        if c["cell_type"] == "markdown"
        for m in INSTRUCTION.finditer("".join(c["source"]))
    ]
    problems = []
    for take, instead in wanted:
        boxes = page.locator(WIDGETS)
        labels = [
            boxes.nth(i).locator("button").all_inner_texts()
            for i in range(boxes.count())
        ]
        found = [
            i
            for i, names in enumerate(labels)
            if any(n.startswith(instead) for n in names)
        ]
        if not found:
            problems.append(f'no widget offers "{instead}" to take "{take}" instead')
            continue
        box = boxes.nth(found[0])
        button = box.locator("button", has_text=take).first
        if not any(n.startswith(take) for n in labels[found[0]]):
            problems.append(f'the widget offering "{instead}" does not offer "{take}"')
        elif not output_changes(page, box, button.click, 30_000):
            problems.append(f'clicking "{take}" did not change the widget')
    return problems


def record_latency(notebook: Path, latencies: dict[str, list[float]]) -> None:
    """Add this notebook's felt latencies (ms per control change, per widget) to
    build/browser/latency.json."""
    data = json.loads(LATENCY.read_text()) if LATENCY.exists() else {}
    data[notebook.stem] = {
        name: {
            "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(sorted(ms)[max(0, round(0.95 * len(ms)) - 1)], 1),
            "changes": len(ms),
        }
        for name, ms in latencies.items()
        if ms
    }
    LATENCY.write_text(json.dumps(data, indent=1) + "\n")


def save_screenshots(page, stem: str) -> None:
    """The notebook at its first widget with controls (else its first bertviz view,
    else where Run All left it); and each bertviz view on its own."""
    page.evaluate(
        """() => { jupyterapp.shell.collapseLeft();
          const node = panel.content.node;
          const target = [...node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')]
              .find(box => box.querySelector('input, select, button, .noUi-target'))
            || node.querySelector('div[id^="bertviz-"]');
          if (target) target.closest('.jp-Cell').scrollIntoView(); }"""
    )
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / f"{stem}.png")
    views = page.locator('div[id^="bertviz-"]')
    for i in range(views.count()):
        views.nth(i).screenshot(path=SHOTS / f"{stem}.bertviz-{i + 1}.png")


def bertviz_cells(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(BERTVIZ_TAG in c["metadata"].get("tags", []) for c in cells)


def run_checks(page, notebook: Path) -> tuple[list[str], str]:
    """Restart and run all, then check outputs, widgets and bertviz views.

    Returns the problems found and a one-line summary of what was checked.
    """
    start = time.perf_counter()
    problems = [] if restart_and_run_all(page) else ["Run All stopped early"]
    run_s = time.perf_counter() - start
    cell_errors, slowest = cell_problems(page)
    problems += cell_errors
    try:  # widget views render just after their cell has run
        page.wait_for_function(f"() => !({STUCK})().length", timeout=60_000)
    except Exception:  # noqa: BLE001 -- Playwright's TimeoutError: reported below
        problems += [f"'{text}' is left on the page" for text in page.evaluate(STUCK)]
    if page.evaluate(LIVE_CURVES):
        problems.append("a live loss curve still shows beside the final figure")
    problems += instruction_problems(page, notebook)
    # Number the widgets once, as Run All left them: a widget that shows another
    # while it works (the playground's training bar) must not shift the others.
    count = page.evaluate(PIN_WIDGETS)
    interactive, latencies = 0, {}
    for i in range(count):
        page.wait_for_function(KERNEL_IDLE, timeout=RUN_TIMEOUT_S * 1000)
        box = page.locator(f'[data-widget-check="{i}"]')
        if any(box.locator(s).count() for s in CONTROLS.values()):
            interactive += 1
            times: dict[str, list[float]] = {}  # ms per change, by control kind
            problems += [
                f"widget {i + 1}: {p}" for p in exercise_widget(page, box, times)
            ]
            for kind, ms in times.items():
                latencies[f"widget {interactive}, {kind}"] = ms
    record_latency(notebook, latencies)
    drawn = page.evaluate(BERTVIZ)
    problems += [
        f"bertviz view {i + 1} drew no SVG" for i, ok in enumerate(drawn) if not ok
    ]
    if bertviz_cells(notebook) and not drawn:
        problems.append("no bertviz view on the first run")
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    summary = (
        f"ran in {run_s:.0f} s ({slowest}); {count} widgets ({interactive} with controls), "
        f"{len(drawn)} bertviz views"
    )
    return problems, summary


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_lab(notebook: Path, lab: Lab, browser) -> None:
    start = time.perf_counter()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = block_outside(context, (lab.url, "data:", "blob:"))
    writes = refuse_saves(context, lab)
    page = context.new_page()
    try:
        open_notebook(page, lab, notebook)
        problems, summary = run_checks(page, notebook)
    finally:
        with contextlib.suppress(Exception):  # a failed run still leaves a picture
            save_screenshots(page, notebook.stem)
        with contextlib.suppress(Exception):  # else the kernel goes with the server
            page.evaluate(
                "async () => { await window.panel?.sessionContext.shutdown(); }"
            )
        context.close()
    problems += [f"request left the machine: {url}" for url in blocked]
    problems += [f"Lab tried to write a file (refused): {write}" for write in writes]
    print(f"{notebook.name}: {summary}, {time.perf_counter() - start:.0f} s")
    assert not problems, f"{notebook.name}:\n  " + "\n  ".join(problems)
