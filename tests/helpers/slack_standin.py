"""The Slack Web API stand-in, re-exported for the tests: it lives in the product now
(`bot/workspace/standin.py`, methods in `bot/workspace/slack_methods.py`); see its docstring."""

from bot.workspace.standin import BOT_TOKEN, BOT_USER_ID, TEAM_ID, Call, SlackStandIn

__all__ = ["BOT_TOKEN", "BOT_USER_ID", "TEAM_ID", "Call", "SlackStandIn"]
