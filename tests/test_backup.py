"""Backup while writing, restore, compare: on SQLite (online backup API) and PostgreSQL (pg_dump)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import invoke
from tests.test_tagging import stored_photos
from workbench.db.models import Revision, Transcription
from workbench.db.session import Database
from workbench.db.store import save_text


def snapshot(db: Database) -> dict[int, tuple[str, int, int]]:
    """Each transcription's text, version and number of revisions: equal counts mean a consistent copy."""
    with db.session() as session:
        revisions = {t: 0 for t in session.scalars(select(Transcription.id))}
        for r in session.scalars(select(Revision)):
            revisions[r.transcription_id] += 1
        return {t.page_id: (t.text, t.version, revisions[t.id]) for t in session.scalars(select(Transcription))}


def keep_saving(db: Database, page_ids: list[int], stop: threading.Event) -> None:
    versions = {page_id: 1 for page_id in page_ids}
    n = 0
    while not stop.is_set() and n < 400:
        page_id = page_ids[n % len(page_ids)]
        with db.session(write=True) as session:
            versions[page_id] = save_text(session, page_id, text=f"правка {n}", base_version=versions[page_id],
                                          author="olena").version
        n += 1


def backup_while_writing(runner, settings, db, out: Path) -> None:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    writer = threading.Thread(target=keep_saving, args=(db, [1, 2, 3], stop))
    writer.start()
    try:
        result = invoke(runner, settings, "backup", str(out))
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output


@pytest.mark.sqlite_only
def test_sqlite_backup_while_writing_then_restore(runner, settings, db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", 3)
    out = tmp_path / "backups" / "workbench.sqlite3"
    backup_while_writing(runner, settings, db, out)
    copy = Database(f"sqlite:///{out}")
    copied = snapshot(copy)
    copy.dispose()
    assert all(version == revisions for _, version, revisions in copied.values())  # consistent
    with db.session() as session:
        save_text(session, 1, text="после копии", base_version=snapshot(db)[1][1], author="roman")
    after = snapshot(db)
    restored = invoke(runner, settings, "restore", str(out), "--yes")
    assert restored.exit_code == 0 and "the replaced database is kept as" in restored.output
    assert snapshot(db) == copied
    kept = next(settings.instance_path.glob("before-restore-*.sqlite3"))
    kept_db = Database(f"sqlite:///{kept}")
    assert snapshot(kept_db) == after  # what the restore replaced is not lost
    kept_db.dispose()


@pytest.mark.sqlite_only
def test_restore_refuses_what_is_not_a_backup(runner, settings, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.sqlite3").write_text("not a database")
    result = invoke(runner, settings, "restore", str(tmp_path / "notes.sqlite3"), "--yes")
    assert result.exit_code == 2 and "not a SQLite backup" in result.output
    missing = invoke(runner, settings, "restore", str(tmp_path / "none"), "--yes")
    assert missing.exit_code == 2 and "no such backup" in missing.output


@pytest.mark.postgres_only
def test_postgres_backup_and_restore(runner, settings, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", 3)
    out = tmp_path / "pg.dump"
    backup_while_writing(runner, settings, db, out)
    with db.session() as session:
        save_text(session, 2, text="после копии", base_version=snapshot(db)[2][1], author="roman")
    db.dispose()
    restored = invoke(runner, settings, "restore", str(out), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "the replaced database is kept as" in restored.output
    back = snapshot(db)
    assert all(version == revisions for _, version, revisions in back.values())  # a consistent copy
    assert back[2][0] != "после копии"
