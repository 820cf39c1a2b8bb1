"""files, leaves, retakes, perceptual hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archive", sa.String(length=40), nullable=False),
        sa.Column("fond", sa.String(length=40), nullable=False),
        sa.Column("opis", sa.String(length=40), nullable=False),
        sa.Column("delo", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("dates", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delos")),
        sa.UniqueConstraint("archive", "fond", "opis", "delo", name=op.f("uq_delos_archive")),
    )
    with op.batch_alter_table("images", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phash", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_images_phash"), ["phash"], unique=False)

    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sharpness", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("delo_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("leaf_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("leaf_suffix", sa.String(length=8), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("leaf_verso", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("last_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("last_suffix", sa.String(length=8), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("last_verso", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("retake_of", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_pages_delo_id"), ["delo_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_pages_delo_id_delos"), "delos", ["delo_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_pages_retake_of_pages"), "pages", ["retake_of"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pages_retake_of_pages"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_pages_delo_id_delos"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_pages_delo_id"))
        batch_op.drop_column("retake_of")
        batch_op.drop_column("last_verso")
        batch_op.drop_column("last_suffix")
        batch_op.drop_column("last_number")
        batch_op.drop_column("leaf_verso")
        batch_op.drop_column("leaf_suffix")
        batch_op.drop_column("leaf_number")
        batch_op.drop_column("delo_id")
        batch_op.drop_column("sharpness")

    with op.batch_alter_table("images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_images_phash"))
        batch_op.drop_column("phash")

    op.drop_table("delos")
