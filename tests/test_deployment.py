"""The container recipe and the Makefile install from one list; migrations run once when processes start."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import yaml
from sqlalchemy import inspect

from workbench.db.session import Database

ROOT = Path(__file__).parents[1]


def packages(name: str) -> list[str]:
    lines = (ROOT / "docker" / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_the_makefile_and_the_dockerfile_share_the_package_list() -> None:
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert re.search(r"APT_LIST := docker/apt-packages.txt docker/apt-packages-test.txt", makefile)
    assert "COPY docker/apt-packages.txt" in dockerfile and "xargs apt-get install" in dockerfile
    assert {"tesseract-ocr", "tesseract-ocr-rus", "tesseract-ocr-ukr", "tesseract-ocr-osd"} <= set(
        packages("apt-packages.txt"))
    assert "chromium" in packages("apt-packages-test.txt")
    assert not re.search(r"apt-get install[^\n]*tesseract", dockerfile)  # no second list to drift


def test_compose_runs_web_worker_postgres_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    assert set(compose["services"]) == {"web", "worker", "postgres", "redis"}
    worker = compose["services"]["worker"]
    assert worker["command"] == ["workbench", "worker"]
    assert worker["environment"]["WORKBENCH_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert worker["environment"]["WORKBENCH_BROKER_URL"].startswith("redis://redis")
    assert "images:/data/images" in worker["volumes"]


def test_processes_starting_at_once_migrate_once(settings) -> None:  # type: ignore[no-untyped-def]
    errors: list[Exception] = []

    def start() -> None:
        try:
            Database(settings.resolved_database_url).dispose()
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = Database(settings.resolved_database_url)
    assert "jobs" in inspect(db.engine).get_table_names()
    db.dispose()
