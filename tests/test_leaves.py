from __future__ import annotations

from workbench.archive.citation import Side
from workbench.archive.leaves import check_sequence, next_side, number_photos


def test_a_run_is_numbered_by_leaf_or_by_side() -> None:
    assert number_photos(Side(61), [1, 1, 1], "leaf") == [[Side(61)], [Side(62)], [Side(63)]]
    assert number_photos(Side(61), [1, 1, 1], "side") == [[Side(61)], [Side(61, verso=True)], [Side(62)]]


def test_a_spread_takes_the_two_facing_sides() -> None:
    numbered = number_photos(Side(21, verso=True), [2, 2, 1], "side")
    assert numbered == [[Side(21, verso=True), Side(22)], [Side(22, verso=True), Side(23)],
                        [Side(23, verso=True)]]
    assert number_photos(Side(21, verso=True), [2], "leaf") == [[Side(21, verso=True), Side(22)]]


def test_gaps_and_duplicates_are_flagged() -> None:
    report = check_sequence([Side(1), Side(2), Side(2, verso=True), Side(5), Side(2)])
    assert report.gaps == [3, 4] and report.duplicates == [Side(2)] and not report.ok
    assert check_sequence([Side(1), Side(1, verso=True), Side(2)]).ok
    assert check_sequence([Side(1), Side(3, verso=True)]).gaps == [2]
    assert check_sequence([]).ok


def test_the_next_photo_is_proposed_the_next_side() -> None:
    assert next_side(Side(61), "leaf") == Side(62)
    assert next_side(Side(61), "side") == Side(61, verso=True)
    assert next_side(None, "leaf") is None
