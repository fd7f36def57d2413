"""The Slack Web API stand-in, re-exported for the tests: it lives in the product now
(`bot/workspace/standin.py`, methods in `bot/workspace/slack_methods.py`); see its docstring.
`posts` / `post_texts`: what was posted in one channel, optionally only the posts that say something."""

from bot.workspace.standin import BOT_TOKEN, BOT_USER_ID, TEAM_ID, Call, SlackStandIn

__all__ = ["BOT_TOKEN", "BOT_USER_ID", "TEAM_ID", "Call", "SlackStandIn", "post_texts", "posts"]


def posts(standin: SlackStandIn, channel: str, containing: str = "") -> list[Call]:
    """chat.postMessage calls into `channel` whose text holds `containing`."""
    return [c for c in standin.calls_to("chat.postMessage")
            if c.params.get("channel") == channel and containing in c.params.get("text", "")]


def post_texts(standin: SlackStandIn, channel: str, containing: str = "") -> list[str]:
    return [c.params.get("text", "") for c in posts(standin, channel, containing)]
