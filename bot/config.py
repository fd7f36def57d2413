"""Settings from the environment (and `.env`, loaded by the entry points).

One frozen dataclass; every setting the bot reads is here, named as in `.env.example`.
A missing or malformed setting raises ConfigError with one line that names it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.errors import ConfigError

SEVERITIES = ("none", "low", "medium", "high", "critical")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
#: the shortest /watch interval a person may ask for (WATCH_MIN_INTERVAL_SECONDS lowers it for tests)
WATCH_MIN_INTERVAL_SECONDS = 10
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


#: the placeholders .env.example ships with (tests/test_settings.py checks they are the file's):
#: copied to .env unchanged they are named as such, before any network call
EXAMPLE_VALUES = {
    "SLACK_BOT_TOKEN": "xoxb-your-bot-token",
    "SLACK_SIGNING_SECRET": "your-signing-secret",
    "SLACK_APP_TOKEN": "xapp-your-app-token",
}


def _not_example(name: str, value: str | None) -> None:
    if value and value == EXAMPLE_VALUES.get(name):
        raise ConfigError(f"{name} is still the example value from .env.example ({value}); put your app's own "
                          "value there (api.slack.com/apps, your app).")


DEFAULT_DATABASE_PATH = "./data/bot.json"


def database_path_from_env(env: Mapping[str, str] | None = None) -> str:
    """DATABASE_PATH, for the bot and the command lines that read its database."""
    env = os.environ if env is None else env
    return env.get("DATABASE_PATH", "").strip() or DEFAULT_DATABASE_PATH


def database_url_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """DATABASE_URL (`postgresql://...`): the PostgreSQL store, when set."""
    env = os.environ if env is None else env
    url = env.get("DATABASE_URL", "").strip() or None
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("DATABASE_URL must be a postgresql:// URL.")
    return url


def severity_rank(level: str) -> int:
    return SEVERITIES.index(level)


def _csv(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(part.strip() for part in raw.replace(" ", ",").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}.")
    return value


def _float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}.")
    return value


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip() or default
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must be an http(s) URL, got {raw!r}.")
    return raw


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}.")


def _severity(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip().lower() or default
    if raw not in SEVERITIES:
        raise ConfigError(f"{name} must be one of {', '.join(SEVERITIES)}, got {raw!r}.")
    return raw


def parse_legal_clocks(raw: str | None) -> tuple[tuple[str, float], ...]:
    """`LEGAL_CLOCKS="GDPR Art. 33=72h, State AG notice=30d"` -> ((label, hours), ...)."""
    if raw is None or not raw.strip():
        return (("GDPR Art. 33 notice to the supervisory authority", 72.0),)
    clocks = []
    for item in raw.split(","):
        if not item.strip():
            continue
        label, sep, duration = item.rpartition("=")
        if not sep or not label.strip():
            raise ConfigError(f"LEGAL_CLOCKS items look like 'Label=72h', got {item.strip()!r}.")
        duration = duration.strip().lower()
        units = {"h": 1.0, "d": 24.0, "m": 1 / 60}
        try:
            hours = float(duration[:-1]) * units[duration[-1]]
        except (KeyError, ValueError, IndexError):
            raise ConfigError(f"LEGAL_CLOCKS durations look like 72h, 30d or 90m, got {duration!r}.") from None
        clocks.append((label.strip(), hours))
    return tuple(clocks)


@dataclass(frozen=True)
class ScanSettings:
    """What one scan needs; the CLI builds this without any Slack setting."""

    max_bytes: int = 50_000_000
    timeout_seconds: float = 30.0
    allow_hosts: tuple[str, ...] = ()
    fingerprint_key: str | None = None
    threshold: str = "high"
    #: memory ceiling for the isolated parser process, in MB (0 = no ceiling)
    max_memory_mb: int = 1024
    #: SCAN_MAX_BYTES / SCAN_TIMEOUT_SECONDS were set (the command line bounds local files only then)
    limits_given: tuple[bool, bool] = (False, False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ScanSettings:
        env = os.environ if env is None else env
        return cls(
            max_bytes=_int(env, "SCAN_MAX_BYTES", 50_000_000, minimum=1),
            timeout_seconds=_float(env, "SCAN_TIMEOUT_SECONDS", 30.0, minimum=0.1),
            limits_given=(bool(env.get("SCAN_MAX_BYTES", "").strip()), bool(env.get("SCAN_TIMEOUT_SECONDS", "").strip())),
            allow_hosts=tuple(h.lower() for h in _csv(env.get("SCAN_ALLOW_HOSTS"))),
            fingerprint_key=env.get("FINGERPRINT_KEY") or None,
            threshold=_severity(env, "INCIDENT_SEVERITY_THRESHOLD", "high"),
            max_memory_mb=_int(env, "SCAN_MAX_MEMORY_MB", 1024),
        )


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    port: int
    database_path: str
    oncall_usergroup: str | None
    oncall_users: tuple[str, ...]
    incident_channel_prefix: str
    incident_channel_private: bool
    takedown_target_minutes: float
    takedown_poll_seconds: float
    timer_update_seconds: float
    auto_scan_channels: tuple[str, ...]
    allowed_users: tuple[str, ...]
    allowed_channels: tuple[str, ...]
    scan_workers: int
    legal_clocks: tuple[tuple[str, float], ...]
    scan: ScanSettings = field(default_factory=ScanSettings)
    #: PostgreSQL (several bot processes); wins over database_path
    database_url: str | None = None
    #: the HTTP server: address, request threads; and the log level
    host: str = "0.0.0.0"
    http_threads: int = 8
    log_level: str = "INFO"
    #: the shortest /watch interval in seconds (WATCH_MIN_INTERVAL_SECONDS lowers it in tests)
    watch_min_interval_seconds: int = WATCH_MIN_INTERVAL_SECONDS
    #: may act on any incident without being in its channel
    admin_users: tuple[str, ...] = ()
    #: gets a short status post on open, takedown, close and /incident update
    stakeholder_channel: str | None = None
    pagerduty_routing_key: str | None = None
    pagerduty_events_url: str = "https://events.pagerduty.com/v2/enqueue"
    opsgenie_api_key: str | None = None
    opsgenie_api_url: str = "https://api.opsgenie.com"
    #: where a drill's practice file is served: <DRILL_URL>drill-<token>.csv (the local workspace's sample site)
    drill_url: str | None = None

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        token = env.get("SLACK_BOT_TOKEN", "").strip()
        for name in EXAMPLE_VALUES:
            _not_example(name, env.get(name, "").strip())
        if not token:
            raise ConfigError("SLACK_BOT_TOKEN is not set: put the bot token (xoxb-...) in the environment or .env.")
        if not token.startswith("xox"):
            raise ConfigError("SLACK_BOT_TOKEN does not look like a Slack token (it should start with xoxb-).")
        app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
        if app_token and not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN does not look like an app-level token (it should start with xapp-).")
        secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
        if not app_token and not secret:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs it (or set SLACK_APP_TOKEN for Socket Mode).")
        api_url = env.get("SLACK_API_URL", "").strip() or "https://slack.com/api/"
        if not api_url.startswith(("http://", "https://")):
            raise ConfigError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}.")
        if not api_url.endswith("/"):
            api_url += "/"
        prefix = env.get("INCIDENT_CHANNEL_PREFIX", "").strip().lower() or "inc-pii"
        if not all(c.isalnum() or c in "-_" for c in prefix) or len(prefix) > 40:
            raise ConfigError("INCIDENT_CHANNEL_PREFIX may hold only a-z, 0-9, '-' and '_' (at most 40).")
        port = _int(env, "PORT", 3000, minimum=1)
        if port > 65535:
            raise ConfigError(f"PORT must be at most 65535, got {port}.")
        log_level = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}.")
        stakeholders = env.get("STAKEHOLDER_CHANNEL", "").strip() or None
        if stakeholders and not _CHANNEL_ID.match(stakeholders):
            raise ConfigError(f"STAKEHOLDER_CHANNEL must be a channel id like C0123456789, got {stakeholders!r}.")
        return cls(
            slack_bot_token=token,
            slack_signing_secret=secret,
            slack_app_token=app_token,
            slack_api_url=api_url,
            port=port,
            database_path=database_path_from_env(env),
            database_url=database_url_from_env(env),
            oncall_usergroup=env.get("ONCALL_USERGROUP", "").strip() or None,
            oncall_users=_csv(env.get("ONCALL_USERS")),
            incident_channel_prefix=prefix,
            incident_channel_private=_bool(env, "INCIDENT_CHANNEL_PRIVATE", True),
            takedown_target_minutes=_float(env, "TAKEDOWN_TARGET_MINUTES", 15.0, minimum=0.01),
            takedown_poll_seconds=_float(env, "TAKEDOWN_POLL_SECONDS", 30.0, minimum=0.5),
            timer_update_seconds=_float(env, "TIMER_UPDATE_SECONDS", 60.0, minimum=0.5),
            auto_scan_channels=_csv(env.get("AUTO_SCAN_CHANNELS")),
            allowed_users=_csv(env.get("ALLOWED_USERS")),
            allowed_channels=_csv(env.get("ALLOWED_CHANNELS")),
            scan_workers=_int(env, "SCAN_WORKERS", 2, minimum=1),
            legal_clocks=parse_legal_clocks(env.get("LEGAL_CLOCKS")),
            scan=ScanSettings.from_env(env),
            host=env.get("HOST", "").strip() or "0.0.0.0",
            http_threads=_int(env, "HTTP_THREADS", 8, minimum=1),
            log_level=log_level,
            watch_min_interval_seconds=_int(env, "WATCH_MIN_INTERVAL_SECONDS", WATCH_MIN_INTERVAL_SECONDS, minimum=1),
            admin_users=_csv(env.get("ADMIN_USERS")),
            stakeholder_channel=stakeholders,
            pagerduty_routing_key=env.get("PAGERDUTY_ROUTING_KEY", "").strip() or None,
            pagerduty_events_url=_url(env, "PAGERDUTY_EVENTS_URL", "https://events.pagerduty.com/v2/enqueue"),
            opsgenie_api_key=env.get("OPSGENIE_API_KEY", "").strip() or None,
            opsgenie_api_url=_url(env, "OPSGENIE_API_URL", "https://api.opsgenie.com"),
            drill_url=_url(env, "DRILL_URL", "") if env.get("DRILL_URL", "").strip() else None,
        )


# -- the local workspace (bot/workspace/run.py) ------------------------------------------------

#: with none of these set, `python -m bot` runs the local workspace instead of a Slack bot
SLACK_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
#: the local workspace's defaults where a real workspace's would not suit a practice one (each
#: kept when set): a clock that visibly runs, a made-up on-call teammate, its own data folder
LOCAL_WORKSPACE_DEFAULTS = {"TAKEDOWN_POLL_SECONDS": "5", "TIMER_UPDATE_SECONDS": "5", "ONCALL_USERS": "U0ONCALL",
                            "DATABASE_PATH": "./data/workspace/bot.json"}
#: never used by a practice workspace: a real database, a real Slack
LOCAL_WORKSPACE_IGNORES = ("DATABASE_URL", "SLACK_API_URL", "SLACK_APP_TOKEN")
#: a paging key counts only with its service's URL on this machine (a stand-in): no real page
LOCAL_WORKSPACE_PAGING = {"PAGERDUTY_ROUTING_KEY": "PAGERDUTY_EVENTS_URL", "OPSGENIE_API_KEY": "OPSGENIE_API_URL"}


def no_slack_settings(env: Mapping[str, str]) -> bool:
    return not any((env.get(name) or "").strip() for name in SLACK_SETTINGS)


def local_workspace_env(env: Mapping[str, str], *, local: dict[str, str] | None = None,
                        allow_host: str | None = None) -> dict[str, str]:
    """The environment the local workspace's bot runs with: `env` with LOCAL_WORKSPACE_DEFAULTS
    for what is unset, LOCAL_WORKSPACE_IGNORES dropped (and paging keys unless their service is a
    stand-in on this machine), `local` (the stand-in's token, URL and
    the signing secret) on top, and `allow_host` (the sample site's host:port) added to
    SCAN_ALLOW_HOSTS."""
    out = {k: v for k, v in env.items() if k not in LOCAL_WORKSPACE_IGNORES}
    for key, url in LOCAL_WORKSPACE_PAGING.items():
        if not (out.get(url) or "").startswith(("http://127.0.0.1:", "http://localhost:")):
            out.pop(key, None)
    for name, value in LOCAL_WORKSPACE_DEFAULTS.items():
        if not (out.get(name) or "").strip():
            out[name] = value
    if allow_host:
        out["SCAN_ALLOW_HOSTS"] = ",".join([*_csv(out.get("SCAN_ALLOW_HOSTS")), allow_host])
    out.update(local or {})
    return out
