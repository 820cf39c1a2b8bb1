"""search index: SQLite FTS5 or PostgreSQL tsvector, and the vocabulary for fuzzy matching

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_index USING fts5(keys, tokenize='unicode61')")  # rowid = page id
        op.execute("CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row')")
    else:
        op.execute("CREATE TABLE search_index (page_id integer PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,"
                   " keys text NOT NULL, document tsvector NOT NULL)")
        op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")
        op.execute("CREATE TABLE search_terms (term text PRIMARY KEY)")
    _index_existing_pages()


def _index_existing_pages() -> None:
    """Pages read before the index existed; later saves keep it current (workbench.search.index_page)."""
    from workbench.search.keys import document_keys

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT page_id, text FROM transcriptions")).all()
    for page_id, text in rows:
        keys = document_keys(text)
        if bind.dialect.name == "sqlite":
            bind.execute(sa.text("INSERT INTO search_index (rowid, keys) VALUES (:id, :keys)"),
                         {"id": page_id, "keys": keys})
        else:
            bind.execute(sa.text("INSERT INTO search_index (page_id, keys, document) "
                                 "VALUES (:id, :keys, to_tsvector('simple', :keys))"), {"id": page_id, "keys": keys})
            if keys:
                bind.execute(sa.text("INSERT INTO search_terms (term) SELECT unnest(CAST(:terms AS text[])) "
                                     "ON CONFLICT DO NOTHING"), {"terms": sorted(set(keys.split()))})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_vocab")
        op.execute("DROP TABLE search_index")
    else:
        op.execute("DROP TABLE search_terms")
        op.execute("DROP TABLE search_index")
