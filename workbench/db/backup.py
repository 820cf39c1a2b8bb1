"""Consistent copies of the database while the workbench runs, and bringing one back.

SQLite uses its online backup API (a consistent snapshot even while the editor and a batch write);
PostgreSQL uses pg_dump and pg_restore. Restoring first keeps a copy of what is being replaced.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from workbench.errors import BadInput, MissingDependency, WorkbenchError

log = logging.getLogger(__name__)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BadInput("an in-memory database cannot be backed up")
    return Path(database)


def _libpq_url(url: str) -> str:
    """pg_dump speaks libpq, which knows postgresql:// but not SQLAlchemy's driver suffix."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise MissingDependency(f"{command[0]} is not installed: apt-get install postgresql-client")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise WorkbenchError(f"{command[0]} failed: {result.stderr.strip()}")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page by page through SQLite's backup API, into a temporary file renamed into place."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(tmp) as dst:
        src.backup(dst)
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise WorkbenchError(f"the copy of {source} failed its integrity check")
    src.close()
    dst.close()
    tmp.replace(target)


def backup(url: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise BadInput(f"there is no database at {source} yet")
        _sqlite_copy(source, out)
    elif url.startswith("postgresql"):
        tmp = out.with_name(f".{out.name}.tmp")
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", _libpq_url(url)])
        tmp.replace(out)
    else:
        raise BadInput(f"backup knows SQLite and PostgreSQL, not {make_url(url).drivername}")
    log.info("backed up the database to %s", out)
    return out


def restore(url: str, source: Path, *, keep_dir: Path) -> Path | None:
    """Bring a backup back; returns where the replaced database was kept (SQLite), so nothing is lost."""
    if not source.is_file():
        raise BadInput(f"{source}: no such backup file")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # two restores in one second keep both copies
    keep_dir.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        with sqlite3.connect(source) as check:
            try:
                tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            except sqlite3.DatabaseError as exc:
                raise BadInput(f"{source} is not a SQLite backup ({exc})") from None
        check.close()
        if "alembic_version" not in tables:
            raise BadInput(f"{source} is not a workbench database backup")
        target = _sqlite_path(url)
        kept = None
        if target.exists():
            kept = keep_dir / f"before-restore-{stamp}.sqlite3"
            _sqlite_copy(target, kept)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return kept
    if url.startswith("postgresql"):
        kept = keep_dir / f"before-restore-{stamp}.pgdump"
        backup(url, kept)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)])
        return kept
    raise BadInput(f"restore knows SQLite and PostgreSQL, not {make_url(url).drivername}")
