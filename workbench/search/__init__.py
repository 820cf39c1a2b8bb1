"""Full-text search over every page's current text: one interface, SQLite FTS5 or PostgreSQL behind it.

A query's words are reduced to search keys (see keys.py) and matched three ways at once: by prefix of
their stem (the other cases of a name), exactly, and fuzzily (one or two letters wrong, as OCR leaves
them). "Quoted words" must stand together, in that order.
"""

from __future__ import annotations

import html
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, joinedload

from workbench.errors import BadInput
from workbench.search.keys import MIN_STEM, Token, document_keys, key, stem, tokens

log = logging.getLogger(__name__)

VOCABULARY_SECONDS = 30.0  # how stale the in-memory vocabulary for fuzzy matching may get
FUZZY_CANDIDATES = 12  # the nearest spellings in the vocabulary, per query word
# A word as common as "постановили" matches most pages; ranking every match would cost more than the
# answer is worth, so pages are ranked among the first RANKED matches (in page order, filters applied).
RANKED = 1000
SNIPPET_CHARS = 80


def fuzzy_distance(word_key: str) -> int:
    """Edits allowed: none for short words (too many false friends), one from five letters, two from nine."""
    return 0 if len(word_key) < 5 else 1 if len(word_key) < 9 else 2


@dataclass(slots=True)
class Term:
    """One query word, or a phrase of several that must stand together in order."""

    stems: list[str]
    fuzzy: list[set[str]] = field(default_factory=list)  # per word: exact keys near it in the vocabulary

    @property
    def phrase(self) -> bool:
        return len(self.stems) > 1

    def prefix(self, n: int) -> bool:
        """Short words match only as they are: 'и' must not stand for every word starting with i."""
        return len(self.stems[n]) >= MIN_STEM

    def matches(self, n: int, token_key: str) -> bool:
        if token_key in self.fuzzy[n]:
            return True
        return token_key.startswith(self.stems[n]) if self.prefix(n) else token_key == self.stems[n]


@dataclass(frozen=True, slots=True)
class Filters:
    archive: str | None = None
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    status: str | None = None


@dataclass(slots=True)
class Hit:
    page_id: int
    score: float
    status: str
    verified: bool
    citation: str
    image_name: str
    snippet: Markup
    spans: list[tuple[int, int]]  # where the hits stand in the page's text


def parse_query(raw: str) -> list[Term]:
    """Words and "quoted phrases"; a query with no word in it is an error."""
    terms: list[Term] = []
    for phrase, words in re.findall(r'"([^"]*)"|([^"]+)', raw):
        # a phrase is one term; outside quotes each word is its own, a letter-spaced word typed as it looks
        # (П Р И К А З) one word
        groups = [[t.key for t in tokens(phrase)]] if phrase else [[t.key] for t in tokens(words)]
        terms.extend(Term(stems=[stem(k) for k in keys], fuzzy=[set() for _ in keys]) for keys in groups if keys)
    if not terms:
        raise BadInput(f"nothing to search for in {raw!r}: give a word, a name or a \"phrase\"")
    return terms


class Backend(Protocol):
    def put(self, session: Session, page_id: int, keys: str) -> None: ...

    def vocabulary(self, session: Session) -> list[str]: ...

    def find(self, session: Session, terms: list[Term], filters: Filters, limit: int) -> list[tuple[int, float]]: ...


_FILTER_SQL = {"archive": "d.archive = :archive", "fond": "d.fond = :fond", "opis": "d.opis = :opis",
               "delo": "d.delo = :delo", "status": "t.status = :status"}


def _filter_clause(filters: Filters) -> tuple[str, dict[str, str]]:
    params = {name: getattr(filters, name) for name in _FILTER_SQL if getattr(filters, name)}
    return "".join(f" AND {_FILTER_SQL[name]}" for name in params), params


_JOINS = ("JOIN pages p ON p.id = {id} JOIN transcriptions t ON t.page_id = p.id "
          "LEFT JOIN delos d ON d.id = p.delo_id")


class SqliteBackend:
    """FTS5, the page id as rowid; its fts5vocab table lists the terms for fuzzy matching."""

    def put(self, session: Session, page_id: int, keys: str) -> None:
        session.execute(sql("DELETE FROM search_index WHERE rowid = :id"), {"id": page_id})
        session.execute(sql("INSERT INTO search_index (rowid, keys) VALUES (:id, :keys)"),
                        {"id": page_id, "keys": keys})

    def vocabulary(self, session: Session) -> list[str]:
        return list(session.scalars(sql("SELECT term FROM search_vocab")))

    @staticmethod
    def _match(terms: list[Term]) -> str:
        def token(n: int, term: Term) -> str:
            return f'"{term.stems[n]}"' + ("*" if term.prefix(n) else "")

        parts = []
        for term in terms:
            if term.phrase:  # '+' joins words into one phrase: in this order, nothing between
                parts.append(" + ".join(token(n, term) for n in range(len(term.stems))))
            else:
                options = [token(0, term)] + [f'"{k}"' for k in sorted(term.fuzzy[0])]
                parts.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
        return " AND ".join(parts)

    def find(self, session: Session, terms: list[Term], filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = _filter_clause(filters)
        rows = session.execute(sql(
            f"SELECT id, score FROM (SELECT p.id AS id, -bm25(search_index) AS score FROM search_index "
            f"{_JOINS.format(id='search_index.rowid')} WHERE search_index MATCH :match{where} LIMIT :ranked) "
            f"ORDER BY score DESC LIMIT :limit"),
            {"match": self._match(terms), "limit": limit, "ranked": RANKED, **params})
        return [(int(r[0]), float(r[1])) for r in rows]


class PostgresBackend:
    """A tsvector with the 'simple' configuration (the keys are already folded) and a GIN index."""

    def put(self, session: Session, page_id: int, keys: str) -> None:
        session.execute(sql(
            "INSERT INTO search_index (page_id, keys, document) VALUES (:id, :keys, to_tsvector('simple', :keys)) "
            "ON CONFLICT (page_id) DO UPDATE SET keys = excluded.keys, document = excluded.document"),
            {"id": page_id, "keys": keys})
        words = sorted(set(keys.split()))
        if words:
            session.execute(sql("INSERT INTO search_terms (term) SELECT unnest(CAST(:terms AS text[])) "
                                "ON CONFLICT DO NOTHING"), {"terms": words})

    def vocabulary(self, session: Session) -> list[str]:
        return list(session.scalars(sql("SELECT term FROM search_terms")))

    @staticmethod
    def _tsquery(terms: list[Term]) -> str:
        def token(n: int, term: Term) -> str:
            return term.stems[n] + (":*" if term.prefix(n) else "")

        parts = []
        for term in terms:
            if term.phrase:
                parts.append("(" + " <-> ".join(token(n, term) for n in range(len(term.stems))) + ")")
            else:
                parts.append("(" + " | ".join([token(0, term), *sorted(term.fuzzy[0])]) + ")")
        return " & ".join(parts)

    def find(self, session: Session, terms: list[Term], filters: Filters, limit: int) -> list[tuple[int, float]]:
        where, params = _filter_clause(filters)
        rows = session.execute(sql(
            f"SELECT id, score FROM (SELECT p.id AS id, ts_rank(search_index.document, q) AS score "
            f"FROM search_index {_JOINS.format(id='search_index.page_id')}, "
            f"to_tsquery('simple', :query) AS q WHERE search_index.document @@ q{where} LIMIT :ranked) AS m "
            f"ORDER BY score DESC, id LIMIT :limit"),
            {"query": self._tsquery(terms), "limit": limit, "ranked": RANKED, **params})
        return [(int(r[0]), float(r[1])) for r in rows]


def backend(session: Session) -> Backend:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return SqliteBackend()
    if dialect == "postgresql":
        return PostgresBackend()
    raise BadInput(f"search needs SQLite or PostgreSQL, not {dialect}")


@dataclass(slots=True)
class _Vocabulary:
    loaded: float
    terms: list[str]
    known: set[str]


_VOCABULARIES: dict[str, _Vocabulary] = {}


def _vocabulary(session: Session) -> _Vocabulary:
    url = str(session.get_bind().engine.url)
    cached = _VOCABULARIES.get(url)
    if cached is None or time.monotonic() - cached.loaded > VOCABULARY_SECONDS:
        terms = backend(session).vocabulary(session)
        cached = _VOCABULARIES[url] = _Vocabulary(time.monotonic(), terms, set(terms))
    return cached


def index_page(session: Session, page_id: int, text: str) -> None:
    """Put a page's current text in the index; called on every save, restore and OCR run."""
    keys = document_keys(text)
    backend(session).put(session, page_id, keys)
    vocabulary = _VOCABULARIES.get(str(session.get_bind().engine.url))
    if vocabulary is not None:
        new = set(keys.split()) - vocabulary.known
        vocabulary.known |= new
        vocabulary.terms.extend(sorted(new))


def _expand(session: Session, terms: list[Term]) -> None:
    vocabulary = _vocabulary(session)
    for term in terms:
        if term.phrase:
            continue
        word = term.stems[0]
        limit = fuzzy_distance(word)
        if limit:
            found = process.extract(word, vocabulary.terms, scorer=Levenshtein.distance, score_cutoff=limit,
                                    limit=FUZZY_CANDIDATES)
            term.fuzzy[0] |= {candidate for candidate, _, _ in found}


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]] | None:
    """Where each term stands in the text, or None when a term is missing (a phrase out of order)."""
    words: list[Token] = tokens(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        found = False
        for i in range(len(words) - len(term.stems) + 1):
            if all(term.matches(n, words[i + n].key) for n in range(len(term.stems))):
                spans.append((words[i].start, words[i + len(term.stems) - 1].end))
                found = True
        if not found:
            return None
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):  # a word and a phrase holding it mark the text once
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(text: str, spans: list[tuple[int, int]]) -> Markup:
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_CHARS)
    end = min(len(text), (spans[0][1] if spans else 0) + SNIPPET_CHARS * 2)
    pieces, at = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(html.escape(text[at:s]) + "<mark>" + html.escape(text[s:e]) + "</mark>")
        at = e
    pieces.append(html.escape(text[at:end]))
    body = " ".join("".join(pieces).split())
    return Markup(("… " if start > 0 else "") + body + (" …" if end < len(text) else ""))


def search(session: Session, query: str, *, filters: Filters | None = None, limit: int = 20,
           fuzzy: bool = True) -> list[Hit]:
    """Pages whose current text matches, best first, each with its hits marked in a snippet."""
    from workbench.db.models import Page
    from workbench.db.tags import format_page_citation

    if limit < 1:
        raise BadInput("the limit is 1 or more")
    terms = parse_query(query)
    if fuzzy:
        _expand(session, terms)
    found = backend(session).find(session, terms, filters or Filters(), limit * 3)
    loaded = {p.id: p for p in session.scalars(
        select(Page).where(Page.id.in_([page_id for page_id, _ in found]))
        .options(joinedload(Page.image), joinedload(Page.transcription), joinedload(Page.delo_row)))}
    hits: list[Hit] = []
    for page_id, score in found:
        page = loaded.get(page_id)
        if page is None:
            continue
        text = page.transcription.text
        spans = _spans(text, terms)
        if spans is None:
            continue
        status = page.transcription.status.value
        hits.append(Hit(page_id=page_id, score=score, status=status, verified=status == "verified",
                        citation=format_page_citation(page), image_name=page.image.path.rsplit("/", 1)[-1],
                        snippet=_snippet(text, spans), spans=spans))
        if len(hits) == limit:
            break
    return hits


def hit_spans(text: str, query: str) -> list[tuple[int, int]]:
    """The hits of a query in one text (for marking them in the editor); fuzzy against that text alone."""
    terms = parse_query(query)
    own = {t.key for t in tokens(text)}
    for term in terms:
        for n, word in enumerate(term.stems):
            limit = fuzzy_distance(word)
            term.fuzzy[n] = {k for k in own if limit and Levenshtein.distance(word, k, score_cutoff=limit) <= limit}
    return _spans(text, terms) or []


REINDEX_BATCH = 500


def reindex(session: Session) -> int:
    """Index every page's current text again (after an import of old data, or to repair the index)."""
    count = 0
    last = 0
    while True:  # a batch at a time by page id, so a large archive's texts are never all in memory at once
        rows = session.execute(sql("SELECT page_id, text FROM transcriptions WHERE page_id > :last "
                                   "ORDER BY page_id LIMIT :batch"), {"last": last, "batch": REINDEX_BATCH}).all()
        for page_id, text in rows:
            index_page(session, page_id, text)
        count += len(rows)
        if len(rows) < REINDEX_BATCH:
            return count
        last = rows[-1][0]


__all__ = ["Filters", "Hit", "index_page", "key", "parse_query", "reindex", "search", "hit_spans"]
