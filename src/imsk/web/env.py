"""Typed settings from the environment.

Every setting the deployment may change is an environment variable with a development default, so
``python -m imsk.web.manage runserver`` works with none set (``.env.example`` lists them all). A value
that cannot be read raises :class:`~imsk.web.errors.SettingsError` naming the variable, at start-up,
never at the first request that needs it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from imsk.web.errors import SettingsError

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def env_str(name: str, default: str) -> str:
    """The variable's value, or ``default`` when it is unset or empty."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, *, default: bool) -> bool:
    """``true``/``false`` (also 1/0, yes/no, on/off, any case); anything else is refused."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int, minimum: int = 1) -> int:
    """A whole number of at least ``minimum``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks between commas are ignored."""
    raw = os.environ.get(name, "")
    items = [item.strip() for item in raw.split(",") if item.strip()]
    return items or list(default)


def database_from_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Django's ``DATABASES['default']`` for a database URL.

    ``sqlite:///var/imsk.sqlite3`` is relative to ``base_dir`` (the repository), ``sqlite:////abs/x``
    absolute and ``sqlite://:memory:`` in memory; ``postgres://user:password@host:port/name?sslmode=...``
    (or ``postgresql://``) uses psycopg, query parameters becoming connection options.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_name(parts.netloc, parts.path, base_dir),
        }
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise SettingsError(f"DATABASE_URL names no database: {_redacted(url)}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme or 'nothing'}: "
        f"{_redacted(url)}"
    )


def _sqlite_name(netloc: str, path: str, base_dir: Path) -> str:
    if netloc == ":memory:" or (not netloc and path in {"", "/"}):
        return ":memory:"
    relative = path[1:] if path.startswith("/") else path
    target = Path(relative)
    return str(target if target.is_absolute() else base_dir / target)


def _redacted(url: str) -> str:
    """The URL without its password, fit for an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)
