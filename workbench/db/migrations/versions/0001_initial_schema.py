"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("exif_orientation", sa.Integer(), nullable=True),
        sa.Column("captured_at", sa.DateTime(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum("new", "done", "failed", name="imagestate", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_images")),
        sa.UniqueConstraint("sha256", name=op.f("uq_images_sha256")),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("derived_file", sa.Text(), nullable=True),
        sa.Column("transform", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"], name=op.f("fk_pages_image_id_images"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pages")),
        sa.UniqueConstraint("image_id", "part", name=op.f("uq_pages_image_id")),
    )
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pages_image_id"), ["image_id"], unique=False)

    op.create_table(
        "ocr_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("engine_version", sa.String(length=40), nullable=False),
        sa.Column("languages", sa.String(length=80), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("seconds_preprocess", sa.Float(), nullable=False),
        sa.Column("seconds_ocr", sa.Float(), nullable=False),
        sa.Column("mean_confidence", sa.Double(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name=op.f("fk_ocr_runs_page_id_pages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_runs")),
    )
    with op.batch_alter_table("ocr_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_runs_page_id"), ["page_id"], unique=False)

    op.create_table(
        "transcriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "ocr_done",
                "in_progress",
                "needs_review",
                "verified",
                name="status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("edited_by_person", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["page_id"], ["pages.id"], name=op.f("fk_transcriptions_page_id_pages"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcriptions")),
        sa.UniqueConstraint("page_id", name=op.f("uq_transcriptions_page_id")),
    )
    with op.batch_alter_table("transcriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transcriptions_status"), ["status"], unique=False)

    op.create_table(
        "ocr_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("x0", sa.Integer(), nullable=False),
        sa.Column("y0", sa.Integer(), nullable=False),
        sa.Column("x1", sa.Integer(), nullable=False),
        sa.Column("y1", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ocr_runs.id"], name=op.f("fk_ocr_blocks_run_id_ocr_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_blocks")),
    )
    with op.batch_alter_table("ocr_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_blocks_run_id"), ["run_id"], unique=False)

    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcription_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "ocr_done",
                "in_progress",
                "needs_review",
                "verified",
                name="status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum("ocr", "person", name="revisionsource", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("author", sa.String(length=120), nullable=True),
        sa.Column("ocr_run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ocr_run_id"],
            ["ocr_runs.id"],
            name=op.f("fk_revisions_ocr_run_id_ocr_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["transcription_id"],
            ["transcriptions.id"],
            name=op.f("fk_revisions_transcription_id_transcriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revisions")),
        sa.UniqueConstraint("transcription_id", "version", name=op.f("uq_revisions_transcription_id")),
    )
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revisions_transcription_id"), ["transcription_id"], unique=False)

    op.create_table(
        "ocr_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("x0", sa.Integer(), nullable=False),
        sa.Column("y0", sa.Integer(), nullable=False),
        sa.Column("x1", sa.Integer(), nullable=False),
        sa.Column("y1", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["block_id"], ["ocr_blocks.id"], name=op.f("fk_ocr_lines_block_id_ocr_blocks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_lines")),
    )
    with op.batch_alter_table("ocr_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_lines_block_id"), ["block_id"], unique=False)

    op.create_table(
        "ocr_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("x0", sa.Integer(), nullable=False),
        sa.Column("y0", sa.Integer(), nullable=False),
        sa.Column("x1", sa.Integer(), nullable=False),
        sa.Column("y1", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["ocr_lines.id"], name=op.f("fk_ocr_words_line_id_ocr_lines"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ocr_words")),
    )
    with op.batch_alter_table("ocr_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_words_line_id"), ["line_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ocr_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocr_words_line_id"))

    op.drop_table("ocr_words")
    with op.batch_alter_table("ocr_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocr_lines_block_id"))

    op.drop_table("ocr_lines")
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisions_transcription_id"))

    op.drop_table("revisions")
    with op.batch_alter_table("ocr_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocr_blocks_run_id"))

    op.drop_table("ocr_blocks")
    with op.batch_alter_table("transcriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcriptions_status"))

    op.drop_table("transcriptions")
    with op.batch_alter_table("ocr_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocr_runs_page_id"))

    op.drop_table("ocr_runs")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pages_image_id"))

    op.drop_table("pages")
    op.drop_table("images")
