"""`python -m bot` with no Slack settings: the local workspace, on this machine only.

    wanted() -> bool         # no SLACK_BOT_TOKEN, SLACK_APP_TOKEN or SLACK_SIGNING_SECRET (env or .env)
    main(argv) -> exit code  # runs until Ctrl-C / SIGTERM

It runs the real bot (the same Bolt app, HTTP mode, signed requests) against the built-in Slack
Web API stand-in (`live.py`), and serves on http://127.0.0.1:$PORT/ (default 3000):
- `/slack/events` and `/healthz`: the bot, exactly as in HTTP mode (bot/server.py);
- everything else: the workspace page (`web.py`, `static/`), where a person reads the channels
  and sends slash commands, clicks and files to the bot through `relay.py`.
A sample site (`sample_site.py`) listens on another 127.0.0.1 port, and the scanner may fetch
exactly that host:port (added to SCAN_ALLOW_HOSTS); everything else keeps the usual policy.
Everything binds 127.0.0.1 whatever HOST says. Its settings are the usual ones with the local
workspace's defaults and overrides (bot/config.py `local_workspace_env`: a clock that visibly
runs, a made-up on-call teammate, ./data/workspace/, no real database or Slack); DRILL_URL is the
sample site's /drills/ (`/incident drill` files, taken down there).
It says so in one line on stdout, with the address.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import sys
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

from bot import server
from bot.config import LOCAL_WORKSPACE_DEFAULTS, Settings, local_workspace_env, no_slack_settings
from bot.errors import ConfigError
from bot.services import Services
from bot.workspace import persist
from bot.workspace.live import LiveStandIn
from bot.workspace.relay import BotRelay
from bot.workspace.sample_site import SampleSite
from bot.workspace.web import WorkspacePage

log = logging.getLogger(__name__)

ME, ME_NAME = "U0YOU", "you"
ONCALL, ONCALL_NAME = LOCAL_WORKSPACE_DEFAULTS["ONCALL_USERS"], "Sam (on call)"
GENERAL = "C0GENERAL"
TEAM_ID = "T0LOCAL"
HTTP_THREADS = 16


def wanted() -> bool:
    """True when no Slack setting is present (after .env is loaded)."""
    load_dotenv(find_dotenv(usecwd=True), override=False)
    return no_slack_settings(os.environ)


def _seed(live: LiveStandIn) -> None:
    """A fresh workspace: you, an on-call teammate, #general and the direct message with the bot."""
    live.add_user(ME, name=ME_NAME, real_name=ME_NAME)
    live.add_user(ONCALL, name="sam", real_name=ONCALL_NAME)
    live.add_channel("general", members=[ME, ONCALL], channel_id=GENERAL)
    # conversations.open answers "D" + the user id without its U (slack_methods.py)
    live.add_channel("Leakwatch", members=[ME], private=True, channel_id="D" + ME.lstrip("UW"))


def main(argv: list[str] | None = None) -> int:
    if server.refused_arguments(argv):
        return 2
    load_dotenv(find_dotenv(usecwd=True), override=False)
    database = Path(local_workspace_env(os.environ)["DATABASE_PATH"])
    state_path = database.with_name("workspace.json")
    saved = persist.load(state_path)
    live = LiveStandIn(me=ME)
    if saved.get("live"):
        live.import_state(saved["live"], lambda file_id: persist.read_file(state_path, file_id))
    else:
        _seed(live)
    live.start()
    live.rebase_file_urls()
    sample = saved.get("sample") or {}
    site = SampleSite(int(sample.get("port") or 0), removed=bool(sample.get("removed")),
                      published_at=sample.get("published_at"), drills=sample.get("drills")).start()
    saver = persist.WorkspaceSaver(state_path, live, site).start()
    try:
        return _run(live, site)
    finally:
        saver.stop()
        site.stop()
        live.stop()


def _run(live: LiveStandIn, site: SampleSite) -> int:
    secret = secrets.token_hex(24)
    env = local_workspace_env(os.environ, allow_host=f"127.0.0.1:{site.port}", local={
        "SLACK_BOT_TOKEN": live.bot_token, "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": live.api_url,
        "HOST": "127.0.0.1", "DRILL_URL": site.status()["drills_url"]})
    try:
        settings = Settings.from_env(env)
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        return 2
    server.setup_logging(settings.log_level)
    from waitress import create_server

    holder: dict = {}
    address = f"http://127.0.0.1:{settings.port}"

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        part = holder.get("bot") if path in (server.EVENTS_PATH, "/healthz") else holder.get("page")
        if part is None:  # still starting
            start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Retry-After", "1")])
            return [b"starting"]
        return part(environ, start_response)

    try:
        http = create_server(app, host="127.0.0.1", port=settings.port, threads=HTTP_THREADS, ident="leakwatch")
    except OSError:
        print(f"leakwatch: port {settings.port} is taken on 127.0.0.1; set PORT to a free one.", file=sys.stderr)
        return 2
    services = Services.build(settings)
    try:
        server._attach_parts(services)
        from bot.app import create_app

        bolt_app = create_app(settings, services)
    except ConfigError as err:
        print(f"leakwatch: {err}", file=sys.stderr)
        services.shutdown()
        http.close()
        return 2
    server._warm_up()
    relay = BotRelay(address + server.EVENTS_PATH, secret, live, team_id=TEAM_ID)
    holder["page"] = WorkspacePage(live, relay, site, port=settings.port,
                                   max_upload=min(2 * settings.scan.max_bytes, 200_000_000))
    holder["bot"] = server.make_wsgi_app(bolt_app, services)

    def stop(signum, frame):
        log.info("signal %s: stopping", signum)
        http.close()

    signal.signal(signal.SIGTERM, stop)
    print(f"Leakwatch local workspace (no Slack settings found): open {address}/ in a browser; "
          f"nothing leaves this machine.", flush=True)
    try:
        http.run()
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        server._detach_parts(services)
    return 0
