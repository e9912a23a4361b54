"""Create the course's virtual environment and install the pinned packages.

Run by `make setup` with the system's python3. Idempotent: a stamp holding the
hash of the lock file lets a second run finish in a second. Anything missing
stops it with one sentence that says what to install.
"""

import hashlib
import shutil
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv"
LOCK = REPO / "requirements" / "lock.txt"
STAMP = VENV / ".course-lock.sha256"


def stop(sentence: str) -> None:
    print(f"\nset-up stopped: {sentence}", file=sys.stderr)
    sys.exit(1)


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(subprocess.check_output([str(python), "-c", code], text=True).strip())


def link_repo(python: Path) -> None:
    """Make `import utils` find this repo's package from any folder (a .pth file,
    which is what an editable install does, minus the build step)."""
    (site_packages(python) / "transformers_lunch_and_learn.pth").write_text(f"{REPO}\n")


def main() -> None:
    # This script runs on whatever python3 the machine has, so the check is real.
    if sys.version_info < (3, 11):  # noqa: UP036
        stop(
            f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}): install Python 3.11+."
        )
    if shutil.which("npm") is None:
        stop(
            "npm is not installed: install Node.js with npm (e.g. `sudo apt-get install npm`)."
        )
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating the virtual environment in {VENV}")
        try:
            venv.create(VENV, with_pip=True)
        except (OSError, subprocess.CalledProcessError) as err:  # no ensurepip
            shutil.rmtree(VENV, ignore_errors=True)
            stop(
                f"could not create a virtual environment ({err}): install python3-venv for your Python."
            )
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        print("python packages: already installed from requirements/lock.txt")
    else:
        print("installing the pinned python packages (a few minutes the first time)")
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        if subprocess.call([*pip, "-r", str(LOCK)]) != 0:
            stop(
                "pip could not install requirements/lock.txt (see its message above): check that the package registry is reachable."
            )
        STAMP.write_text(digest)
    link_repo(python)


if __name__ == "__main__":
    main()
