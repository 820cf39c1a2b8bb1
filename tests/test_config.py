from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import ensure_instance, load_settings
from workbench.errors import ConfigError


def test_layers_defaults_then_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKBENCH_LANGUAGES", raising=False)
    monkeypatch.delenv("WORKBENCH_DATABASE_URL", raising=False)
    assert load_settings(tmp_path).languages == "rus"
    assert load_settings(tmp_path).resolved_database_url == f"sqlite:///{tmp_path.resolve()}/workbench.sqlite3"
    (tmp_path / "config.toml").write_text('languages = "rus+ukr"\njobs = 3\n')
    assert (load_settings(tmp_path).languages, load_settings(tmp_path).jobs) == ("rus+ukr", 3)
    monkeypatch.setenv("WORKBENCH_LANGUAGES", "ukr")
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", "postgresql://localhost/test")
    settings = load_settings(tmp_path)
    assert settings.languages == "ukr" and settings.resolved_database_url == "postgresql://localhost/test"


def test_bad_settings_are_clear_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_JOBS", "many")
    with pytest.raises(ConfigError, match="jobs"):
        load_settings(tmp_path)
    monkeypatch.delenv("WORKBENCH_JOBS")
    (tmp_path / "config.toml").write_text("colour = 'red'\n")
    with pytest.raises(ConfigError, match="unknown settings colour"):
        load_settings(tmp_path)


def test_the_secret_key_is_generated_once_into_the_instance(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("WORKBENCH_SECRET_KEY", raising=False)
    first = ensure_instance(load_settings(tmp_path / "inst"))
    second = ensure_instance(load_settings(tmp_path / "inst"))
    assert len(first.secret_key) == 64 and first.secret_key == second.secret_key
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0
