"""Save a screenshot of each persona's main page to docs/screenshots/ for the README.

    .venv/bin/python -m tests.browser.screenshots

Runs the browser journeys (sandbox, worker, chromium) with CERTFLEET_SCREENSHOTS set;
each journey saves its persona's page as it goes.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    os.environ["CERTFLEET_SCREENSHOTS"] = str(ROOT / "docs" / "screenshots")
    return pytest.main(["-q", "-m", "browser", str(ROOT / "tests" / "browser")])


if __name__ == "__main__":
    sys.exit(main())
