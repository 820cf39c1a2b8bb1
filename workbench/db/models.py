"""SQLAlchemy 2.0 models: photos, the pages cut from them, OCR runs with their layout, and
transcriptions with every revision. OCR runs and human revisions are separate rows, so neither
ever overwrites the other."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


# Named constraints, so later migrations can alter them on SQLite too
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class ImageState(enum.StrEnum):
    NEW = "new"
    DONE = "done"
    FAILED = "failed"


class Status(enum.StrEnum):
    """A page's place in the work: as transcribers and reviewers see it."""

    NEW = "new"
    OCR_DONE = "ocr_done"
    IN_PROGRESS = "in_progress"
    NEEDS_REVIEW = "needs_review"
    VERIFIED = "verified"


class Role(enum.StrEnum):
    """Transcribers edit; reviewers also verify; admins also manage users."""

    TRANSCRIBER = "transcriber"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def can_verify(self) -> bool:
        return self in (Role.REVIEWER, Role.ADMIN)


class RevisionSource(enum.StrEnum):
    OCR = "ocr"
    PERSON = "person"


def _enum(kind: type[enum.Enum]) -> SqlEnum:
    return SqlEnum(kind, values_callable=lambda k: [m.value for m in k], native_enum=False, length=20,
                   validate_strings=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.TRANSCRIBER)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SourceImage(Base):
    """A photo as the historian took it; identified by its content, not its path."""

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int]
    width: Mapped[int | None]  # upright, after the EXIF orientation
    height: Mapped[int | None]
    exif_orientation: Mapped[int | None]
    captured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[ImageState] = mapped_column(_enum(ImageState), default=ImageState.NEW)
    error: Mapped[str | None] = mapped_column(Text)
    phash: Mapped[str | None] = mapped_column(String(16), index=True)  # perceptual hash, for near-duplicates
    # the queued job that last stored this photo's OCR: a task delivered twice stores once
    last_job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))

    pages: Mapped[list[Page]] = relationship(back_populates="image", order_by="Page.part",
                                             cascade="all, delete-orphan")

    @property
    def stem(self) -> str:
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] if "." in name else name


class Delo(Base):
    """An archival file: archive, fond, opis, delo (sprava), with its title and dates."""

    __tablename__ = "delos"
    __table_args__ = (UniqueConstraint("archive", "fond", "opis", "delo"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    archive: Mapped[str] = mapped_column(String(40), default="")
    fond: Mapped[str] = mapped_column(String(40))
    opis: Mapped[str] = mapped_column(String(40))
    delo: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text)
    dates: Mapped[str | None] = mapped_column(String(80))

    pages: Mapped[list[Page]] = relationship(back_populates="delo_row")


class Page(Base):
    """A page cut from a photo: the whole photo (part 0) or one side of a spread (1 left, 2 right)."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("image_id", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), index=True)
    part: Mapped[int] = mapped_column(default=0)
    width: Mapped[int]
    height: Mapped[int]
    derived_file: Mapped[str | None] = mapped_column(Text)  # the corrected page image, in the instance
    transform: Mapped[dict[str, Any]] = mapped_column(default=dict)  # page pixel -> photo pixel
    sharpness: Mapped[float | None]  # variance of the Laplacian, to choose between retakes
    # its place in the file: the first side it shows and, for a page that shows several, the last
    delo_id: Mapped[int | None] = mapped_column(ForeignKey("delos.id", ondelete="SET NULL"), index=True)
    leaf_number: Mapped[int | None]
    leaf_suffix: Mapped[str] = mapped_column(String(8), default="")
    leaf_verso: Mapped[bool] = mapped_column(default=False)
    last_number: Mapped[int | None]
    last_suffix: Mapped[str] = mapped_column(String(8), default="")
    last_verso: Mapped[bool] = mapped_column(default=False)
    # set on a page whose side was photographed again and the other photo chosen
    retake_of: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))

    image: Mapped[SourceImage] = relationship(back_populates="pages")
    delo_row: Mapped[Delo | None] = relationship(back_populates="pages")
    ocr_runs: Mapped[list[OcrRun]] = relationship(back_populates="page", order_by="OcrRun.id",
                                                  cascade="all, delete-orphan")
    transcription: Mapped[Transcription] = relationship(back_populates="page", cascade="all, delete-orphan")


class OcrRun(Base):
    __tablename__ = "ocr_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    engine: Mapped[str] = mapped_column(String(40))
    engine_version: Mapped[str] = mapped_column(String(40))
    languages: Mapped[str] = mapped_column(String(80))
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)  # engine options and pipeline steps
    seconds_preprocess: Mapped[float] = mapped_column(Float, default=0.0)
    seconds_ocr: Mapped[float] = mapped_column(Float, default=0.0)
    mean_confidence: Mapped[float | None]
    word_count: Mapped[int] = mapped_column(default=0)
    # Tesseract's words were mostly noise (handwriting): the lines come from OpenCV, the text from a person
    handwriting: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[Page] = relationship(back_populates="ocr_runs")
    blocks: Mapped[list[OcrBlock]] = relationship(back_populates="run", order_by="OcrBlock.seq",
                                                  cascade="all, delete-orphan")


class _Box:
    x0: Mapped[int]
    y0: Mapped[int]
    x1: Mapped[int]
    y1: Mapped[int]


class OcrBlock(_Box, Base):
    __tablename__ = "ocr_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ocr_runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]

    run: Mapped[OcrRun] = relationship(back_populates="blocks")
    lines: Mapped[list[OcrLine]] = relationship(back_populates="block", order_by="OcrLine.seq",
                                                cascade="all, delete-orphan")


class OcrLine(_Box, Base):
    __tablename__ = "ocr_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(ForeignKey("ocr_blocks.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]

    block: Mapped[OcrBlock] = relationship(back_populates="lines")
    words: Mapped[list[OcrWord]] = relationship(back_populates="line", order_by="OcrWord.seq",
                                                cascade="all, delete-orphan")


class OcrWord(_Box, Base):
    __tablename__ = "ocr_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("ocr_lines.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)

    line: Mapped[OcrLine] = relationship(back_populates="words")


class Transcription(Base):
    """The page's current text; its history is in Revision rows."""

    __tablename__ = "transcriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NEW, index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    edited_by_person: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    page: Mapped[Page] = relationship(back_populates="transcription")
    revisions: Mapped[list[Revision]] = relationship(back_populates="transcription",
                                                     order_by="Revision.version",
                                                     cascade="all, delete-orphan")


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("transcription_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transcription_id: Mapped[int] = mapped_column(ForeignKey("transcriptions.id", ondelete="CASCADE"),
                                                  index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(_enum(Status))
    source: Mapped[RevisionSource] = mapped_column(_enum(RevisionSource))
    author: Mapped[str | None] = mapped_column(String(120))
    ocr_run_id: Mapped[int | None] = mapped_column(ForeignKey("ocr_runs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    transcription: Mapped[Transcription] = relationship(back_populates="revisions")


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """A batch started from the web (or the queue), with progress the editor can show."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[JobState] = mapped_column(_enum(JobState), default=JobState.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
