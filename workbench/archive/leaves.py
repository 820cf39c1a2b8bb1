"""The order of leaves in a file: numbering a run of photos, and finding gaps and duplicates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from workbench.archive.citation import Side

Step = Literal["leaf", "side"]


def number_photos(start: Side, pages_per_photo: Iterable[int], step: Step) -> list[list[Side]]:
    """Sides for a run of photos in capture order, numbering on from ``start``, one side per page.

    The two pages of a spread are numbered like two photos: a verso on the left is followed by the next
    leaf's recto on the right, by either step.
    """
    result: list[list[Side]] = []
    current = start
    for count in pages_per_photo:
        sides = []
        for _ in range(count):
            sides.append(current)
            current = current.next(step)
        result.append(sides)
    return result


@dataclass(slots=True)
class SequenceReport:
    gaps: list[int] = field(default_factory=list)  # leaf numbers missing between the first and the last
    duplicates: list[Side] = field(default_factory=list)  # sides tagged on more than one page

    @property
    def ok(self) -> bool:
        return not self.gaps and not self.duplicates


def check_sequence(sides: Iterable[Side]) -> SequenceReport:
    """Gaps in the leaf numbers and sides photographed twice; a blank verso not photographed is no gap."""
    sides = list(sides)
    report = SequenceReport()
    if not sides:
        return report
    numbers = {s.number for s in sides}
    report.gaps = [n for n in range(min(numbers), max(numbers) + 1) if n not in numbers]
    report.duplicates = sorted(side for side, n in Counter(sides).items() if n > 1)
    return report


def next_side(previous: Side | None, step: Step) -> Side | None:
    """What the editor proposes for the photo after one tagged ``previous``."""
    return None if previous is None else previous.next(step)
