"""Citations: every form read and written back, single leaves, ranges, versos, and clear errors."""

from __future__ import annotations

import itertools

import pytest

from workbench.archive.citation import Citation, Side, format_citation, parse_citation, parse_side
from workbench.errors import BadInput

CANONICAL = [
    ("TsDAHO f. 1, op. 1, d. 42, ll. 61-62", "en"),
    ("F. 2595, op. 1, d. 102, l. 21 ob.", "en"),
    ("TsDAVO f. 2595, op. 1, d. 102, l. 21 ob.", "en"),
    ("HDA SBU f. 6, op. 1, d. 75123, ll. 3 ob.-5", "en"),
    ("ф. 1, оп. 1, д. 42, л. 61 об.", "ru"),
    ("ЦДАГО ф. 1, оп. 20, д. 1234, лл. 5–7", "ru"),
    ("ф. 1, оп. 1, спр. 42, арк. 61 зв.", "uk"),
    ("ЦДАВО ф. Р-2595, оп. 1, спр. 102, арк. 21–22 зв.", "uk"),
    ("ф. 1, оп. 1, спр. 42а, арк. 61а", "uk"),
    ("F. 1, op. 1, d. 42", "en"),
]


@pytest.mark.parametrize(("text", "style"), CANONICAL)
def test_canonical_forms_round_trip(text: str, style: str) -> None:
    citation, found = parse_citation(text)
    assert found == style
    assert format_citation(citation, found) == text  # type: ignore[arg-type]


def test_the_parts_are_read() -> None:
    citation, _ = parse_citation("TsDAHO, f. 1, op. 1, d. 42, ll. 61-62")
    assert citation == Citation(fond="1", opis="1", delo="42", archive="TsDAHO", first=Side(61), last=Side(62))
    verso, _ = parse_citation("F. 2595, op. 1, d. 102, l. 21 ob.")
    assert verso.archive is None and verso.first == Side(21, verso=True) and verso.last is None
    uk, _ = parse_citation("ЦДАГО ф. 1, оп. 1, спр. 42, арк. 61 зв.")
    assert uk.archive == "TsDAHO" and uk.first == Side(61, verso=True)
    assert parse_citation("f. 1, op. 1, d. 42, l. 21v")[0].first == Side(21, verso=True)


@pytest.mark.parametrize("style", ["en", "ru", "uk"])
def test_every_citation_survives_every_form(style: str) -> None:
    sides = [None, Side(1), Side(61, verso=True), Side(7, "а")]
    for archive, first, span in itertools.product([None, "TsDAHO", "HDA SBU"], sides, [0, 1, 3]):
        last = None if first is None or span == 0 else Side(first.number + span)
        citation = Citation(fond="1", opis="20", delo="42", archive=archive, first=first, last=last)
        text = format_citation(citation, style)  # type: ignore[arg-type]
        assert parse_citation(text) == (citation, style), text


def test_translation_between_forms() -> None:
    citation, _ = parse_citation("TsDAHO f. 1, op. 1, d. 42, l. 61 ob.")
    assert format_citation(citation, "ru") == "ЦДАГО ф. 1, оп. 1, д. 42, л. 61 об."
    assert format_citation(citation, "uk") == "ЦДАГО ф. 1, оп. 1, спр. 42, арк. 61 зв."


@pytest.mark.parametrize("text", ["", "   ", "TsDAHO 1/1/42", "f. 1, d. 42, l. 5", "op. 1, d. 42",
                                  "f. 1, op. 1, d. 42, ll. 9-3", "f. 1, op. 1, d. 42, l. five"])
def test_an_unreadable_citation_is_a_clear_error(text: str) -> None:
    with pytest.raises(BadInput, match="citation"):
        parse_citation(text)


def test_sides_step_by_leaf_or_by_side() -> None:
    assert Side(61).next("leaf") == Side(62)
    assert Side(61).next("side") == Side(61, verso=True)
    assert Side(61, verso=True).next("side") == Side(62)
    assert Side(61, verso=True).next("leaf") == Side(62)
    assert sorted([Side(2), Side(1, verso=True), Side(1), Side(1, "а")]) == [
        Side(1), Side(1, verso=True), Side(1, "а"), Side(2)]
    assert parse_side("61 об.") == Side(61, verso=True) and parse_side("7а") == Side(7, "а")
    with pytest.raises(BadInput, match="leaf"):
        parse_side("six")
