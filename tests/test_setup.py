"""The repository's layout, pins and set-up messages."""

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _pins(lines):
    return {
        line.strip()
        for line in lines
        if re.match(r"^[A-Za-z0-9_.\-\[\]]+==", line.strip())
    }


def test_top_level_layout():
    for name in ("notebooks", "lessons", "utils", "tests", "benchmarks", "scripts"):
        assert (REPO / name).is_dir(), name
    for name in (
        "environment.yml", "README.md", "pyproject.toml", "Makefile", "LICENSE",
        ".ci/run", "package.json", "package-lock.json", "requirements/lock.txt",
    ):  # fmt: skip
        assert (REPO / name).is_file(), name


def test_environment_yml_agrees_with_the_pip_lock():
    lock = _pins((REPO / "requirements" / "lock.txt").read_text().splitlines())
    env = (REPO / "environment.yml").read_text().splitlines()
    pip = _pins(
        line.strip().removeprefix("- ") for line in env if line.startswith("      - ")
    )
    assert pip == lock, (
        f"only in environment.yml: {pip - lock}; only in lock: {lock - pip}"
    )
    assert "  - python=3.11" in env


def test_lock_pins_the_cpu_torch_and_is_complete():
    lock = _pins((REPO / "requirements" / "lock.txt").read_text().splitlines())
    assert "torch==2.13.0" in lock  # never the +cpu form, which resolves only here
    names = {p.split("==")[0].lower() for p in lock}
    deps = re.findall(r'"([A-Za-z0-9_\-]+)>=', (REPO / "pyproject.toml").read_text())
    assert {d.lower() for d in deps} <= names


def test_npm_lock_pins_the_browser_libraries_without_hosts():
    import json

    lock = json.loads((REPO / "package-lock.json").read_text())
    packages = lock["packages"]
    assert packages["node_modules/d3"]["version"] == "5.7.0"
    assert packages["node_modules/jquery"]["version"] == "2.2.4"
    assert packages["node_modules/reveal.js"]["version"] == "4.0.2"
    assert packages["node_modules/requirejs"]["version"] == "2.3.6"
    assert packages["node_modules/@jupyter-widgets/html-manager"]["version"].startswith(
        "1."
    )
    assert all("resolved" not in p for p in packages.values())


def test_no_third_party_javascript_is_committed():
    files = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [
        f for f in files if f.endswith((".js", ".css")) or f.startswith("node_modules/")
    ]


def test_readme_first_screen_gives_exactly_two_commands():
    readme = (REPO / "README.md").read_text()
    first_screen = readme.split("\n---\n")[0]
    blocks = re.findall(r"```bash\n(.*?)```", first_screen, flags=re.DOTALL)
    assert len(blocks) == 1
    commands = [
        line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()
    ]
    assert commands == ["make lab", "make test"]


def test_makefile_has_the_documented_targets():
    makefile = (REPO / "Makefile").read_text()
    for target in ("setup", "assets", "lab", "test", "unit", "notebooks", "lint"):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target


def _bootstrap(tmp_path, python_code: str) -> subprocess.CompletedProcess:
    """Run scripts/bootstrap.py's main() with a patched environment."""
    code = f"import sys; sys.path.insert(0, {str(REPO)!r})\nimport scripts.bootstrap as b\n{python_code}\nb.main()"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("patch", "sentence"),
    [
        (
            "b.sys.version_info = (3, 10, 4)",
            "set-up stopped: Python 3.11 or newer is needed",
        ),
        (
            "b.shutil.which = lambda name: None",
            "set-up stopped: npm is not installed: install Node.js with npm",
        ),
    ],
)
def test_set_up_stops_with_one_sentence(tmp_path, patch, sentence):
    run = _bootstrap(tmp_path, patch)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(sentence)
