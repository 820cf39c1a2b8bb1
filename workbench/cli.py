"""The `workbench` command: one click group; exceptions become exit codes here and only here."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workbench.config import Settings, ensure_instance, load_settings
from workbench.db.session import Database
from workbench.errors import BadInput, BatchHadFailures, WorkbenchError

if TYPE_CHECKING:
    from workbench.batch import BatchOptions

log = logging.getLogger("workbench")


@dataclass(slots=True)
class Context:
    settings: Settings

    def database(self) -> Database:
        return Database(self.settings.resolved_database_url)


pass_context = click.make_pass_decorator(Context)


class WorkbenchGroup(click.Group):
    """Turns the workbench's exceptions into a message and their exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(BadInput.exit_code)


@click.group(cls=WorkbenchGroup)
@click.option("--instance", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Instance folder: database, settings, derived images (default ./instance or "
                   "$WORKBENCH_INSTANCE_PATH).")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail.")
@click.pass_context
def cli(ctx: click.Context, instance: Path | None, verbose: bool) -> None:
    """OCR and transcription workbench for photos of archival files."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.DEBUG if verbose else logging.WARNING)
    ctx.obj = Context(settings=ensure_instance(load_settings(instance)))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Parallel processes (default: one per core).")
@click.option("--lang", "languages", default=None, help="Tesseract languages, e.g. rus or rus+ukr.")
@click.option("--force", is_flag=True, help="Read again pages already read (text a person edited is kept).")
@click.option("--no-preprocess", is_flag=True, help="Give Tesseract the photo as it is.")
@click.option("--queue", is_flag=True, help="Send the photos to the queue for `workbench worker`s to read.")
@click.option("--no-wait", is_flag=True, help="With --queue: return once queued, without following progress.")
@pass_context
def ocr(obj: Context, paths: tuple[Path, ...], jobs: int | None, languages: str | None, force: bool,
        no_preprocess: bool, queue: bool, no_wait: bool) -> None:
    """Read photos (files or folders) with Tesseract and store the text for correction."""
    from workbench.batch import BatchOptions, run_batch

    settings = obj.settings
    options = BatchOptions(languages=languages or settings.languages,
                           jobs=settings.jobs if jobs is None else jobs, force=force,
                           preprocess=not no_preprocess, timeout=settings.ocr_timeout,
                           tesseract=settings.tesseract or None,
                           derived_path=settings.derived_path.resolve())
    if queue:
        _ocr_on_queue(obj, list(paths), options, wait=not no_wait)
        return
    summary = run_batch(obj.database(), paths, options)
    for line in summary.lines():
        click.echo(line)
    if summary.failed:
        raise BatchHadFailures(f"{len(summary.failed)} photo(s) failed; the rest were stored")


def _ocr_on_queue(obj: Context, paths: list[Path], options: BatchOptions, *, wait: bool) -> None:
    from workbench.queue import enqueue, wait_for

    db = obj.database()
    job_id, summary = enqueue(obj.settings, db, paths, options)
    click.echo(f"job {job_id}: queued {summary_total(db, job_id)} photo(s); skipped "
               f"{len(summary.already_read)} already read, {len(summary.duplicates)} duplicate(s)")
    if not wait:
        click.echo("follow it with `workbench jobs` (workers: `workbench worker`)")
        return
    job = wait_for(db, job_id, report=lambda j: click.echo(f"  {j.done + j.failed}/{j.total} read"
                                                           + (f", {j.failed} failed" if j.failed else "")))
    click.echo(f"job {job_id}: {job.message or job.state.value}")
    if job.failed:
        raise BatchHadFailures(f"{job.failed} photo(s) failed; see `workbench jobs` and the page list")


def summary_total(db: Database, job_id: int) -> int:
    from workbench.db.models import Job

    with db.session() as session:
        job = session.get(Job, job_id)
        return job.total if job is not None else 0


@cli.command()
@click.option("--concurrency", "-c", type=click.IntRange(min=1), default=None,
              help="Pages read at once (default: one per core).")
@pass_context
def worker(obj: Context, concurrency: int | None) -> None:
    """Read queued photos (Celery worker; the broker, database and photos are shared by configuration)."""
    import os

    from workbench.queue import run_worker

    os.environ["OMP_THREAD_LIMIT"] = "1"
    obj.database().dispose()  # upgrade the schema once, here, before the workers fork
    run_worker(obj.settings, concurrency=concurrency or obj.settings.jobs or os.cpu_count() or 1)


@cli.command("jobs")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@pass_context
def jobs_command(obj: Context, limit: int) -> None:
    """The latest batches started from the web or the queue, with their progress."""
    from sqlalchemy import select

    from workbench.db.models import Job

    with obj.database().session() as session:
        for job in session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)):
            click.echo(f"job {job.id} ({job.kind}, {job.state.value}): {job.done + job.failed}/{job.total} read"
                       + (f", {job.failed} failed" if job.failed else "")
                       + (f" - {job.message.splitlines()[0]}" if job.message else ""))


@cli.command()
@click.option("--format", "fmt", default="txt", show_default=True,
              help="Export format: txt, json, csv, docx, hocr, alto, page, tei, pdf, iiif.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("transcriptions"),
              show_default=True)
@click.option("--status", type=click.Choice(["verified", "any"]), default="verified", show_default=True,
              help="Export verified pages only, or every page.")
@click.option("--cite", "cite", default=None, help='Only pages under this citation, e.g. "TsDAHO f. 1, op. 1".')
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the editor serves page images, for the IIIF manifest.")
@pass_context
def export(obj: Context, fmt: str, out: Path, status: str, cite: str | None, base_url: str) -> None:
    """Write transcriptions to files: one per page, one per file (delo) in leaf order, and a manifest."""
    from workbench.export import MANIFEST, export_pages

    written = export_pages(obj.database(), fmt=fmt, out=out, verified_only=status == "verified", cite=cite,
                           derived_path=obj.settings.derived_path.resolve(),
                           image_url=lambda page: f"{base_url.rstrip('/')}/files/pages/{page.id}.jpg")
    click.echo(f"wrote {len(written) - 1} file(s) to {out}, listed in {out / MANIFEST}")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--page", "page_id", type=int, default=None, help="The page to put the layer on (default: matched "
              "by the image file name the document gives, or the document's own name).")
@pass_context
def import_(obj: Context, files: tuple[Path, ...], page_id: int | None) -> None:
    """Import ALTO, PAGE or hOCR from other tools as a transcription layer with boxes; all files or none."""
    from workbench.export.importer import import_file

    if page_id is not None and len(files) > 1:
        raise BadInput("--page names one page: give one file with it")
    with obj.database().session(write=True) as session:
        results = [r for path in files for r in import_file(session, path, page_id=page_id)]
    for r in results:
        kept = "" if r.text_replaced else " (a person's text kept; the layer is stored beside it)"
        click.echo(f"{r.source}: {r.kind} layer with {r.lines} line(s) on page {r.page_id}{kept}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Request threads; Python runs one at a time, so a few per core is enough.")
@pass_context
def serve(obj: Context, host: str, port: int, threads: int) -> None:
    """Serve the side-by-side editor."""
    from waitress import serve as waitress_serve

    from workbench.web import create_app

    app = create_app(settings=obj.settings)
    _first_admin(obj)
    click.echo(f"serving the editor on http://{host}:{port}/")
    waitress_serve(app, host=host, port=port, threads=threads)


@cli.command()
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--debug", "debug_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for every stage's image.")
def preprocess(images: tuple[Path, ...], debug_dir: Path) -> None:
    """Run the preprocessing pipeline and write every stage's image, to see what each step did."""
    from workbench.batch import collect_photos
    from workbench.imaging.load import load_photo
    from workbench.imaging.pipeline import PipelineOptions, debug_writer, prepare

    debug_dir.mkdir(parents=True, exist_ok=True)
    for path in collect_photos(images):
        before = set(debug_dir.iterdir())
        pages = prepare(load_photo(path), PipelineOptions(), debug=debug_writer(debug_dir, path.stem))
        written = sorted(set(debug_dir.iterdir()) - before)
        seconds = sum({id(s): s.seconds for p in pages for s in p.steps}.values())
        click.echo(f"{path}: {len(pages)} page(s), {len(written)} stage image(s), {seconds:.2f} s")
        for step in {id(s): s for p in pages for s in p.steps}.values():
            click.echo(f"  {step.name:<14} {step.seconds:6.3f} s  {step.params}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cite", required=True, help='The first photo\'s citation, e.g. "TsDAHO f. 1, op. 1, d. 42, l. 61".')
@click.option("--step", type=click.Choice(["leaf", "side"]), default="leaf", show_default=True,
              help="Number on one leaf per photo, or recto and verso alternating.")
@pass_context
def tag(obj: Context, paths: tuple[Path, ...], cite: str, step: str) -> None:
    """Tag a run of photos (in capture order) to a file, numbering the leaves on from the cited one."""
    from workbench.archive.citation import format_citation, format_side, parse_citation
    from workbench.batch import collect_photos, file_sha256
    from workbench.db.store import image_by_hash
    from workbench.db.tags import file_view, tag_run

    citation, style = parse_citation(cite)
    photos = collect_photos(paths)
    with obj.database().session(write=True) as session:
        images = []
        for path in photos:
            image = image_by_hash(session, file_sha256(path))
            if image is None:
                raise BadInput(f"{path} has not been read yet: run `workbench ocr` on it first")
            images.append(image)
        tagged = tag_run(session, images, citation, step)  # type: ignore[arg-type]
        view = file_view(session, tagged[0].page.delo_id)  # type: ignore[arg-type]
        click.echo(f"tagged {len(tagged)} page(s) of {len(images)} photo(s) to "
                   f"{format_citation(citation.with_leaves(None), style)}: "
                   f"{format_side(tagged[0].side, style)} to {format_side(tagged[-1].side, style)}")
        if view.report.gaps:
            click.echo(f"  gaps in the file's leaves: {', '.join(map(str, view.report.gaps))}")
        if view.report.duplicates:
            click.echo("  photographed more than once (the better photo is chosen, the rest marked retakes): "
                       + ", ".join(format_side(s, style) for s in view.report.duplicates))


@cli.group()
def tags() -> None:
    """Tags (file and leaf of every photo) as CSV."""


@tags.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), required=False)
@pass_context
def tags_export(obj: Context, out: Path | None) -> None:
    """Write every page's tag as CSV (to OUT, or to the terminal)."""
    from workbench.db.tags import export_csv
    from workbench.export import write_atomically

    with obj.database().session() as session:
        text = export_csv(session)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomically(out, text.encode("utf-8"))
        click.echo(f"wrote {out}")


@tags.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def tags_import(obj: Context, source: Path) -> None:
    """Read tags from CSV (columns citation and sha256 or file_name, optionally part); all rows or none."""
    from workbench.db.tags import import_csv

    try:
        text = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{source} is not UTF-8 text ({exc})") from None
    with obj.database().session(write=True) as session:
        count = import_csv(session, text)
    click.echo(f"tagged {count} page(s) from {source}")


@cli.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--archive")
@click.option("--fond")
@click.option("--opis")
@click.option("--delo")
@click.option("--status", type=click.Choice(["new", "ocr_done", "in_progress", "needs_review", "verified"]))
@click.option("--exact", is_flag=True, help="No fuzzy matching of OCR errors.")
@pass_context
def search_command(obj: Context, query: str, as_json: bool, limit: int, archive: str | None, fond: str | None,
                   opis: str | None, delo: str | None, status: str | None, exact: bool) -> None:
    """Find pages by words or names, in Cyrillic or in transliteration ("quoted phrases" too)."""
    import html
    import json

    from workbench.search import Filters, search

    filters = Filters(archive=archive, fond=fond, opis=opis, delo=delo, status=status)
    with obj.database().session() as session:
        hits = search(session, query, filters=filters, limit=limit, fuzzy=not exact)
    if as_json:
        click.echo(json.dumps([{"page_id": h.page_id, "image": h.image_name, "citation": h.citation,
                                "status": h.status, "verified": h.verified, "score": round(h.score, 4),
                                "snippet": str(h.snippet)} for h in hits], ensure_ascii=False, indent=2))
        return
    for h in hits:
        mark = "verified" if h.verified else h.status.replace("_", " ")
        snippet = html.unescape(str(h.snippet).replace("<mark>", "[").replace("</mark>", "]"))
        click.echo(f"{h.citation or h.image_name} (page {h.page_id}, {mark})\n    {snippet}")
    click.echo(f"{len(hits)} page(s)")


@cli.command()
@pass_context
def reindex(obj: Context) -> None:
    """Rebuild the search index from every page's current text."""
    from workbench.search import reindex as rebuild

    with obj.database().session(write=True) as session:
        count = rebuild(session)
    click.echo(f"indexed {count} page(s)")


@cli.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def backup_command(obj: Context, out: Path) -> None:
    """A consistent copy of the database, safe while the editor and batches run."""
    from workbench.db.backup import backup

    backup(obj.settings.resolved_database_url, out)
    click.echo(f"backed up to {out}")


@cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current database.")
@pass_context
def restore_command(obj: Context, source: Path, yes: bool) -> None:
    """Bring a backup back; the database it replaces is kept in the instance folder first."""
    from workbench.db.backup import restore

    if not yes:
        click.confirm(f"Replace the current database with {source}?", abort=True)
    kept = restore(obj.settings.resolved_database_url, source, keep_dir=obj.settings.instance_path)
    click.echo(f"restored {source}" + (f"; the replaced database is kept as {kept}" if kept else ""))


def _first_admin(obj: Context) -> None:
    """With no users yet, make an admin with a random password, so a fresh `make run` can log in."""
    import os
    import secrets

    from workbench.db.models import Role
    from workbench.db.users import add_user, count_users

    with obj.database().session() as session:
        if count_users(session):
            return
        password = secrets.token_urlsafe(12)
        add_user(session, "admin", password, Role.ADMIN)
    path = obj.settings.instance_path / "initial_admin_password"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")
    click.echo(f"made the first user: admin, password {password} (also in {path}); "
               "add others with `workbench user add NAME --role ROLE`")


@cli.group()
def user() -> None:
    """Manage the people who log in."""


def _password(prompt: bool) -> str:
    import os

    from_env = os.environ.get("WORKBENCH_PASSWORD")
    if from_env:
        return from_env
    if not prompt:
        raise BadInput("give the password in WORKBENCH_PASSWORD or at the prompt")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["transcriber", "reviewer", "admin"]), default="transcriber",
              show_default=True)
@pass_context
def user_add(obj: Context, name: str, role: str) -> None:
    """Add a user; the password comes from WORKBENCH_PASSWORD or a prompt."""
    from workbench.db.users import add_user, parse_role

    password = _password(prompt=True)
    with obj.database().session() as session:
        add_user(session, name, password, parse_role(role))
    click.echo(f"added {name} as {role}")


@user.command("passwd")
@click.argument("name")
@pass_context
def user_passwd(obj: Context, name: str) -> None:
    """Set a user's password, from WORKBENCH_PASSWORD or a prompt."""
    from workbench.db.users import set_password

    password = _password(prompt=True)
    with obj.database().session() as session:
        set_password(session, name, password)
    click.echo(f"password of {name} changed")


def main() -> None:
    cli(prog_name="workbench")


if __name__ == "__main__":
    main()
