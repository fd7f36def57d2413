"""Typed errors. Every one carries a sentence a person can act on.

The message of a LeakwatchError is shown to users as is (CLI `error`, Slack reply), so it must
never contain a value found in scanned content: say what and where, never the data itself.
"""


class LeakwatchError(Exception):
    """Base class: `str(err)` is one plain sentence for the user."""

    #: short machine-readable reason, stable across versions (used in tests and logs)
    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def user_message(self) -> str:
        return str(self)


class ConfigError(LeakwatchError):
    """A setting is missing or malformed; start-up stops with this one line."""

    code = "config"


class FetchRefused(LeakwatchError):
    """The URL is not allowed by policy (scheme, port, private address...)."""

    code = "refused"


class FetchFailed(LeakwatchError):
    """The URL could not be fetched (DNS, connection, TLS, HTTP status, timeout)."""

    code = "unreachable"


class LimitExceeded(LeakwatchError):
    """Input is over a size, time, count or depth limit."""

    code = "limit"


class UnreadableContent(LeakwatchError):
    """The bytes could not be parsed as the format they claim to be."""

    code = "unreadable"


class NotAllowed(LeakwatchError):
    """The person or channel may not use this command."""

    code = "not_allowed"


class SlackCallFailed(LeakwatchError):
    """A Slack Web API call failed after retries."""

    code = "slack"
