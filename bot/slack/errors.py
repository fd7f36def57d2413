"""The one place a failure becomes something a person reads.

A LeakwatchError already is one plain sentence, so it is shown as is. Anything else is a bug on
our side: the person gets a fixed sentence and the log gets the error's type and where it was
raised, never its message or the request payload (either could quote scanned content).
"""

from __future__ import annotations

import logging
import os
import traceback

from bot.errors import LeakwatchError

log = logging.getLogger("bot.errors")

GENERIC = "Something went wrong on our side; the scan was not completed."


def user_sentence(error: BaseException) -> str:
    if isinstance(error, LeakwatchError):
        return error.user_message
    return GENERIC


def log_failure(error: BaseException, what: str) -> None:
    """One log line: what failed, the error type and the innermost frame, no message."""
    if isinstance(error, LeakwatchError):
        log.info("%s: %s (%s)", what, type(error).__name__, error.code)
        return
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f"{os.path.basename(frame.filename)}:{frame.lineno}" if frame else "?"
    log.error("%s failed: %s at %s", what, type(error).__name__, where)


def _where_to_answer(body: dict) -> tuple[str | None, str | None, str | None]:
    """(response_url, channel, user) of a request body, whichever Slack sent."""
    response_url = body.get("response_url")
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url") if urls else None
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return response_url, channel, user


def handle_error(error: Exception, body: dict, respond, context) -> None:
    """Bolt's global error handler (`app.error`)."""
    kind = body.get("command") or body.get("type") or "request"
    log_failure(error, f"handling {kind}")
    tell_person(user_sentence(error), body, respond=respond, services=context.get("services"))


def tell_person(sentence: str, body: dict, *, respond=None, services=None) -> None:
    """Answer the person who made this request, privately, where they made it; never fails."""
    response_url, channel, user = _where_to_answer(body)
    try:
        if response_url and respond is not None:
            respond(text=sentence, response_type="ephemeral", replace_original=False)
            return
        if services is not None and channel and user:
            services.slack.ephemeral(channel, user, sentence)
    except Exception as err:  # noqa: BLE001 - the error path must not raise again
        log.warning("could not tell the person about a failure: %s", type(err).__name__)
