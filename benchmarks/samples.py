"""Read the sample photos in images/ as `make run` does and print CER and seconds per page.

    .venv/bin/python benchmarks/samples.py [--jobs N] [--no-preprocess] [FOLDER]

Runs the real batch (pipeline + Tesseract, parallel) into a temporary instance, then compares each page's
text with the ground truth beside its photo (`NAME.gt.txt`; a spread's two pages are separated by a line
holding a form feed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.batch import BatchOptions, run_batch  # noqa: E402
from workbench.config import ensure_instance, load_settings  # noqa: E402
from workbench.db.session import Database  # noqa: E402
from workbench.db.store import list_pages  # noqa: E402
from workbench.metrics import cer  # noqa: E402
from workbench.synthetic import split_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=Path("images"))
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--no-preprocess", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = ensure_instance(load_settings(Path(tmp) / "instance"))
        db = Database(settings.resolved_database_url)
        options = BatchOptions(jobs=args.jobs, preprocess=not args.no_preprocess,
                               derived_path=settings.derived_path)
        summary = run_batch(db, [args.folder], options, bar=False)
        rates: list[float] = []
        print(f"{'photo':<18} {'page':>4} {'CER':>7} {'prep s':>7} {'ocr s':>7}")
        with db.session() as session:
            pages = list_pages(session)
            for page in pages:
                truth_file = Path(page.image.path).with_suffix(".gt.txt")
                if not truth_file.exists():
                    continue
                truths = split_pages(truth_file.read_text(encoding="utf-8"))
                truth = truths[page.part - 1] if page.part and len(truths) > 1 else "\n".join(truths)
                rate = cer(truth, page.transcription.text)
                rates.append(rate)
                run = page.ocr_runs[-1]
                print(f"{Path(page.image.path).name:<18} {page.part:>4} {rate:7.2%} {run.seconds_preprocess:7.2f} "
                      f"{run.seconds_ocr:7.2f}")
        db.dispose()
    print(f"{len(summary.read)} photo(s), {summary.pages} page(s) in {summary.seconds:.1f} s wall with "
          f"{options.workers} process(es): {summary.seconds / max(summary.pages, 1):.2f} s per page")
    if rates:
        print(f"CER mean {statistics.mean(rates):.2%}, worst {max(rates):.2%}")
    if summary.failed:
        print(f"failed: {summary.failed}")


if __name__ == "__main__":
    main()
