"""search keys: a letter-spaced word (М А Н Д А Т) is indexed as one word

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.orm import Session

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Every page's keys again, so pages saved before find their letter-spaced headings too."""
    from workbench.search import reindex

    with Session(bind=op.get_bind()) as session:
        reindex(session)


def downgrade() -> None:
    """Nothing to undo in the schema; `workbench reindex` under the older code gives its keys back."""
