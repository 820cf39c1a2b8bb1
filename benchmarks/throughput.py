"""Batch throughput: the workbench against a plain loop of the `tesseract` command on the same photos.

    .venv/bin/python benchmarks/throughput.py [--photos 12] [--long-side 4000] [--skip-celery]

Photos are generated phone photos (workbench.synthetic, 12 MP by default). Timed, each on a fresh database:
  - a sequential loop of `tesseract PHOTO stdout -l rus`, as a person would run it (Tesseract's own threads);
  - `workbench ocr` with 1 process and with one per core (preprocessing included);
  - Celery: one `workbench worker` with one process per core, fed by `workbench ocr --queue`
    (needs Redis on 127.0.0.1:6379).
Prints pages per minute, the time as a share of the tesseract loop's, and the largest process's peak
memory (ru_maxrss of the children: a worker or a Tesseract it ran). Targets: at most 0.7x the loop's time
on 2 cores; at most 600 MB per worker process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.synthetic import list_texts, load_text, write_sample  # noqa: E402

OUT = Path(__file__).parent / "out" / "throughput"
DAMAGES = [("perspective", "noise"), ("perspective", "shadow", "noise"), ("rotate", "perspective", "noise"),
           ("perspective", "stamp", "noise"), ("perspective", "faded", "noise"), ("rot90", "perspective", "noise")]
FONTS = ["Liberation Mono", "PT Mono", "FreeMono", "PT Serif"]


def make_photos(count: int, long_side: int) -> list[Path]:
    folder = OUT / f"{long_side}"
    folder.mkdir(parents=True, exist_ok=True)
    texts = [t for t in list_texts() if not t.startswith(("ukr", "prereform"))]
    photos = []
    for n in range(count):
        path = folder / f"photo-{n:03d}.jpg"
        if not path.exists():
            write_sample(folder, path.stem, text=load_text(texts[n % len(texts)]), font=FONTS[n % len(FONTS)],
                         damages=DAMAGES[n % len(DAMAGES)], seed=100 + n, long_side=long_side)
        photos.append(path)
    return photos


# Runs a command, then writes the peak memory of its largest descendant to the file named first (or to
# stdout for "-"): each run measured on its own.
_MEASURE = ("import resource, subprocess, sys; subprocess.run(sys.argv[2:], capture_output=True); "
            "peak = str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "print(peak) if sys.argv[1] == '-' else open(sys.argv[1], 'w').write(peak)")


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds, and the peak memory (MB) of the largest process the command ran."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MEASURE, "-", *command], env=env, check=True,
                         capture_output=True, text=True)
    return time.perf_counter() - started, int(out.stdout.split()[-1]) / 1024


def tesseract_loop(photos: list[Path]) -> tuple[float, float]:
    script = "; ".join(f"tesseract {p} stdout -l rus > /dev/null" for p in photos)
    return measured(["sh", "-c", script])


def workbench(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    return measured([sys.executable, "-m", "workbench.cli", *args], env)


def celery_run(photos: list[Path], env: dict[str, str], workers: int) -> tuple[float, float]:
    env = {**env, "WORKBENCH_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}"}
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        worker = subprocess.Popen(
            [sys.executable, "-c", _MEASURE, peak.name, sys.executable, "-m", "workbench.cli", "worker",
             "--concurrency", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            time.sleep(3)  # the worker's start, as a running team's worker would already be up
            seconds, _ = workbench(["ocr", "--queue", str(photos[0].parent)], env)
        finally:
            # the worker's warm shutdown; the wrapper then writes the peak
            subprocess.run(["pkill", "-TERM", "-P", str(worker.pid)], check=False)
            worker.wait(timeout=60)
        return seconds, int(peak.read().strip() or 0) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--long-side", type=int, default=4000)
    parser.add_argument("--skip-celery", action="store_true")
    args = parser.parse_args()
    if shutil.which("tesseract") is None:
        sys.exit("tesseract is not installed: run `make test` first")
    photos = make_photos(args.photos, args.long_side)
    cores = os.cpu_count() or 1
    rows: list[tuple[str, float, float]] = []
    loop, loop_peak = tesseract_loop(photos)
    rows.append(("tesseract loop", loop, loop_peak))
    runs = [("workbench, 1 process", ["--jobs", "1"]), (f"workbench, {cores} processes", ["--jobs", str(cores)])]
    for name, extra in runs:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "WORKBENCH_INSTANCE_PATH": tmp}
            env.pop("WORKBENCH_DATABASE_URL", None)
            rows.append((name, *workbench(["ocr", str(photos[0].parent), *extra], env)))
    if not args.skip_celery:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "WORKBENCH_INSTANCE_PATH": tmp}
            env.pop("WORKBENCH_DATABASE_URL", None)
            rows.append((f"celery, 1 worker x {cores}", *celery_run(photos, env, cores)))
    print(f"throughput: {len(photos)} photos of {args.long_side} px on the long side, {cores} cores")
    print(f"  {'':26s} {'seconds':>8s} {'pages/min':>10s} {'x loop':>7s} {'peak MB':>8s}")
    for name, seconds, peak in rows:
        print(f"  {name:26s} {seconds:8.1f} {len(photos) / seconds * 60:10.1f} {seconds / loop:7.2f} {peak:8.0f}")
    print("  (peak MB: the largest single process of that run, a worker or a Tesseract it started)")
    best = min(seconds for name, seconds, _ in rows if "processes" in name or "celery" in name)
    worst_peak = max(peak for name, _, peak in rows if name != "tesseract loop")
    print(f"  target: batch with all cores at most 0.7x the loop: {best / loop:.2f}x "
          f"({'met' if best / loop <= 0.7 else 'NOT met'}); at most 600 MB per worker process: {worst_peak:.0f} MB "
          f"({'met' if worst_peak <= 600 else 'NOT met'})")


if __name__ == "__main__":
    main()
