"""Settings come from PORTAL_* variables and refuse what would be unsafe or broken."""

from __future__ import annotations

import stat

import pytest

from portal.config import ConfigError, load_settings


def test_development_defaults_to_sqlite_in_instance_and_keeps_a_generated_secret(tmp_path):
    environ = {"PORTAL_INSTANCE_DIR": str(tmp_path)}
    first = load_settings(environ)
    assert first.env == "development"
    assert first.database_url == f"sqlite:///{tmp_path / 'portal.db'}"
    assert len(first.secret_key) >= 32
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert load_settings(environ).secret_key == first.secret_key
    assert first.locales == ("fr", "en", "ar", "es", "pt", "tr", "ro", "uk", "ru")
    assert first.redis_url == ""


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "s" * 40}, "PORTAL_DATABASE_URL is required"),
        (
            {"PORTAL_ENV": "production", "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal"},
            "PORTAL_SECRET_KEY is required",
        ),
        (
            {
                "PORTAL_ENV": "production",
                "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal",
                "PORTAL_SECRET_KEY": "short",
            },
            "at least 32",
        ),
        (
            {
                "PORTAL_ENV": "production",
                "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal",
                "PORTAL_SECRET_KEY": "s" * 40,
                "PORTAL_TRUSTED_HOSTS": "logement.example.org",
            },
            "PORTAL_PUBLIC_URL is required in production",
        ),
        (
            {
                "PORTAL_ENV": "production",
                "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal",
                "PORTAL_SECRET_KEY": "s" * 40,
                "PORTAL_PUBLIC_URL": "https://logement.example.org",
            },
            "PORTAL_TRUSTED_HOSTS is required in production",
        ),
        (
            {
                "PORTAL_ENV": "production",
                "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal",
                "PORTAL_SECRET_KEY": "s" * 40,
                "PORTAL_PUBLIC_URL": "http://logement.example.org",
                "PORTAL_TRUSTED_HOSTS": "logement.example.org",
            },
            "must be an https:// URL in production",
        ),
        ({"PORTAL_RENDER_SLOTS": "0"}, "PORTAL_RENDER_SLOTS"),
        ({"PORTAL_ENV": "staging"}, "PORTAL_ENV must be one of"),
        ({"PORTAL_DATABASE_URL": "mysql://db/portal"}, "PORTAL_DATABASE_URL must be"),
        ({"PORTAL_REDIS_URL": "localhost:6379"}, "PORTAL_REDIS_URL must be"),
        ({"PORTAL_LOCALES": "en,fr"}, "PORTAL_LOCALES"),
        ({"PORTAL_PROXY_COUNT": "one"}, "PORTAL_PROXY_COUNT"),
    ],
)
def test_bad_settings_are_refused_with_the_variable_named(tmp_path, environ, message):
    with pytest.raises(ConfigError, match=message):
        load_settings({"PORTAL_INSTANCE_DIR": str(tmp_path), **environ})


def test_content_dir_must_hold_a_territory(tmp_path):
    with pytest.raises(ConfigError, match=r"territory\.yaml"):
        load_settings({"PORTAL_INSTANCE_DIR": str(tmp_path), "PORTAL_CONTENT_DIR": str(tmp_path)})


def test_production_settings_make_secure_cookies(tmp_path):
    settings = load_settings(
        {
            "PORTAL_ENV": "production",
            "PORTAL_DATABASE_URL": "postgresql+psycopg://db/p",
            "PORTAL_SECRET_KEY": "k" * 40,
            "PORTAL_REDIS_URL": "redis://cache:6379/0",
            "PORTAL_INSTANCE_DIR": str(tmp_path),
            "PORTAL_PUBLIC_URL": "https://logement.example.org",
            "PORTAL_TRUSTED_HOSTS": "logement.example.org",
        }
    )
    config = settings.flask_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert config["PREFERRED_URL_SCHEME"] == "https"
