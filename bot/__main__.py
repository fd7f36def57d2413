"""`python -m bot` runs the Slack bot (with no Slack settings: the local workspace, bot/workspace/run.py);
`python -m bot scan ...` is the command-line scanner; `python -m bot downloads ...` reads access logs,
`python -m bot affected ...` finds who to notify
(docs/downloads.md); `python -m bot store import` moves a one-process bot's store onto PostgreSQL
(docs/deploy.md)."""

import sys

USAGE = """usage: python -m bot [--help] | python -m bot scan ...

  python -m bot              run the Slack bot: HTTP mode on $PORT (POST /slack/events, GET /healthz),
                             or Socket Mode when SLACK_APP_TOKEN is set; with no Slack settings at all,
                             the local workspace: the bot, a Slack stand-in and a sample site on
                             http://127.0.0.1:$PORT/ (nothing leaves this machine)
  python -m bot scan TARGET  scan a URL, a file or a folder from the command line
                             (python -m bot scan --help for its options)
  python -m bot downloads LOG... --url URL   who fetched a leaked file, from access logs
  python -m bot affected --incident N --records FILE   the incident's people in your own records
  python -m bot store import [--dry-run]   copy the TinyDB store at DATABASE_PATH into the empty
                             PostgreSQL at DATABASE_URL, before replicas first start (docs/deploy.md)

Settings come from the environment and from .env in the current directory; .env.example lists
every one with a comment. A missing or malformed setting stops start-up with one line naming it."""


def _main() -> int:
    if sys.argv[1:2] in (["-h"], ["--help"], ["help"]):
        print(USAGE)
        return 0
    if sys.argv[1:2] == ["scan"]:
        from bot.cli import main

        return main(sys.argv[2:])
    if sys.argv[1:2] == ["downloads"]:
        from bot.downloads.cli import main

        return main(sys.argv[2:])
    if sys.argv[1:2] == ["affected"]:
        from bot.affected.cli import main

        return main(sys.argv[2:])
    if sys.argv[1:2] == ["store"]:
        from bot.stores.cli import main

        return main(sys.argv[2:])
    from bot.workspace import run as workspace

    if workspace.wanted():  # no Slack settings at all: the local workspace (bot/workspace/run.py)
        return workspace.main(sys.argv[1:])
    from bot.server import main

    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(_main())
