"""Batch OCR spread over machines: Celery with a Redis broker, workers sharing the database and the photos.

Tasks are acknowledged late and rejected when their worker dies, so a page a killed worker held is handed
out again; storing is idempotent per job (batch.store_result), so no page is read into the database twice.
Nothing reads or connects at import: the Celery app is made from the settings by ``make_celery``; only the
hook that sets up a worker's pool processes is registered.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from sqlalchemy.exc import SQLAlchemyError

from workbench.batch import (
    BatchOptions,
    BatchSummary,
    count_on_job,
    init_worker,
    ocr_meta,
    plan_batch,
    read_photo,
    store_result,
)
from workbench.config import Settings
from workbench.db.models import Job, JobState
from workbench.db.session import Database

log = logging.getLogger(__name__)

TASK = "workbench.ocr_photo"
_DATABASES: dict[str, Database] = {}  # one engine per worker process, made on its first task


@worker_process_init.connect
def _prepare_pool_process(**_: Any) -> None:
    """Each pool process of a worker reads pages as batch's own workers do: one thread each for OpenCV and
    Tesseract (the worker's concurrency is the parallelism), freed memory kept for the next page."""
    init_worker()
    log.info("pool process %d ready: one thread each for OpenCV and Tesseract", os.getpid())


def make_celery(settings: Settings) -> Celery:
    app = Celery("workbench", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue_name,
        # a worker killed while it restored a dead worker's tasks holds Redis's restore lock until it expires
        # (kombu's default, 300 s): no longer than the visibility timeout, or a short one waits for the lock
        broker_transport_options={"visibility_timeout": settings.queue_visibility_timeout,
                                  "unacked_mutex_expire": min(300.0, settings.queue_visibility_timeout)},
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        task_ignore_result=True,
    )

    @app.task(name=TASK)
    def ocr_photo(path: str, sha256: str, options: dict[str, Any], job_id: int) -> str:
        return run_task(settings, Path(path), sha256, options, job_id)

    return app


def _database(url: str) -> Database:
    if url not in _DATABASES:
        _DATABASES[url] = Database(url, migrate=False)
    return _DATABASES[url]


def _options_json(options: BatchOptions) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(options).items()}


def _options(data: dict[str, Any]) -> BatchOptions:
    return BatchOptions(**{**data, "derived_path": Path(data["derived_path"])})


def run_task(settings: Settings, path: Path, sha256: str, options_data: dict[str, Any], job_id: int) -> str:
    """One photo, in a worker: read it, store it once for this job, count it on the job."""
    db = _database(settings.resolved_database_url)
    options = _options(options_data)
    result = read_photo(path, sha256, options)
    try:
        if not store_result(db, result, ocr_meta(options), BatchSummary(), job_id=job_id):
            return "already stored by this job"
    except SQLAlchemyError as exc:  # counted as failed, so the job still ends
        log.exception("could not store %s", path)
        with db.session(write=True) as session:
            count_on_job(session, job_id, failed=True)
        return f"could not store it: {exc.__class__.__name__}"
    return result.error or "read"


def enqueue(settings: Settings, db: Database, paths: list[Path], options: BatchOptions, *,
            author: str | None = None) -> tuple[int, BatchSummary]:
    """Register the photos, make a job for those to read, and send one task per photo."""
    ocr_meta(options)  # fail here, not in every worker, when Tesseract or its language data is missing
    summary = BatchSummary()
    todo = plan_batch(db, paths, options, summary)
    with db.session(write=True) as session:
        job = Job(kind="queue", state=JobState.QUEUED if todo else JobState.DONE, total=len(todo), author=author,
                  message=None if todo else "nothing to read")
        session.add(job)
        session.flush()
        job_id = job.id
    app = make_celery(settings)
    data = _options_json(options)
    for path, sha in todo:
        app.send_task(TASK, args=[str(path), sha, data, job_id], queue=settings.queue_name)
    log.info("queued %d photo(s) as job %d", len(todo), job_id)
    return job_id, summary


def wait_for(db: Database, job_id: int, *, poll: float = 1.0, timeout: float | None = None,
             report: Any = None) -> Job:
    """Follow a job until its photos are all counted; ``report(job)`` is called as it moves."""
    started = time.monotonic()
    last = (-1, -1)
    while True:
        with db.session() as session:
            job = session.get(Job, job_id)
            assert job is not None
            session.expunge(job)
        if report is not None and (job.done, job.failed) != last:
            report(job)
            last = (job.done, job.failed)
        if job.state in (JobState.DONE, JobState.FAILED):
            return job
        if timeout is not None and time.monotonic() - started > timeout:
            return job
        time.sleep(poll)


def run_worker(settings: Settings, *, concurrency: int, loglevel: str = "INFO") -> None:
    app = make_celery(settings)
    app.worker_main(["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "-Q", settings.queue_name,
                     "--without-gossip", "--without-mingle", "--pool=prefork"])
