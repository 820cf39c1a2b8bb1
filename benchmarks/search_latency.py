"""Search latency over many generated pages, on SQLite (or on the database you name).

    .venv/bin/python benchmarks/search_latency.py [--pages 100000] [--queries 300] [--database-url URL]

Pages are made from the project's own texts (workbench/synthetic/texts), shuffled into new pages with
OCR-like letter errors, and stored with the workbench's own store and index functions in a fresh database.
Then a mix of queries (names in Cyrillic and in transliteration, other cases, phrases, words with OCR
errors, filtered by file) is timed one by one. Prints the 50th, 95th and 99th percentiles.
Target: p95 at most 50 ms over 100,000 pages on SQLite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text as sql  # noqa: E402

from workbench.db.session import Database  # noqa: E402
from workbench.search import Filters, search  # noqa: E402
from workbench.search.keys import document_keys  # noqa: E402
from workbench.synthetic import list_texts, load_text  # noqa: E402

QUERIES = ["Шляпников", "Шляпникова", "Shliapnikov", "Lutovinov", "Лутовинову", "Iuzhburo", "Южбюро",
           '"Серп и Молот"', "Мельникова", "протокол заседания", "Kharkov", "постановили", "Дорохова",
           "продовольственного", "Shlyapnikov", "инструкторов", "металлистов", "Рябова", "отпуск"]


def _noisy(word: str, rng: random.Random) -> str:
    """One letter swapped for a look-alike now and then, as OCR leaves it."""
    if len(word) > 4 and rng.random() < 0.06:
        i = rng.randrange(len(word))
        return word[:i] + rng.choice("иншпвао") + word[i + 1:]
    return word


def generate(db: Database, pages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    corpus = [load_text(name).split() for name in list_texts()]
    with db.engine.begin() as connection:
        sqlite = connection.dialect.name == "sqlite"
        batch = 2000
        for start in range(0, pages, batch):
            images, page_rows, transcriptions, index = [], [], [], []
            for n in range(start, min(pages, start + batch)):
                words = rng.choice(corpus)
                offset = rng.randrange(len(words))
                body = " ".join(_noisy(w, rng) for w in (words[offset:] + words[:offset])[: rng.randint(120, 220)])
                images.append({"id": n + 1, "path": f"/photos/IMG_{n:06d}.jpg", "sha": f"{n:064d}"})
                page_rows.append({"id": n + 1, "image": n + 1, "delo": n % 50 + 1})
                transcriptions.append({"id": n + 1, "page": n + 1, "text": body,
                                       "status": "verified" if n % 5 == 0 else "ocr_done"})
                index.append({"id": n + 1, "keys": document_keys(body)})
            if start == 0:
                connection.execute(sql("INSERT INTO delos (id, archive, fond, opis, delo) VALUES "
                                       "(:id, 'TsDAHO', '1', '1', :delo)"),
                                   [{"id": d, "delo": str(d)} for d in range(1, 51)])
            connection.execute(sql("INSERT INTO images (id, path, sha256, size_bytes, imported_at, state) "
                                   "VALUES (:id, :path, :sha, 1, '2026-01-01', 'done')"), images)
            connection.execute(sql("INSERT INTO pages (id, image_id, part, width, height, transform, leaf_suffix, "
                                   "leaf_verso, last_suffix, last_verso, delo_id, leaf_number) VALUES "
                                   "(:id, :image, 0, 100, 100, '{}', '', false, '', false, :delo, :id)"), page_rows)
            connection.execute(sql("INSERT INTO transcriptions (id, page_id, text, status, version, "
                                   "edited_by_person, updated_at) VALUES (:id, :page, :text, :status, 1, false, "
                                   "'2026-01-01')"), transcriptions)
            if sqlite:
                connection.execute(sql("INSERT INTO search_index (rowid, keys) VALUES (:id, :keys)"), index)
            else:
                connection.execute(sql("INSERT INTO search_index (page_id, keys, document) VALUES "
                                       "(:id, :keys, to_tsvector('simple', :keys))"), index)
                terms = sorted({t for row in index for t in row["keys"].split()})
                connection.execute(sql("INSERT INTO search_terms (term) SELECT unnest(CAST(:t AS text[])) "
                                       "ON CONFLICT DO NOTHING"), {"t": terms})
            print(f"\r  generated {min(pages, start + batch)} pages", end="", file=sys.stderr)
    print(file=sys.stderr)


def run(pages: int, queries: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(url or f"sqlite:///{Path(tmp) / 'search.sqlite3'}")
        started = time.perf_counter()
        generate(db, pages)
        print(f"search latency: {pages} pages on {db.engine.dialect.name} "
              f"(generated and indexed in {time.perf_counter() - started:.0f} s)")
        rng = random.Random(3)
        timings: dict[str, list[float]] = {"plain": [], "filtered": []}
        with db.session() as session:
            search(session, "прогрев", limit=20)  # loads the vocabulary once, as a running server has it
            for n in range(queries):
                query = rng.choice(QUERIES)
                filtered = n % 4 == 3
                filters = Filters(delo=str(rng.randint(1, 50))) if filtered else Filters()
                t0 = time.perf_counter()
                hits = search(session, query, filters=filters, limit=20)
                timings["filtered" if filtered else "plain"].append((time.perf_counter() - t0) * 1000)
                if n < 3:
                    print(f"  {query!r}: {len(hits)} hit(s)")
        every = timings["plain"] + timings["filtered"]
        for name, values in [*timings.items(), ("all", every)]:
            p = np.percentile(values, [50, 95, 99])
            print(f"  {name:9s} p50 {p[0]:6.1f}  p95 {p[1]:6.1f}  p99 {p[2]:6.1f} ms  "
                  f"mean {statistics.mean(values):6.1f}  (n={len(values)})")
        p95 = float(np.percentile(every, 95))
        print(f"  target p95 <= 50 ms: {'met' if p95 <= 50 else 'NOT met'} ({p95:.1f} ms)")
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="an empty database to fill (default: temp SQLite)")
    args = parser.parse_args()
    run(args.pages, args.queries, args.database_url)


if __name__ == "__main__":
    main()
