"""Jinja templates for the XML and HTML formats, always with autoescape."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def _points(box: Any) -> str:
    """A box as a PAGE polygon: clockwise from the top left."""
    return f"{box.x0},{box.y0} {box.x1},{box.y0} {box.x1},{box.y1} {box.x0},{box.y1}"


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("workbench.export", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["points"] = _points
    return env


def render(name: str, **context: Any) -> bytes:
    return environment().get_template(name).render(**context).encode("utf-8")
