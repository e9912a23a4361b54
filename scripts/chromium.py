"""Debian's Chromium driven by Playwright, offline (the deck check, the browser suite).

Playwright's own browser download cannot run here, so we launch the system
Chromium (`apt-get install chromium`, or the path in $CHROMIUM) and block every
request that leaves the machine.
"""

from __future__ import annotations

import os
import shutil

INSTALL = "install it with `apt-get install chromium`"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ChromiumMissing(RuntimeError):
    """Chromium (or Playwright) is not there, or would not start."""


def executable() -> str:
    """The Chromium binary: $CHROMIUM, else `chromium` on PATH, else Debian's path."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def launch(playwright):
    """Start headless Chromium, or raise ChromiumMissing saying why and what to install."""
    try:
        return playwright.chromium.launch(executable_path=executable(), args=FLAGS)
    except Exception as err:  # any failure to start means the same to us
        reason = str(err).strip().splitlines()[0] if str(err).strip() else repr(err)
        raise ChromiumMissing(f"Chromium could not start: {reason}; {INSTALL}") from err


def start_playwright():
    """Playwright's sync API, started; raises ChromiumMissing if it is not installed."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise ChromiumMissing(
            "Playwright for Python is missing: run `make setup` "
            "(or `pip install playwright`; never `playwright install`)"
        ) from err
    return sync_playwright().start()


def block_outside(context, allowed: tuple[str, ...]) -> list[str]:
    """Abort every request whose URL does not start with one of `allowed`.

    Returns the list that the aborted URLs are appended to, as they happen.
    """
    blocked: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(allowed):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    return blocked
