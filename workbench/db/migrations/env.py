"""Alembic environment: runs on the engine the workbench hands over, or on sqlalchemy.url."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine, text

from workbench.db.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """The search index is made by hand (FTS5 or tsvector), not from the models; autogenerate leaves it be."""
    return not (type_ == "table" and name is not None and name.startswith("search_"))


def run_migrations_online() -> None:
    engine: Engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one; with foreign keys on, that drop
            # would delete every row that refers to it (transcriptions, OCR runs) through ON DELETE CASCADE.
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=sqlite,
                          include_object=include_object)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            connection.execute(text("PRAGMA foreign_keys=ON"))
            connection.commit()
            if broken:
                raise RuntimeError(f"the migration left rows whose references are broken: {broken[:5]}")


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
