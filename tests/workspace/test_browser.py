"""The whole story in a real browser (Chromium headless, driven by Playwright), as a newcomer does it.

`python -m bot` with no Slack settings -> the workspace page -> `/scan` of the sample site's roster
-> the incident channel appears -> a checklist item is ticked -> the sample site's takedown button
-> the bot proves the takedown. Screenshots go to tests/artifacts/workspace/ (gitignored), laptop
and phone sizes. The browser is Debian's chromium (/usr/bin/chromium, installed by .ci/run);
Playwright's own browser download is not used. Without it, CI fails and a developer's machine skips
(with how to install it), so the README's test command works on a fresh machine too.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.workspace.sample import roster_csv, roster_rows

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "workspace"
WAIT_MS = 40_000


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        # .ci/run installs it, so CI always runs these; a fresh developer machine is told how
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: apt-get install -y chromium (.ci/run does it)")
        pytest.skip("the browser test needs Debian's chromium: apt-get install -y chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _shot(page, name: str, full_page: bool = False) -> None:
    """The workspace is a window-high app with scrolling panes: what the window shows is the shot;
    a phone's page (and the sample site) scrolls as a whole, so they are shot whole."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def _open(workspace, browser, viewport: dict | None = None):
    """A fresh workspace and a browser page on it, showing #general."""
    ws = workspace()
    page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(ws.url + "/")
    expect(page.get_by_role("heading", name="#general")).to_be_visible()
    return ws, page


def _raw_values() -> list[str]:
    values = []
    for row in roster_rows():
        values += [row["A-Number"], row["A-Number"][1:], row["Last Name"], row["Date of Birth"]]
    return values


def test_scan_incident_tick_takedown_in_a_real_browser(workspace, browser):
    ws, page = _open(workspace, browser, {"width": 1280, "height": 900})
    _shot(page, "01-empty-workspace")

    # the "try it" list puts the command in the message box; Enter sends it as a slash command
    page.get_by_role("button", name="Put the /scan command in the message box").click()
    box = page.get_by_label("Message or slash command")
    roster_url = ws.state()["sample"]["roster_url"]
    assert box.input_value() == f"/scan {roster_url}"
    box.press("Enter")
    result = page.locator(".message.ephemeral", has_text="Personal data found")
    expect(result).to_be_visible()
    expect(result).to_contain_text("24 people")
    _shot(page, "02-scan-result")

    # the incident channel appears in the list; it is private, with the timer, pin and checklist
    link = page.locator(".channels a", has_text="#inc-pii-")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("aria-label", f"{link.inner_text().removeprefix('🔒 ')}, private")
    link.click()
    expect(page.locator("#channel-title")).to_contain_text("#inc-pii-")
    expect(page.locator(".bk-header", has_text="Incident #1")).to_be_visible()
    expect(page.locator(".message", has_text="Takedown clock")).to_contain_text("(edited)")
    expect(page.locator("#channel-topic")).to_contain_text("#1")
    expect(page.locator("#pins summary")).to_contain_text("Pinned messages (1)")
    _shot(page, "03-incident-channel")

    # tick the first checklist item: a signed block_actions payload; the bot saves who and when
    first = page.get_by_role("checkbox").first
    first.check()
    checklist = page.locator(".message", has_text="Follow-up checklist")
    expect(checklist).to_contain_text("1 of")
    expect(checklist).to_contain_text("done by @you")
    expect(page.get_by_role("checkbox").first).to_be_checked()
    checklist.scroll_into_view_if_needed()
    _shot(page, "04-checklist-ticked")

    # the sample site: its takedown button removes the roster; the bot's re-check proves it
    site = browser.new_page()
    site.goto(ws.state()["sample"]["url"])
    site.get_by_role("button", name="Take the roster down").click()
    expect(site.get_by_text("was taken down")).to_be_visible()
    _shot(site, "05-sample-site-taken-down", full_page=True)
    site.close()
    proof = page.locator(".message", has_text="Takedown verified")
    expect(proof).to_be_visible()
    expect(page.locator("#sample-state")).to_have_text("taken down (404)")
    proof.scroll_into_view_if_needed()
    _shot(page, "06-takedown-verified")

    # readable on a phone: the same channel, one column
    page.set_viewport_size({"width": 390, "height": 844})
    expect(proof).to_be_visible()
    _shot(page, "07-phone", full_page=True)

    # never spread the leak: no raw value from the roster anywhere on the page
    shown = page.content()
    leaked = [value for value in _raw_values() if value in shown]
    assert not leaked, f"{len(leaked)} raw values from the roster are on the page"


CONTRAST = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (; el; el = el.parentElement) { const c = parse(getComputedStyle(el).backgroundColor);
                               if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.offsetParent || ![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const a = lum(parse(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) out.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
  }
  return out;
}
"""

UNNAMED = """
() => [...document.querySelectorAll("input, button, select, textarea, a[href]")]
  .filter((el) => el.offsetParent && el.type !== "hidden")
  .filter((el) => !((el.labels && el.labels.length) || el.getAttribute("aria-label") || el.textContent.trim()))
  .map((el) => el.outerHTML.slice(0, 80))
"""


def test_keyboard_only_with_labels_contrast_and_announcements(workspace, browser):
    ws, page = _open(workspace, browser, {"width": 1024, "height": 800})
    # the first Tab reaches the skip link, which lands in the message box
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the message box")).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_label("Message or slash command")
    expect(box).to_be_focused()
    page.keyboard.type(f"/scan {ws.state()['sample']['roster_url']}")
    page.keyboard.press("Enter")
    # new messages are announced to screen readers (a polite live region)
    expect(page.locator("#announcer")).to_contain_text("New message from Leakwatch")
    expect(page.locator("#announcer")).to_have_attribute("aria-live", "polite")
    # into the incident channel and tick an item with the keyboard only
    link = page.locator(".channels a", has_text="#inc-pii-")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#channel-title")).to_contain_text("#inc-pii-")
    checkbox = page.get_by_role("checkbox").nth(1)
    checkbox.focus()
    page.keyboard.press("Space")
    checklist = page.locator(".message", has_text="Follow-up checklist")
    expect(checklist).to_contain_text("done by @you")
    # the live timer keeps editing its message; the ticked box keeps the keyboard focus
    page.wait_for_timeout(2500)
    expect(page.get_by_role("checkbox").nth(1)).to_be_checked()
    assert page.evaluate("document.activeElement && document.activeElement.type") == "checkbox"
    _shot(page, "08-keyboard")
    assert page.evaluate(UNNAMED) == [], "every control has a name"
    assert page.evaluate(CONTRAST) == [], "text contrast is at least 4.5:1"
    # a file chosen on the page goes to Leakwatch as a direct message; the answer is in its thread
    page.get_by_label("Send a file to Leakwatch").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": roster_csv()}])
    expect(page.locator("#channel-title")).to_contain_text("direct message")
    answer = page.locator(".thread .message", has_text="Personal data found")
    expect(answer).to_contain_text("24 people")
    _shot(page, "09-file-in-a-direct-message")
    # the Home tab: opening it is Slack's app_home_opened; the bot publishes the open incidents
    page.locator(".channels a", has_text="Leakwatch Home").click()
    home = page.locator(".message.home")
    expect(home).to_contain_text("Open incidents")
    expect(home).to_contain_text("#1")
    expect(page.locator("#composer")).to_be_hidden()
    _shot(page, "10-home-tab")


MRKDWN_CASES = [
    # (Slack mrkdwn as the bot or a person sends it, the HTML the page makes of it)
    ("*Bold* and _italic_ and ~gone~", "<strong>Bold</strong> and <em>italic</em> and <s>gone</s>"),
    ("`/scan &lt;url&gt;`", "<code>/scan &lt;url&gt;</code>"),
    ("a &amp; b &lt;c&gt;", "a &amp; b &lt;c&gt;"),
    ("<https://example.gov/a.xlsx|the file>",
     '<a href="https://example.gov/a.xlsx" target="_blank" rel="noopener noreferrer">the file</a>'),
    ("<#C0GENERAL>", '<a class="mention channel" href="#C0GENERAL">#general</a>'),
    ("<@U0YOU> <!channel>", '<span class="mention">@you</span> <span class="mention">@channel</span>'),
    (":rotating_light: :no_such_emoji:", "🚨 :no_such_emoji:"),
    ("line one\nline two", "line one<br>line two"),
    # hostile: markup in text stays text; only http(s) and mailto links become links
    ("<img src=x onerror=alert(1)>", "img src=x onerror=alert(1)"),  # read as a link that is not one
    ("&lt;img src=x onerror=alert(1)&gt;", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<javascript:alert(1)|click me>", "click me"),
    ('<https://x.test/"onmouseover="alert(1)|x>',
     '<a href="https://x.test/&quot;onmouseover=&quot;alert(1)" target="_blank" rel="noopener noreferrer">x</a>'),
]


def test_mrkdwn_is_rendered_as_slack_does_and_never_as_markup(workspace, browser):
    ws, page = _open(workspace, browser)
    ctx = "{channelName: (id) => id === 'C0GENERAL' ? 'general' : id, userName: (id) => id === 'U0YOU' ? 'you' : id}"
    for text, html in MRKDWN_CASES:
        assert page.evaluate(f"(text) => BlockKit.mrkdwn(text, {ctx})", text) == html, text
    # a person's own message with markup in it is shown as text on the page
    ws.post("/api/command", {"channel": "C0GENERAL", "text": "<img src=x onerror=window.pwned=1> hello"})
    expect(page.locator(".message", has_text="hello")).to_contain_text("<img src=x")
    assert page.evaluate("window.pwned === undefined") and page.locator(".message img").count() == 0
