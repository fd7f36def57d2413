"""The whole story in a real browser (Chromium headless, driven by Playwright), as a newcomer does it.

`python -m bot` with no Slack settings -> the workspace page -> `/scan` of the sample site's roster
-> the incident channel appears -> a checklist item is ticked -> the sample site's takedown button
-> the bot proves the takedown. Screenshots go to tests/artifacts/workspace/ (gitignored), laptop
and phone sizes. The browser is Debian's chromium (/usr/bin/chromium, installed by .ci/run);
Playwright's own browser download is not used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.workspace.sample import roster_rows

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "workspace"
WAIT_MS = 40_000


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install -y chromium (.ci/run does it)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _raw_values() -> list[str]:
    values = []
    for row in roster_rows():
        values += [row["A-Number"], row["A-Number"][1:], row["Last Name"], row["Date of Birth"]]
    return values


def test_scan_incident_tick_takedown_in_a_real_browser(workspace, browser):
    ws = workspace()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(ws.url + "/")
    expect(page.get_by_role("heading", name="#general")).to_be_visible()
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
    _shot(page, "04-checklist-ticked")

    # the sample site: its takedown button removes the roster; the bot's re-check proves it
    site = browser.new_page()
    site.goto(ws.state()["sample"]["url"])
    site.get_by_role("button", name="Take the roster down").click()
    expect(site.get_by_text("was taken down")).to_be_visible()
    _shot(site, "05-sample-site-taken-down")
    site.close()
    proof = page.locator(".message", has_text="Takedown verified")
    expect(proof).to_be_visible()
    expect(page.locator("#sample-state")).to_have_text("taken down (404)")
    _shot(page, "06-takedown-verified")

    # readable on a phone: the same channel, one column
    page.set_viewport_size({"width": 390, "height": 844})
    expect(proof).to_be_visible()
    _shot(page, "07-phone")

    # never spread the leak: no raw value from the roster anywhere on the page
    shown = page.content()
    leaked = [value for value in _raw_values() if value in shown]
    assert not leaked, f"{len(leaked)} raw values from the roster are on the page"
