"""Settings read from PORTAL_* environment variables, validated once at start."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production", "testing")
DEFAULT_LOCALES = ("fr", "en", "ar", "es", "pt", "tr", "ro", "uk", "ru")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every PORTAL_* variable, with its default. README.md documents each one."""

    env: str = "development"
    database_url: str = ""
    secret_key: str = ""
    redis_url: str = ""
    content_dir: Path = PROJECT_ROOT / "content"
    instance_dir: Path = PROJECT_ROOT / "instance"
    locales: tuple[str, ...] = DEFAULT_LOCALES
    proxy_count: int = 0
    ratelimit_default: str = "300 per minute"
    ratelimit_cached: str = "60000 per minute"  # pages kept in memory (see portal/pagecache.py)
    log_level: str = "INFO"
    trusted_hosts: tuple[str, ...] = ()  # Host headers (name or name:port) answered; empty: any
    map_tiles_url: str = ""  # e.g. https://tiles.example.org/{z}/{x}/{y}.png; empty: no map, the list alone
    map_attribution: str = ""
    public_url: str = "http://127.0.0.1:5000"  # the portal's address, for QR codes of guides built offline
    smtp_host: str = ""  # empty: e-mails are written to the log instead of sent (development)
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "Portail du demandeur <ne-pas-repondre@example.org>"
    desk_reminder_months: int = 6  # desks whose hours were not confirmed for this long are flagged
    import_max_mb: int = 100  # the largest data file (demands, events…) partners may upload, in megabytes
    document_max_mb: int = 10  # the largest shared document partners may upload, in megabytes
    jobs_immediate: bool = False  # run jobs inside the caller instead of queueing them (tests only)
    render_slots: int = 2  # PDFs rendered at the same time on one machine, whatever the number of processes
    guides_prerender: bool = True  # print every public guide after each publication and every night

    def flask_config(self) -> dict:
        """The Flask config keys derived from these settings."""
        production = self.env == "production"
        return {
            "PORTAL_SETTINGS": self,
            "SECRET_KEY": self.secret_key,
            "TESTING": self.env == "testing",
            "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
            "SESSION_COOKIE_SECURE": production,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "PREFERRED_URL_SCHEME": "https" if production else "http",
            "WTF_CSRF_TIME_LIMIT": 3600 * 4,
            "MAX_CONTENT_LENGTH": max(16, self.document_max_mb + 1) * 1024 * 1024,  # a document and its form
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            # Redis away: every page keeps working, the limits are counted in each process meanwhile.
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
            "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
            if self.redis_url
            else {},
            "RATELIMIT_DEFAULT": self.ratelimit_default,
            # No X-RateLimit-* headers on every answer (they also overwrite a page's own Retry-After): a 429
            # says when to come back (portal/errors.py).
            "RATELIMIT_HEADERS_ENABLED": False,
            "RATELIMIT_KEY_PREFIX": "portal",
            "BABEL_DEFAULT_LOCALE": self.locales[0],
            "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
            "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        }


def _dev_secret_key(instance_dir: Path) -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number") from exc


def load_settings(environ: os._Environ | dict | None = None, **overrides) -> Settings:
    """Read and check the PORTAL_* variables; raise ConfigError naming any bad one."""
    env = dict(os.environ if environ is None else environ)
    get = env.get
    name = overrides.pop("env", None) or get("PORTAL_ENV", "development")
    if name not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}")
    instance_dir = Path(
        overrides.pop("instance_dir", None) or get("PORTAL_INSTANCE_DIR") or PROJECT_ROOT / "instance"
    )
    database_url = overrides.pop("database_url", None) or get("PORTAL_DATABASE_URL", "")
    if not database_url:
        if name == "production":
            raise ConfigError("PORTAL_DATABASE_URL is required in production")
        instance_dir.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance_dir / 'portal.db'}"
    if not database_url.startswith(("sqlite:", "postgresql")):
        raise ConfigError("PORTAL_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL")
    secret_key = overrides.pop("secret_key", None) or get("PORTAL_SECRET_KEY", "")
    if not secret_key:
        if name == "production":
            raise ConfigError("PORTAL_SECRET_KEY is required in production (at least 32 random characters)")
        secret_key = _dev_secret_key(instance_dir)
    if name == "production" and len(secret_key) < 32:
        raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters long")
    if name == "production":
        for required, why in (
            ("PORTAL_PUBLIC_URL", "every link in an e-mail or on a printed guide is built from it"),
            ("PORTAL_TRUSTED_HOSTS", "the portal answers only to these host names"),
        ):
            if not (overrides.get(required.removeprefix("PORTAL_").lower()) or get(required, "").strip()):
                raise ConfigError(f"{required} is required in production: {why}")
        if not (overrides.get("public_url") or get("PORTAL_PUBLIC_URL", "")).startswith("https://"):
            raise ConfigError("PORTAL_PUBLIC_URL must be an https:// URL in production")
    locales = tuple(
        code.strip()
        for code in (
            overrides.pop("locales", None) or get("PORTAL_LOCALES", ",".join(DEFAULT_LOCALES))
        ).split(",")
    )
    if not locales or locales[0] != "fr" or any(not code.isalpha() for code in locales):
        raise ConfigError("PORTAL_LOCALES must list language codes separated by commas, starting with fr")
    proxy_count = _int(get("PORTAL_PROXY_COUNT", "0"), "PORTAL_PROXY_COUNT")
    values = {
        "env": name,
        "database_url": database_url,
        "secret_key": secret_key,
        "redis_url": get("PORTAL_REDIS_URL", ""),
        "content_dir": Path(get("PORTAL_CONTENT_DIR") or PROJECT_ROOT / "content"),
        "instance_dir": instance_dir,
        "locales": locales,
        "proxy_count": proxy_count,
        "ratelimit_default": get("PORTAL_RATELIMIT_DEFAULT", "300 per minute"),
        "ratelimit_cached": get("PORTAL_RATELIMIT_CACHED", "60000 per minute"),
        "log_level": get("PORTAL_LOG_LEVEL", "INFO").upper(),
        "trusted_hosts": tuple(
            host.strip() for host in get("PORTAL_TRUSTED_HOSTS", "").split(",") if host.strip()
        ),
        "map_tiles_url": get("PORTAL_MAP_TILES_URL", ""),
        "map_attribution": get("PORTAL_MAP_ATTRIBUTION", ""),
        "public_url": get("PORTAL_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "smtp_host": get("PORTAL_SMTP_HOST", ""),
        "smtp_port": _int(get("PORTAL_SMTP_PORT", "587"), "PORTAL_SMTP_PORT"),
        "smtp_user": get("PORTAL_SMTP_USER", ""),
        "smtp_password": get("PORTAL_SMTP_PASSWORD", ""),
        "smtp_starttls": get("PORTAL_SMTP_STARTTLS", "1") not in ("0", "false", "no"),
        "mail_from": get("PORTAL_MAIL_FROM", "Portail du demandeur <ne-pas-repondre@example.org>"),
        "desk_reminder_months": _int(get("PORTAL_DESK_REMINDER_MONTHS", "6"), "PORTAL_DESK_REMINDER_MONTHS"),
        "import_max_mb": _int(get("PORTAL_IMPORT_MAX_MB", "100"), "PORTAL_IMPORT_MAX_MB"),
        "document_max_mb": _int(get("PORTAL_DOCUMENT_MAX_MB", "10"), "PORTAL_DOCUMENT_MAX_MB"),
        "jobs_immediate": name == "testing",
        "render_slots": _int(get("PORTAL_RENDER_SLOTS", "2"), "PORTAL_RENDER_SLOTS"),
        "guides_prerender": get("PORTAL_GUIDES_PRERENDER", "1") not in ("0", "false", "no"),
    }
    values.update(overrides)
    if values["redis_url"] and not values["redis_url"].startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("PORTAL_REDIS_URL must be a redis:// or rediss:// URL")
    if values["document_max_mb"] < 1:
        raise ConfigError("PORTAL_DOCUMENT_MAX_MB must be at least 1")
    if values["render_slots"] < 1:
        raise ConfigError("PORTAL_RENDER_SLOTS must be at least 1")
    if values["import_max_mb"] < 1:
        raise ConfigError("PORTAL_IMPORT_MAX_MB must be at least 1")
    if not values["public_url"].startswith(("https://", "http://")):
        raise ConfigError("PORTAL_PUBLIC_URL must be an http:// or https:// URL")
    tiles = values["map_tiles_url"]
    # A tile server on this machine (development, tests) may use plain http.
    secure = tiles.startswith(("https://", "http://127.0.0.1:", "http://localhost:"))
    if tiles and not (secure and all(part in tiles for part in ("{z}", "{x}", "{y}"))):
        raise ConfigError("PORTAL_MAP_TILES_URL must be an https:// URL with {z}, {x} and {y}")
    if not Path(values["content_dir"], "territory.yaml").is_file():
        raise ConfigError(f"PORTAL_CONTENT_DIR has no territory.yaml: {values['content_dir']}")
    return Settings(**values)
