"""The Bolt app factory: one App, the shared WebClient, `services` in every listener's context,
the access check, every command module, and the one error handler."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError

import commands
from bot.config import Settings
from bot.errors import ConfigError, SlackCallFailed
from bot.services import Services
from bot.slack.errors import handle_error
from commands.access import check_access

log = logging.getLogger(__name__)

LISTENER_THREADS = 32


def _drop_token_notice(record: logging.LogRecord) -> bool:
    # Bolt warns that the token is unused when a client is given; the client carries that token
    return "`token` will be unused" not in record.getMessage()


def create_app(settings: Settings, services: Services) -> App:
    """Build the app. The token is checked with auth.test now, so a bad token stops start-up
    with one line instead of failing on the first command (and Bolt learns the bot's user id,
    which it needs to ignore the bot's own messages)."""
    try:
        services.slack.call("auth.test")
    except SlackCallFailed as err:
        if err.code == "unreachable":
            raise ConfigError(f"Could not reach the Slack Web API at {settings.slack_api_url} to check SLACK_BOT_TOKEN.") from None
        raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({err.code}); check the token and SLACK_API_URL.") from None
    logging.getLogger("slack_bolt.App").addFilter(_drop_token_notice)
    try:
        app = App(
            token=settings.slack_bot_token,
            signing_secret=settings.slack_signing_secret or "",
            client=services.slack.client,
            token_verification_enabled=True,
            request_verification_enabled=not settings.socket_mode,
            logger=logging.getLogger("slack_bolt.App"),
            # Bolt's default is 5 threads; a listener that keeps working after ack() holds one,
            # and five of them would delay every other acknowledgement
            listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        )
    except BoltError:
        raise ConfigError("Slack refused SLACK_BOT_TOKEN; check the token and SLACK_API_URL.") from None
    except SlackApiError as err:
        code = (err.response.data or {}).get("error", "unknown_error") if err.response is not None else "unknown_error"
        raise ConfigError(f"Slack refused SLACK_BOT_TOKEN ({code}); check the token and SLACK_API_URL.") from None
    except (SlackClientError, OSError):
        raise ConfigError(f"Could not reach the Slack Web API at {settings.slack_api_url} to check SLACK_BOT_TOKEN.") from None

    def put_services(context, next):  # noqa: A002 - Bolt passes `next` by name
        context["services"] = services
        next()

    app.use(put_services)
    app.use(check_access)
    for module in commands.ALL:
        module.register(app)
    app.error(handle_error)
    return app
