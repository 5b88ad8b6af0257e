"""Headless Chromium from Debian (chromium and chromium-driver) driven by Selenium, for the tests
of pages people use in a browser; and where those tests keep their screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--window-size=1400,1000")
ARTIFACTS_ENV = "PROTOLAB_ARTIFACTS"


def chromium(profile: Path) -> Any:
    """A new headless browser with its own profile folder; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for tool in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: run `make test-debs` (Debian packages chromium and "
                        "chromium-driver)", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(20)
    return driver


def text_of(driver: Any, element_id: str) -> str:
    """The text of an element, waiting (in the browser's thread) for the page to have it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, element_id))
    text: str = driver.find_element(By.ID, element_id).text
    return text


def screenshots_dir(group: str) -> Path:
    """Where a test keeps screenshots worth looking at after the run: ``$PROTOLAB_ARTIFACTS``
    or ``artifacts/`` at the top of the worktree (git ignores it), then ``screenshots/GROUP``."""
    root = Path(os.environ.get(ARTIFACTS_ENV) or Path(__file__).resolve().parent.parent /
                "artifacts")
    folder = root / "screenshots" / group
    folder.mkdir(parents=True, exist_ok=True)
    return folder
