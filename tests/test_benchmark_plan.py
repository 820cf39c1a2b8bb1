"""The preprocessing benchmark's plans: a damage the generator learned late leaves every earlier photo as it was."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import workbench.synthetic


def _benchmark() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "preprocess.py"
    spec = importlib.util.spec_from_file_location("benchmark_preprocess", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_late_damages_come_last_and_leave_earlier_photos_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = _benchmark()

    def described(cases: list) -> list[tuple]:  # type: ignore[type-arg]
        return [(c.name, c.kind, c.text, c.font, c.damages, c.seed, c.size_pt) for c in cases]

    now = bench.plan(3, 6, 6, 48000)
    late = [c for c in now if c.kind in bench.LATE_DAMAGES]
    assert late and now[-len(late):] == late  # glare photos last, three of each late damage
    assert len(late) == 3 * len(bench.LATE_DAMAGES)
    assert not any(set(c.damages) & set(bench.LATE_DAMAGES) for c in now if c.kind == "mixed")
    earlier = tuple(d for d in workbench.synthetic.DAMAGES if d not in bench.LATE_DAMAGES)
    monkeypatch.setattr(workbench.synthetic, "DAMAGES", earlier)  # the generator as the plans were first drawn
    before = [c for c in bench.plan(3, 6, 6, 48000) if c.kind not in bench.LATE_DAMAGES]
    assert described(now[:-len(late)]) == described(before)
