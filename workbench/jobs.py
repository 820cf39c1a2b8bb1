"""Batches started from the web, run beside it, with progress kept in a Job row the browser polls."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.batch import BatchOptions, PhotoResult, run_batch
from workbench.db.models import Job, JobState, utcnow
from workbench.db.session import Database
from workbench.errors import NotFound

log = logging.getLogger(__name__)


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def _update(db: Database, job_id: int, **values: object) -> None:
    with db.session(write=True) as session:
        job = get_job(session, job_id)
        for name, value in values.items():
            setattr(job, name, value)
        job.updated_at = utcnow()


def start_ocr_job(db: Database, paths: list[Path], options: BatchOptions, *, author: str | None) -> int:
    """Create the job and read the photos in a thread of this process; returns the job's id at once."""
    with db.session(write=True) as session:
        job = Job(kind="ocr", state=JobState.QUEUED, total=len(paths), author=author)
        session.add(job)
        session.flush()
        job_id = job.id
    thread = threading.Thread(target=_run, args=(db, job_id, paths, options), name=f"job-{job_id}", daemon=True)
    thread.start()
    return job_id


def _run(db: Database, job_id: int, paths: list[Path], options: BatchOptions) -> None:
    counts = {"done": 0, "failed": 0}

    def progress(result: PhotoResult) -> None:
        counts["failed" if result.error else "done"] += 1
        _update(db, job_id, **counts)

    _update(db, job_id, state=JobState.RUNNING)
    try:
        summary = run_batch(db, paths, options, on_result=progress, bar=False)
    except Exception as exc:  # the job row must say why, whatever went wrong
        log.exception("job %d failed", job_id)
        _update(db, job_id, state=JobState.FAILED, message=str(exc))
        return
    skipped = len(summary.already_read) + len(summary.duplicates)
    message = f"read {len(summary.read)}, already there {skipped}, failed {len(summary.failed)}"
    message += "".join(f"\n{path.name}: {reason}" for path, reason in summary.failed)
    _update(db, job_id, state=JobState.DONE, done=len(summary.read) + skipped, failed=len(summary.failed),
            message=message)
