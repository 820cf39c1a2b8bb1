"""Migrations keep what is saved: a populated database upgraded from the first schema loses nothing."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from workbench.db.models import Base
from workbench.db.session import Database, alembic_config, make_engine
from workbench.search import search

ROWS = [
    "INSERT INTO images (id, path, sha256, size_bytes, imported_at, state) VALUES "
    "(1, '/p/IMG_1.jpg', 'a', 10, '2026-01-01', 'done')",
    "INSERT INTO pages (id, image_id, part, width, height, transform) VALUES (1, 1, 0, 100, 200, '{}')",
    "INSERT INTO ocr_runs (id, page_id, engine, engine_version, languages, parameters, seconds_preprocess, "
    "seconds_ocr, word_count, created_at) VALUES (1, 1, 'tesseract', '5', 'rus', '{}', 0, 1, 3, '2026-01-01')",
    "INSERT INTO transcriptions (id, page_id, text, status, version, edited_by_person, updated_at) VALUES "
    "(1, 1, 'исправленный текст', 'in_progress', 2, 1, '2026-01-01')",
    "INSERT INTO revisions (id, transcription_id, version, text, status, source, author, created_at) VALUES "
    "(1, 1, 1, 'ocr', 'ocr_done', 'ocr', NULL, '2026-01-01'), "
    "(2, 1, 2, 'исправленный текст', 'in_progress', 'person', 'olena', '2026-01-01')",
]
COUNTED = ["images", "pages", "ocr_runs", "transcriptions", "revisions"]


def test_upgrading_a_populated_database_from_the_first_schema_keeps_every_row(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    with engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in COUNTED}
        kept = connection.execute(text("SELECT text, version FROM transcriptions")).one()
    assert counts == {"images": 1, "pages": 1, "ocr_runs": 1, "transcriptions": 1, "revisions": 2}
    assert tuple(kept) == ("исправленный текст", 2)
    with Session(engine) as session:  # pages read before the index existed are found too
        assert [h.page_id for h in search(session, "исправленного")] == [1]
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on for the workbench
    engine.dispose()


def test_the_migrations_build_the_schema_the_models_describe(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    tables = {t for t in inspect(db.engine).get_table_names() if not t.startswith("search_")} - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspect(db.engine).get_columns(name)} == set(table.columns.keys()), name
    db.dispose()
