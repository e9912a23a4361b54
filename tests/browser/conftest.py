"""The browser suite is not part of the unit run (`pytest tests`): it needs
Chromium and minutes of notebook execution. Name its file to run it:

    .venv/bin/python -m pytest tests/browser/test_lab.py
"""

collect_ignore = ["test_lab.py"]
