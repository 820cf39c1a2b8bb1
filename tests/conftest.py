from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageDraw, ImageFont

from workbench.config import Settings, ensure_instance, load_settings
from workbench.db.session import Database

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf")

# Short texts of the project's own, in the typewritten register of the files
TEXTS = {
    "protocol": "Протокол заседания бюро\nСлушали: доклад т. Шляпникова\nо работе Южбюро.",
    "order": "Постановили: принять к сведению.\nСекретарь Лутовинов",
    "letter": "Товарищу Петренко.\nПрошу выслать копии отчёта\nза март 1923 года.",
}


def draw_page(path: Path, text: str, *, size: int = 30) -> Path:
    """A small clean scan of a page (portrait, margins) with typewriter-like text: quick for Tesseract."""
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (int(size * 26), int(size * 36)), 255)
    ImageDraw.Draw(image).multiline_text((size * 3, size * 4), text, font=font, fill=0, spacing=int(size * 0.6))
    image.save(path)
    return path


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    draw_page(folder / "IMG_0001.png", TEXTS["protocol"])
    draw_page(folder / "IMG_0002.PNG", TEXTS["order"])
    draw_page(folder / "IMG_0003.jpg", TEXTS["letter"])
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Every test that touches the database runs on SQLite and on PostgreSQL."""
    if request.param == "postgresql" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about SQLite itself")
    if request.param == "sqlite" and request.node.get_closest_marker("postgres_only"):
        pytest.skip("about PostgreSQL itself")
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, request: pytest.FixtureRequest) -> Settings:
    for key in ("WORKBENCH_DATABASE_URL", "WORKBENCH_LANGUAGES", "WORKBENCH_JOBS", "WORKBENCH_INSTANCE_PATH"):
        monkeypatch.delenv(key, raising=False)
    url = request.getfixturevalue("postgres_url") if backend == "postgresql" else None
    if url:
        monkeypatch.setenv("WORKBENCH_DATABASE_URL", url)  # for the CLI and the subprocesses tests start
    return ensure_instance(load_settings(tmp_path / "instance", upload_path=tmp_path / "uploaded", database_url=url))


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.resolved_database_url)
    yield database
    database.dispose()


POSTGRES_ADMIN_URL = os.environ.get("WORKBENCH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the PostgreSQL server of this machine (and of CI), dropped afterwards."""
    from sqlalchemy import create_engine, text

    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"workbench_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - the message names what to start
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is needed for this test: {exc}")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def runner(settings: Settings) -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, settings: Settings, *args: str):  # type: ignore[no-untyped-def]
    from workbench.cli import cli

    return runner.invoke(cli, ["--instance", str(settings.instance_path), *args], catch_exceptions=False)


PASSWORD = "correct horse battery"
PEOPLE = {"tanya": "transcriber", "roman": "reviewer", "ada": "admin"}


@pytest.fixture
def app(settings: Settings, db: Database) -> Flask:
    from workbench.db.models import Role
    from workbench.db.users import add_user
    from workbench.web import create_app

    with db.session() as session:
        for name, role in PEOPLE.items():
            add_user(session, name, PASSWORD, Role(role))
    return create_app({"TESTING": True}, settings=settings)


def login(client: FlaskClient, name: str, password: str = PASSWORD) -> FlaskClient:
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "name": name,
                                           "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A reviewer, logged in."""
    return login(app.test_client(), "roman")


@pytest.fixture
def transcriber(app: Flask) -> FlaskClient:
    return login(app.test_client(), "tanya")


@pytest.fixture
def page_ids(runner: CliRunner, settings: Settings, db: Database, photos: Path) -> list[int]:
    """The three photos read by the real Tesseract; their page ids in file order."""
    from workbench.db.store import list_pages

    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    with db.session() as session:
        return [p.id for p in list_pages(session)]


def csrf_token(client: FlaskClient, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "the page carries no CSRF token"
    return match.group(1)
