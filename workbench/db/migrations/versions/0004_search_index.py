"""search index: SQLite FTS5 or PostgreSQL tsvector, and the vocabulary for fuzzy matching

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(keys, page_id UNINDEXED, tokenize='unicode61')")
        op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row')")
    else:
        op.execute("CREATE TABLE search_index (page_id integer PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,"
                   " keys text NOT NULL, document tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")
        op.execute("CREATE TABLE search_terms (term text PRIMARY KEY)")
    # pages read before this migration are indexed by `workbench reindex` (the workbench runs it on start)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_vocab")
        op.execute("DROP TABLE search_index")
    else:
        op.execute("DROP TABLE search_terms")
        op.execute("DROP TABLE search_index")
