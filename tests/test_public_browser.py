"""The public page in a real headless browser (Debian's chromium, driven by selenium) at a phone's size,
with JavaScript switched off: a citizen types the query code, reads the progress and gives a bad rating
with its reasons; the window holding the case then has it, with its rectification opened.

`make test` installs chromium and chromium-driver with apt when they are missing (see the Makefile).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import app.clock
from app.center.runtime import Center
from app.models.rectifications import Rectification
from app.services.ratings.ratings import ratings_of
from tests.sync_helpers import LiveServer, enrol
from tests.test_public_page import closed_case

pytestmark = pytest.mark.usefixtures("china_time")
CN = timezone(timedelta(hours=8))
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=CN)
CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
SHOTS = Path("/tmp/shots")
PHONE = (390, 844)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists() and (Path(DRIVER).exists() or shutil.which("chromedriver")), \
        "chromium and chromium-driver are needed (make test installs them with apt)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
                 f"--window-size={PHONE[0]},{PHONE[1]}", "--lang=zh-CN"):
        options.add_argument(flag)
    # JavaScript stays on for the driver; the page has none, and its CSP (default-src none) would block any
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 2.0},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/130.0 Mobile Safari/537.36"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER if Path(DRIVER).exists()
                                                               else shutil.which("chromedriver")))
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


def press(driver: Any, button: Any) -> None:
    """Click a submit button and wait for the next page (a form's POST navigates)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "main")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def shot(driver: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"B-{name}.png"))


def test_a_citizen_checks_progress_and_rates_on_a_phone(center: Center, tmp_path: Path, browser: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from selenium.webdriver.common.by import By

    monkeypatch.setattr(app.clock, "_fixed", MONDAY + timedelta(hours=2))
    window = enrol(center, tmp_path / "w1", "01")
    assert window.sync().ok
    actor = window.actor()
    number, code = closed_case(window, actor)
    server = LiveServer(center)
    try:
        browser.get(f"{server.url}/q/{number}")  # what the QR code on the receipt opens
        assert "办件查询" in browser.title and number in browser.page_source
        assert browser.execute_cdp_cmd("Runtime.evaluate", {"expression": "window.innerWidth"})["result"]["value"] \
            == PHONE[0]
        box = browser.find_element(By.ID, "code")
        assert box.size["height"] >= 44  # a thumb's target
        shot(browser, "1-code")
        box.send_keys("01ZZZZZZ")
        press(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert "查询码不正确" in browser.find_element(By.CSS_SELECTOR, ".error").text
        browser.find_element(By.ID, "code").send_keys(code.lower())
        press(browser, browser.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        body = browser.find_element(By.TAG_NAME, "main").text
        assert "已办结" in body and "张*芳" in body and "张桂芳" not in body and "当场办结" in body
        levels = browser.find_elements(By.CSS_SELECTOR, "button.level")
        assert [b.text for b in levels] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
        assert all(b.size["height"] >= 44 and b.size["width"] >= 300 for b in levels)
        assert browser.execute_cdp_cmd("Runtime.evaluate", {"expression": "document.documentElement.scrollWidth"})[
            "result"]["value"] <= PHONE[0]  # nothing wider than the phone
        shot(browser, "2-progress")
        press(browser, levels[3])  # 不满意: the next page asks for the reasons
        assert "您的评价：不满意" in browser.find_element(By.TAG_NAME, "h2").text
        press(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))  # no reason: refused
        assert "至少一项" in browser.find_element(By.CSS_SELECTOR, ".error").text
        for reason in ("213", "214"):
            browser.find_element(By.CSS_SELECTOR, f"input[name=reasons][value='{reason}']").click()
        browser.find_element(By.ID, "text").send_keys("材料说明不清楚，跑了两趟")
        browser.find_element(By.CSS_SELECTOR, "input[name=private]").click()
        shot(browser, "3-reasons")
        press(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
        assert "评价已提交" in browser.find_element(By.CSS_SELECTOR, ".ok").text
        assert "首评：不满意" in browser.find_element(By.TAG_NAME, "main").text
        shot(browser, "4-done")
    finally:
        server.stop()
    assert window.sync().ok
    [given] = ratings_of(window.db, number)
    assert (given.level, given.reasons, given.text, given.private, given.channel) == \
        (2, ("213", "214"), "材料说明不清楚，跑了两趟", True, "qr")
    with window.db.session() as s:
        assert s.scalar(select(Rectification.status).where(Rectification.rating_id == given.id)) == "pending"
