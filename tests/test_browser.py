"""The chat page and the admin console in a real browser: Debian's Chromium, driven by Selenium.

`make test` installs `chromium`, `chromium-driver` and Thai fonts when missing (the Makefile's
`test-deps`). Nothing is downloaded here: the driver and the browser are given by path and
Selenium Manager is told to stay offline (SE_OFFLINE). The app runs for real on a free
127.0.0.1 port (Werkzeug's threaded server, local mode, the console on), over an index built
from a copy of corpus/ that the upload test may change; one browser serves the whole module.

With PLANBOT_SCREENSHOTS=<folder> the tests also save the screenshots in docs/screenshots/:
    PLANBOT_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/test_browser.py
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import CORPUS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ADMIN_TOKEN = "browser-test-admin-token-0123456789"
PHONE = (412, 900)
DESKTOP = (1280, 900)
WAIT = 15  # seconds; a reply takes milliseconds, the first engine load about one second
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
NEW_PLAN = """วิสัยทัศน์
    โรงเรียนน่านวิทยามุ่งพัฒนาผู้เรียนให้รักการอ่านและคิดเป็น

พันธกิจ
1. ส่งเสริมการอ่านในทุกห้องเรียน
2. พัฒนาครูให้สอนคิดวิเคราะห์
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app on a free 127.0.0.1 port; its base URL."""
    from werkzeug.serving import make_server

    from bot import create_app
    from index.build import build

    folder = tmp_path_factory.mktemp("browser-app")
    corpus = folder / "corpus"
    shutil.copytree(CORPUS, corpus)
    build(corpus, folder / "index.db")
    app = create_app({
        "LINE_CHANNEL_SECRET": None,  # local mode, whatever the shell says
        "LINE_CHANNEL_ACCESS_TOKEN": None,
        "LINE_API_HOST": None,
        "PLANBOT_DB": str(folder / "index.db"),
        "PLANBOT_STATE_DB": str(folder / "state.db"),
        "PLANBOT_LOG_DB": str(folder / "questions.db"),
        "PLANBOT_LOG_DAYS": 30,
        "PLANBOT_ADMIN_TOKEN": ADMIN_TOKEN,
        "PLANBOT_RATE_LIMIT": 1000,
    })
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)
    app.extensions["planbot"].close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One headless Chromium for the module, from Debian's packages."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            raise RuntimeError(f"{path} is missing: run `make test-deps` "
                               f"(apt-get install {package}) to run the browser tests")
    previous = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not download a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()
    if previous is None:
        os.environ.pop("SE_OFFLINE", None)
    else:
        os.environ["SE_OFFLINE"] = previous


def wait_for(browser, xpath: str):
    """The first element matching `xpath`, once it is there."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.XPATH, xpath)))


def bot_says(browser, text: str):
    """The bot's reply containing `text` (a text bubble or a Flex bubble)."""
    return wait_for(browser, f"//main[@id='log']/div[contains(@class,'turn')]"
                             f"//*[contains(normalize-space(.), '{text}')]")


def open_chat(browser, server: str) -> None:
    """A fresh chat page (a new conversation), once the greeting has arrived."""
    browser.delete_all_cookies()
    browser.set_window_size(*PHONE)
    browser.get(f"{server}/chat")
    wait_for(browser, "//main[@id='log']/div[@data-kind='greeting']")


def type_message(browser, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = browser.find_element(By.ID, "text")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def log_in(browser, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.set_window_size(*DESKTOP)
    browser.get(f"{server}/admin/login")
    browser.find_element(By.NAME, "token").send_keys(ADMIN_TOKEN)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, "//table[@id='plans']")


def screenshot(browser, name: str) -> None:
    """Save a screenshot when PLANBOT_SCREENSHOTS names a folder (docs/screenshots)."""
    folder = os.environ.get("PLANBOT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_typing_a_question_shows_the_quote(browser, server):
    open_chat(browser, server)
    type_message(browser, "วิสัยทัศน์ สพม.13")
    wait_for(browser, "//div[contains(@class,'msg user')]/p[.='วิสัยทัศน์ สพม.13']")
    quote = bot_says(browser, "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ")
    assert quote.is_displayed()


def test_tapping_a_quick_reply_shows_the_next_answer(browser, server):
    open_chat(browser, server)
    type_message(browser, "วิสัยทัศน์ สพม.13")
    bot_says(browser, "เป็นผู้นำในการพัฒนาคุณภาพการศึกษา")
    chip = wait_for(browser, "//div[@id='chips']/button[@data-text='พันธกิจ สพม.13']")
    assert chip.text == "พันธกิจ"
    chip.click()
    wait_for(browser, "//div[contains(@class,'msg user')]/p[.='พันธกิจ สพม.13']")
    row = bot_says(browser, "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ")
    assert row.is_displayed()
    # a Flex bubble laid out as LINE does: the header, then numbered rows beside their text
    header = wait_for(browser, "//div[contains(@class,'fx-header')]//p")
    first = wait_for(browser, "//div[contains(@class,'fx-body')]//div[contains(@class,"
                              "'fx-horizontal')][1]/p[1]")
    text = first.find_element("xpath", "following-sibling::p")
    assert header.text == "พันธกิจ ของ สพม.13"
    assert first.text == "1"
    assert first.location["y"] > header.location["y"]
    assert text.location["x"] > first.location["x"] and abs(text.location["y"] - first.location["y"]) < 5
    screenshot(browser, "chat")


def test_a_plan_uploaded_in_the_console_is_answered_on_the_chat_page(browser, server,
                                                                     tmp_path):
    from selenium.webdriver.common.by import By

    document = tmp_path / "nan-school.txt"
    document.write_text(NEW_PLAN, "utf-8")
    log_in(browser, server)
    browser.get(f"{server}/admin/upload")
    browser.find_element(By.NAME, "document").send_keys(str(document))
    browser.find_element(By.NAME, "office").send_keys("โรงเรียนน่านวิทยา")
    browser.find_element(By.NAME, "year").send_keys("2568")
    browser.find_element(By.ID, "check").click()
    wait_for(browser, "//section[@id='check-result']//span[@class='ok']")
    screenshot(browser, "console-upload")
    browser.find_element(By.ID, "publish").click()
    wait_for(browser, "//p[@class='flash' and contains(., 'เผยแพร่แล้ว')]")
    wait_for(browser, "//tr[@data-owner='nan-school']")
    screenshot(browser, "console-plans")

    open_chat(browser, server)
    type_message(browser, "วิสัยทัศน์ โรงเรียนน่านวิทยา")
    assert bot_says(browser, "มุ่งพัฒนาผู้เรียนให้รักการอ่านและคิดเป็น").is_displayed()


def test_a_declined_question_appears_in_the_report(browser, server):
    open_chat(browser, server)
    type_message(browser, "แผนของ สพป.น่าน เขต 2")
    wait_for(browser, "//main[@id='log']/div[@data-kind='not_in_corpus']")
    type_message(browser, "แผนของสพป.น่าน เขต 2 ครับ")
    wait_for(browser, "(//main[@id='log']/div[@data-kind='not_in_corpus'])[2]")
    log_in(browser, server)
    browser.get(f"{server}/admin/questions?days=7")
    row = wait_for(browser, "//table[@id='questions']//tr[td[@class='wording' and "
                            "contains(., 'สพป.น่าน เขต 2')]]")
    cells = row.find_elements("xpath", "td")
    assert cells[1].text == "2"  # both wordings, one group
    assert "ไม่มีแผนของหน่วยงานนี้ (2)" in cells[3].text
    screenshot(browser, "console-questions")
