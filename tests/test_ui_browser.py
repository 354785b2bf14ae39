"""The chat UI end to end in headless Chromium: what a person sees, click by click.

Screenshots land in test-output/screenshots/ so a reviewer can judge at a glance whether
the answers look trustworthy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import launch_ui

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parents[1] / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ANSWER_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing; `make browser` installs it"
    ),
]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    from bot.service import Service

    app, address = launch_ui(Service.open())
    yield address
    app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # A default launch runs on a fresh temporary profile, removed when it closes.
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(ANSWER_TIMEOUT_MS)
    page.goto(url)
    page.locator("#question textarea").wait_for()
    yield page
    context.close()


def shot(page, name: str, show=None) -> None:
    """Save what the person sees, with `show` (a reply, say) scrolled into the chat's view."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if show is not None:
        show.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # let the fold-open and chart animations settle
    page.screenshot(path=str(SHOTS / name))


def bot_messages(page):
    """One per reply: the answer and its folded sources share a row."""
    return page.locator("#chat .message-row.bot-row")


def wait_for_reply(page, replies_before: int):
    """The newest bot reply, once the pending 'Looking it up' block has been replaced."""
    from playwright.sync_api import expect

    chat = page.locator("#chat")
    expect(chat.get_by_text("Looking it up in the release")).to_have_count(0)
    expect(bot_messages(page)).not_to_have_count(replies_before)
    return bot_messages(page).last


def ask(page, question: str):
    before = bot_messages(page).count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    return wait_for_reply(page, before)


def says(number: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)")


def test_a_person_asks_checks_the_source_follows_up_plots_and_clears(page) -> None:
    from playwright.sync_api import expect

    # A table question: the number first, its source folded underneath.
    reply = ask(page, "What was Q3 DSO?")
    expect(reply).to_contain_text(says("74"))
    source = reply.locator(".title", has_text="Source:").first
    expect(source).to_be_visible()
    expect(reply.locator("code", has_text="DSO's").first).to_be_hidden()  # folded until asked
    source.click()
    printed = reply.locator("code", has_text="DSO's").first
    expect(printed).to_be_visible()
    expect(printed).to_contain_text("►")
    expect(printed).to_contain_text("«74»")
    expect(printed).to_contain_text("493")
    shot(page, "01-answer-with-source.png", reply)

    # An example question, one click.
    before = bot_messages(page).count()
    page.locator("button.example", has_text="What was GAAP revenue in Q4 2012?").click()
    reply = wait_for_reply(page, before)
    expect(reply).to_contain_text(says("128,064"))
    shot(page, "02-example-clicked.png", reply)

    # A follow-up inherits the quarter's metric from the turn before.
    expect(ask(page, "What was DSO in Q3 2012?")).to_contain_text(says("74"))
    reply = ask(page, "and in Q2?")
    expect(reply).to_contain_text(says("55"))
    shot(page, "03-follow-up.png", reply)

    # A series question draws a chart beside the chat.
    chart = page.locator("#chart")
    expect(chart).to_be_hidden()
    reply = ask(page, "Plot DSO by quarter")
    expect(chart).to_be_visible()
    expect(chart.locator("img")).to_be_visible()
    shot(page, "04-chart.png", reply)

    # What the release does not hold is said plainly and marked; empty input is explained.
    expect(ask(page, "What was revenue in Q1 2010?")).to_contain_text("⚠")
    expect(chart).to_be_hidden()
    empty = ask(page, "   ")
    expect(empty).to_contain_text(re.compile(r"[⚠ℹ] .*question", re.IGNORECASE))
    expect(page.locator("#chat")).not_to_contain_text("Traceback")
    shot(page, "05-not-in-release-and-empty.png", empty)

    # Clear: chat, conversation and chart all go.
    page.locator("#clear").click()
    expect(bot_messages(page)).to_have_count(0)
    expect(chart).to_be_hidden()
    shot(page, "06-cleared.png")
    # The conversation went too: a bare follow-up has nothing to inherit from.
    reply = ask(page, "and in Q2?")
    expect(reply).not_to_contain_text(says("55"))
