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
def service():
    from bot.service import Service

    return Service.open()


@pytest.fixture(scope="module")
def url(service) -> Iterator[str]:
    app, address = launch_ui(service)
    yield address
    app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=ANSWER_TIMEOUT_MS)  # a loaded machine answers slower than 5 s

    with sync_playwright() as p:
        # A default launch runs on a fresh temporary profile, removed when it closes.
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser, url: str, **context_options):
    """A fresh tab in its own profile (its own storage), on the chat, ready for a question."""
    context = browser.new_context(
        **{"viewport": {"width": 1400, "height": 1000}, **context_options}
    )
    page = context.new_page()
    page.set_default_timeout(ANSWER_TIMEOUT_MS)
    page.goto(url)
    page.locator("#question textarea").wait_for()
    return page


@pytest.fixture()
def page(browser, url: str) -> Iterator[object]:
    page = open_page(browser, url)
    yield page
    page.context.close()


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

    # A series question draws a chart after the chat, its data downloadable as CSV.
    chart = page.locator("#chart")
    expect(chart).to_be_hidden()
    reply = ask(page, "Plot DSO by quarter")
    expect(chart).to_be_visible()
    expect(chart.locator("svg, canvas").first).to_be_visible()
    expect(chart).to_contain_text("days")  # the axis carries the unit
    with page.expect_download() as download:
        page.locator("#chart-csv").click()
    data = Path(download.value.path()).read_text().splitlines()
    assert data[0] == "period,value,unit,basis,source" and len(data) == 9, data
    shot(page, "04-chart.png", chart)

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


def test_html_typed_into_a_question_shows_as_text_and_nothing_is_fetched_from_outside(
    browser, url: str
) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, url)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    typed = (
        "What was <img src=http://example.invalid/x.png> revenue "
        "[here](http://example.invalid/) ![pic](http://example.invalid/y.png) www.example.invalid?"
    )
    reply = ask(page, typed)
    chat = page.locator("#chat")
    expect(chat.locator(".user-row").last).to_contain_text(typed)
    expect(chat.locator("img[src*='example.invalid']")).to_have_count(0)
    expect(chat.locator("a[href*='example.invalid']")).to_have_count(0)
    shot(page, "07-html-shown-as-text.png", reply)
    page.reload()
    page.locator("#question textarea").wait_for()
    expect(chat.locator(".user-row").last).to_contain_text(typed)  # and stays text on reload
    page.context.close()
    origin = url.rstrip("/")
    outside = [u for u in requested if not u.startswith((origin, "data:", "blob:"))]
    assert requested and not outside, outside


class Held:
    """The real service, except that a question saying 'hold on' waits until the test says go."""

    def __init__(self, service) -> None:
        import threading

        self.service = service
        self.go = threading.Event()
        self.facts = service.facts

    def ask(self, question: str, conversation=None):
        if "hold on" in question:
            assert self.go.wait(120), "the test never let the held answer finish"
        return self.service.ask(question, conversation)

    def excerpt(self, *args, **kwargs):
        return self.service.excerpt(*args, **kwargs)

    def example_questions(self):
        return self.service.example_questions()


def test_a_question_typed_while_an_answer_is_pending_is_kept_and_answered(browser, service) -> None:
    from playwright.sync_api import expect

    held = Held(service)
    app, address = launch_ui(held)
    try:
        page = open_page(browser, address)
        box = page.locator("#question textarea")
        box.fill("hold on: what was GAAP revenue in Q4 2012?")
        box.press("Enter")
        expect(page.locator("#chat")).to_contain_text("Looking it up in the release")
        expect(box).to_have_value("")
        box.fill("What was DSO in Q3 2012?")  # typed while the first answer is pending
        box.press("Enter")
        expect(box).to_have_value("")
        expect(page.locator("#chat .user-row")).to_have_count(2)
        shot(page, "08-second-question-waiting.png")
        held.go.set()
        expect(bot_messages(page)).to_have_count(2)
        expect(page.locator("#chat").get_by_text("Looking it up in the release")).to_have_count(0)
        first, second = bot_messages(page).all()
        expect(first).to_contain_text(says("128,064"))
        expect(second).to_contain_text(says("74"))
        users = page.locator("#chat .user-row").all_inner_texts()
        assert "hold on" in users[0] and "DSO" in users[1], users
        shot(page, "09-both-answered-in-order.png", second)
        page.context.close()
    finally:
        held.go.set()
        app.close()


def test_a_citation_opens_the_release_at_its_line(browser, url: str, service) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, url)
    header_link = page.locator("#release-header a", has_text="read the release")
    expect(header_link).to_have_attribute("href", re.compile(rf"release/{service.release}$"))
    reply = ask(page, "What was Q3 DSO?")
    reply.locator(".title", has_text="Source:").first.click()
    link = reply.locator("a", has_text="line 493").first
    expect(link).to_be_visible()
    assert link.get_attribute("href").endswith(f"release/{service.release}#L493")
    if link.get_attribute("target") == "_blank":
        with page.context.expect_page() as opened:
            link.click()
        release = opened.value
    else:
        link.click()
        release = page
    release.wait_for_load_state()
    assert release.url.startswith(url) and release.url.endswith(f"/release/{service.release}#L493")
    line = release.locator("#L493")
    expect(line).to_contain_text("DSO")
    expect(line).to_be_in_viewport()
    assert release.evaluate("document.querySelector(':target')?.id") == "L493"
    shot(release, "10-release-page-at-line.png")
    page.context.close()


def test_on_a_390px_phone_the_chart_follows_the_answer_and_sources_scroll(
    browser, url: str
) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True)
    reply = ask(page, "Plot DSO by quarter")
    reply.locator(".title", has_text="Source:").first.click()
    printed = page.locator("#chat pre").first
    expect(printed).to_be_visible()
    chart = page.locator("#chart")
    expect(chart.locator("svg, canvas").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide: something does not fit a phone"
    scrolls = printed.evaluate("e => getComputedStyle(e).overflowX")
    assert scrolls in ("auto", "scroll"), scrolls
    chat_box = page.locator("#chat").bounding_box()
    chart_box = chart.bounding_box()
    examples_box = page.locator("#examples").bounding_box()
    assert chat_box["y"] + chat_box["height"] <= chart_box["y"] < examples_box["y"]
    page.screenshot(path=str(SHOTS / "11-phone-390px.png"), full_page=True)
    page.context.close()


def test_dark_theme_darkens_the_chat_and_the_chart(browser, url: str) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, url, color_scheme="dark")
    ask(page, "gross margin by quarter")
    chart = page.locator("#chart")
    expect(chart.locator("svg, canvas").first).to_be_visible()
    expect(chart).to_contain_text("non-GAAP")  # the basis of the supplemental table's figures
    expect(chart).to_contain_text("percent")
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('#chart').closest('.block') "
        "|| document.querySelector('#chart')).backgroundColor"
    )
    shade = [int(x) for x in re.findall(r"\d+", background)[:3]]
    assert sum(shade) < 3 * 100, f"the chart's background is {background} in dark mode"
    shot(page, "12-dark-theme.png", chart)
    page.context.close()


def test_reload_keeps_the_conversation_and_its_follow_up_context(browser, url: str) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, url)
    expect(ask(page, "What was DSO in Q3 2012?")).to_contain_text(says("74"))
    page.reload()
    page.locator("#question textarea").wait_for()
    chat = page.locator("#chat")
    expect(chat).to_contain_text("What was DSO in Q3 2012?")
    expect(bot_messages(page)).to_have_count(1)
    expect(bot_messages(page).first).to_contain_text(says("74"))
    expect(ask(page, "and in Q2?")).to_contain_text(says("55"))
    shot(page, "13-after-reload.png")
    page.context.close()


def choose(page, path: Path) -> None:
    """Click the upload button and pick `path` in the file chooser it opens."""
    with page.expect_file_chooser() as chooser:
        page.locator("#add-release").click()
    chooser.value.set_files(str(path))


def test_a_person_adds_a_release_by_upload_and_sees_it_listed(browser, tmp_path) -> None:
    """On an index of its own (the upload writes to it): the panel lists what is loaded, a
    chosen file is added while the page stays usable, and a bad file gets one line."""
    from dataclasses import replace

    from playwright.sync_api import expect

    from bot.service import Service
    from eval.synthetic import make_release, synthetic
    from index.config import Settings
    from index.ingest import ingest

    settings = replace(Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None)
    ingest([settings.release], settings)
    app, address = launch_ui(Service.open(settings, build=False))
    try:
        page = open_page(browser, address)
        page.get_by_text("Releases loaded (1)").click()
        loaded = page.locator("#loaded")
        expect(loaded).to_contain_text("Infinera")
        bad = tmp_path / "notes.txt"
        bad.write_text("nothing here but words\n", encoding="utf-8")
        choose(page, bad)
        expect(page.locator("#adding")).to_contain_text("notes.txt was not added")
        rid, text = make_release(11)
        good = tmp_path / f"{rid}.txt"
        good.write_text(text, encoding="utf-8")
        choose(page, good)
        company = synthetic(11).company
        expect(page.locator("#adding")).to_contain_text(f"Added {rid}")
        expect(loaded).to_contain_text(company)
        expect(loaded).to_contain_text("2 releases loaded")
        expect(page.get_by_text("Releases loaded (2)")).to_be_visible()
        shot(page, "14-release-added.png", loaded)
        page.context.close()
    finally:
        app.close()
