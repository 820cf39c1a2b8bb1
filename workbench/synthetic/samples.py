"""Write the README's sample photos: ``python -m workbench.synthetic.samples DIR [--count N]``.

Typewritten pages photographed at an angle on a table with a mild mix of damage, each with its
``.gt.txt`` so CER can be measured on them. Deterministic for ``--seed``.
"""

from __future__ import annotations

import argparse
import logging
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from workbench.synthetic.corpus import list_texts, load_text
from workbench.synthetic.render import TYPEWRITER_FONTS, available_fonts
from workbench.synthetic.write import SampleFiles, write_sample

log = logging.getLogger(__name__)

# text, font, damages: the first five are the committed samples in images/
PLAN: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("protocol_buro_14", "Liberation Mono", ("perspective", "shadow", "pencil", "noise")),
    ("memo_lutovinov", "PT Mono", ("perspective", "rotate", "stamp", "noise")),
    ("ukr_protokol_1928", "FreeMono", ("perspective", "curl", "pencil", "noise")),
    ("mandate", "Liberation Mono", ("perspective", "exif_rot", "stamp", "showthrough", "noise")),
    ("order_37", "PT Mono", ("perspective", "carbon", "rotate", "noise")),
)
MILD_EXTRAS = ("rotate", "shadow", "pencil", "stamp", "showthrough", "curl", "blur", "faded")
FIRST_CAPTURE = datetime(2024, 4, 16, 11, 5, 12)


def sample_plan(count: int, seed: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """The fixed plan, then random typewritten pages with two mild damages each."""
    plan = list(PLAN[:count])
    rng = np.random.default_rng(seed)
    names = list_texts()
    while len(plan) < count:
        name = str(rng.choice(names))
        fonts = available_fonts(load_text(name), typewriter=True) or list(TYPEWRITER_FONTS)
        extras = tuple(str(d) for d in rng.choice(MILD_EXTRAS, size=2, replace=False))
        plan.append((name, str(rng.choice(fonts)), ("perspective", *extras, "noise")))
    return plan


def write_samples(out_dir: Path, *, count: int = 5, seed: int = 1919, long_side: int = 2400,
                  quality: int = 85) -> list[SampleFiles]:
    written = []
    when = FIRST_CAPTURE
    for i, (name, font, damages) in enumerate(sample_plan(count, seed), start=1):
        files = write_sample(out_dir, f"sample-{i:02d}", text=load_text(name), font=font, damages=damages,
                             seed=seed + i, long_side=long_side, quality=quality, captured_at=when)
        written.append(files)
        when += timedelta(seconds=17 + 11 * (i % 3))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.synthetic.samples", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1919)
    parser.add_argument("--long-side", type=int, default=2400)
    parser.add_argument("--quality", type=int, default=85)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for files in write_samples(args.out_dir, count=args.count, seed=args.seed, long_side=args.long_side,
                               quality=args.quality):
        size_kb = files.image.stat().st_size / 1024
        print(f"{files.image}  {size_kb:.0f} KB  {files.ground_truth.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
