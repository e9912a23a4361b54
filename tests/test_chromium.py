"""The browser checks fail with a reason and what to install, never silently."""

import pytest

from scripts import chromium


def test_a_missing_chromium_names_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-chromium"))
    playwright = chromium.start_playwright()
    try:
        with pytest.raises(chromium.ChromiumMissing) as err:
            chromium.launch(playwright)
    finally:
        playwright.stop()
    message = str(err.value)
    assert message.startswith("Chromium could not start: ")
    assert message.endswith("install it with `apt-get install chromium`")
