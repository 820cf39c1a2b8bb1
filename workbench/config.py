"""Settings in layers: defaults, then the instance file, then WORKBENCH_* environment variables."""

from __future__ import annotations

import logging
import os
import secrets
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError

log = logging.getLogger(__name__)

ENV_PREFIX = "WORKBENCH_"
CONFIG_FILE = "config.toml"
SECRET_FILE = "secret_key"


@dataclass(frozen=True, slots=True)
class Settings:
    instance_path: Path = Path("instance")
    database_url: str = ""  # empty: a SQLite file in the instance folder
    languages: str = "rus"
    jobs: int = 0  # 0: one process per core
    ocr_timeout: float = 180.0  # seconds per page
    tesseract: str = ""  # the Tesseract program; empty: `tesseract` on the PATH
    web_image_size: int = 2000  # long side of the image the browser gets
    secret_key: str = ""  # empty: generated once into the instance folder
    broker_url: str = "redis://127.0.0.1:6379/0"  # the Celery broker for `ocr --queue` and `worker`
    queue_name: str = "workbench"
    queue_visibility_timeout: float = 3600.0  # seconds before a task a dead worker held is handed out again
    upload_path: Path = Path("images/uploaded")  # where photos added from the browser are kept
    max_upload_mb: int = 100  # per photo
    secure_cookies: int = 0  # 1 behind HTTPS: the session cookie is then sent over HTTPS only
    login_attempts: int = 5  # failed logins per name and address within login_window before a wait
    login_window: float = 900.0  # seconds

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.instance_path / 'workbench.sqlite3').resolve()}"

    @property
    def derived_path(self) -> Path:
        """Page images made by the pipeline and web-size copies; all can be made again."""
        return self.instance_path / "derived"


def _coerce(name: str, raw: Any, kind: type) -> Any:
    try:
        if kind is Path:
            return Path(raw)
        if kind in (int, float):
            return kind(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: cannot use {raw!r} ({exc})") from exc


def load_settings(instance_path: Path | None = None, **overrides: Any) -> Settings:
    env = os.environ
    path = instance_path or Path(env.get(f"{ENV_PREFIX}INSTANCE_PATH", "instance"))
    values: dict[str, Any] = {}
    config_file = path / CONFIG_FILE
    if config_file.is_file():
        try:
            values.update(tomllib.loads(config_file.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: {exc}") from exc
    types = {f.name: f.type for f in fields(Settings)}
    kinds = {"Path": Path, "str": str, "int": int, "float": float}
    unknown = set(values) - set(types)
    if unknown:
        raise ConfigError(f"{config_file}: unknown settings {', '.join(sorted(unknown))}")
    for name in types:
        key = f"{ENV_PREFIX}{name.upper()}"
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["instance_path"] = path
    settings = Settings(**{k: _coerce(k, v, kinds[str(types[k])]) for k, v in values.items()})
    if settings.jobs < 0 or settings.ocr_timeout <= 0:
        raise ConfigError("jobs must be 0 or more and ocr_timeout above 0")
    return settings


def ensure_instance(settings: Settings) -> Settings:
    """Create the instance folder and a secret key kept there, never in the code."""
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    settings.derived_path.mkdir(exist_ok=True)
    if settings.secret_key:
        return settings
    secret_file = settings.instance_path / SECRET_FILE
    if not secret_file.exists():
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        log.info("generated a secret key in %s", secret_file)
    return replace(settings, secret_key=secret_file.read_text().strip())
