"""Search: every kind of match, on SQLite FTS5 and on PostgreSQL, and the index kept current."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token, invoke
from tests.test_tagging import stored_photos
from workbench.archive.citation import parse_citation
from workbench.db.models import Page, SourceImage, Status
from workbench.db.store import save_text
from workbench.db.tags import set_citation
from workbench.errors import BadInput
from workbench.search import Filters, hit_spans, reindex, search

TEXTS = {
    "protocol": "Протокол № 14. Слушали: доклад т. Шляпникова о работе Южбюро. Постановили: принять к сведению.",
    "memo": "Докладная записка. Тов. Лутовинову поручено снестись с ЦК. Подписал Шляпников.",
    "old": "Всѣмъ губернскимъ отдѣламъ: Ѳедоръ Ивановичъ прибылъ въ мѣстечко 3 марта.",
    "ukrainian": "Протокол засідання. Слухали: доповідь т. Шляпнікова про роботу Південбюро.",
    "noisy": "Слушали: сообщение т. Шляпннкова и т. Лутовинава о положении на Юге.",
    "english": "Note by the translator: Shliapnikov's letter, see also Iuzhbiuro minutes.",
    "elka": "Ёлка в клубе 31 декабря. Организовать сбор средств.",
}


@pytest.fixture
def pages(db, tmp_path: Path) -> dict[str, int]:  # type: ignore[no-untyped-def]
    stored_photos(db, tmp_path / "p", len(TEXTS))
    ids: dict[str, int] = {}
    with db.session() as session:
        rows = list(session.scalars(select(Page).join(Page.image).order_by(SourceImage.captured_at)))
        for (name, text), page in zip(TEXTS.items(), rows, strict=True):
            save_text(session, page.id, text=text, base_version=1, author="olena")
            ids[name] = page.id
    return ids


def found(db, query: str, **filters: str) -> list[int]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        return [hit.page_id for hit in search(session, query, filters=Filters(**filters))]


def test_case_and_inflection(db, pages) -> None:  # type: ignore[no-untyped-def]
    shl = {pages["protocol"], pages["memo"], pages["ukrainian"], pages["english"]}
    assert set(found(db, "шляпников")) >= shl
    assert set(found(db, "ШЛЯПНИКОВУ")) >= shl  # another case of the same name finds the others
    assert set(found(db, "Лутовинов")) >= {pages["memo"]}


def test_yo_old_orthography_and_ukrainian_forms(db, pages) -> None:  # type: ignore[no-untyped-def]
    assert found(db, "елка") == [pages["elka"]]
    assert found(db, "Федор") == [pages["old"]] and found(db, "местечко") == [pages["old"]]
    assert found(db, "всем отделам") == [pages["old"]]
    assert pages["ukrainian"] in found(db, "Шляпников")
    assert found(db, "засидання") == [pages["ukrainian"]]


def test_fuzzy_matching_survives_ocr_errors(db, pages) -> None:  # type: ignore[no-untyped-def]
    assert pages["noisy"] in found(db, "Шляпникова")  # Шляпннкова: one letter wrong
    assert pages["noisy"] in found(db, "Лутовинова")  # Лутовинава
    with db.session() as session:
        assert pages["noisy"] not in [h.page_id for h in search(session, "Шляпникова", fuzzy=False)]


def test_latin_queries_and_cyrillic_queries_meet(db, pages) -> None:  # type: ignore[no-untyped-def]
    assert set(found(db, "Shliapnikov")) >= {pages["protocol"], pages["memo"], pages["ukrainian"]}
    assert set(found(db, "Shlyapnikov")) >= {pages["protocol"], pages["memo"]}
    assert pages["memo"] in found(db, "Lutovinov")
    assert set(found(db, "Iuzhburo")) == {pages["protocol"], pages["english"]}  # as typed, one letter off
    assert pages["english"] in found(db, "Шляпников")  # Cyrillic finds transliterated text


def test_phrases_keep_their_order(db, pages) -> None:  # type: ignore[no-untyped-def]
    assert found(db, '"работе Южбюро"') == [pages["protocol"]]
    assert found(db, '"Южбюро работе"') == []
    assert found(db, '"Шляпникова о работе" Постановили') == [pages["protocol"]]


def test_filters_and_results(db, pages) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        set_citation(session, session.get(Page, pages["memo"]), parse_citation("TsDAHO f. 1, op. 1, d. 42, l. 3")[0])
        save_text(session, pages["memo"], text=TEXTS["memo"], base_version=2, author="roman", status=Status.VERIFIED)
    assert found(db, "Шляпников", archive="TsDAHO") == [pages["memo"]]
    assert found(db, "Шляпников", fond="1", opis="1", delo="42") == [pages["memo"]]
    assert found(db, "Шляпников", delo="43") == []
    assert found(db, "Шляпников", status="verified") == [pages["memo"]]
    with db.session() as session:
        hit = next(h for h in search(session, "Шляпников") if h.page_id == pages["memo"])
        assert hit.verified and hit.citation == "TsDAHO f. 1, op. 1, d. 42, l. 3"
        assert "<mark>Шляпников</mark>" in hit.snippet
        other = next(h for h in search(session, "Шляпников") if h.page_id == pages["protocol"])
        assert not other.verified and "<mark>Шляпникова</mark>" in other.snippet


def test_the_index_follows_every_save(db, pages) -> None:  # type: ignore[no-untyped-def]
    assert found(db, "Рябов") == []
    with db.session() as session:
        save_text(session, pages["elka"], text="Приказ: инженера Рябова уволить в отпуск.", base_version=2,
                  author="olena")
    assert found(db, "Рябова") == [pages["elka"]] and found(db, "Ёлка") == []
    with db.session() as session:
        assert reindex(session) == len(TEXTS)
    assert found(db, "Рябов") == [pages["elka"]]


def test_reindexing_goes_through_every_page_a_batch_at_a_time(db, pages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import workbench.search

    monkeypatch.setattr(workbench.search, "REINDEX_BATCH", 3)  # 7 pages: batches of 3, 3 and 1
    with db.session() as session:
        session.execute(workbench.search.sql("DELETE FROM search_index"))
    assert found(db, "Шляпникова") == []
    with db.session() as session:
        assert reindex(session) == len(TEXTS)
    assert set(found(db, "Шляпникова")) >= {pages["protocol"], pages["ukrainian"]}
    assert found(db, "Ёлка") == [pages["elka"]]


def test_markup_in_text_is_escaped_in_snippets(db, pages) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        save_text(session, pages["elka"], text="<script>alert(1)</script> Рябов", base_version=2, author=None)
        hit = search(session, "Рябов")[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_an_empty_query_is_a_clear_error(db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session, pytest.raises(BadInput, match="nothing to search for"):
        search(session, '  "" ,, ')


def test_a_word_inside_a_phrase_is_marked_once(db, pages) -> None:  # type: ignore[no-untyped-def]
    with db.session() as session:
        hit = search(session, 'Шляпникова "Шляпникова о работе"', fuzzy=False)[0]
    assert hit.snippet.count("<mark>") == 1 and "<mark>Шляпникова о работе</mark>" in hit.snippet


def test_hits_are_marked_in_one_text() -> None:
    text = "Слушали: доклад т. Шляпннкова. Шляпников согласен."
    assert [text[s:e] for s, e in hit_spans(text, "Shliapnikov")] == ["Шляпннкова", "Шляпников"]


def test_a_letter_spaced_word_is_found_as_one() -> None:
    """Typists spaced the letters of headings (П Р И К А З); the word is found and marked whole."""
    text = "П Р И К А З\nпо Южбюро. Выдан М А Н Д А Т тов. Гребенюку; и в с."
    assert [text[s:e] for s, e in hit_spans(text, "приказ")] == ["П Р И К А З"]
    assert [text[s:e] for s, e in hit_spans(text, "мандата")] == ["М А Н Д А Т"]
    assert hit_spans(text, "Гребенюк") and not hit_spans(text, "ПРИ")
    assert [text[s:e] for s, e in hit_spans(text, "П Р И К А З")] == ["П Р И К А З"]  # typed as it looks
    small = "и я с ним"  # three small one-letter words stay words
    assert [small[s:e] for s, e in hit_spans(small, '"я с ним"')] == ["я с ним"]


@pytest.mark.ocr
def test_the_index_follows_ocr_and_the_cli_and_web_find_pages(runner, settings, client, photos: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    result = invoke(runner, settings, "search", "Shliapnikov", "--json")
    assert result.exit_code == 0, result.output
    import json

    hits = json.loads(result.output)
    assert len(hits) == 1 and hits[0]["image"] == "IMG_0001.png" and hits[0]["verified"] is False
    plain = invoke(runner, settings, "search", "Лутовинов", "--limit", "5")
    assert "IMG_0002.PNG" in plain.output
    html = client.get("/search?q=Shliapnikov").get_data(as_text=True)
    assert "<mark>Шляпникова</mark>" in html and f"/pages/{hits[0]['page_id']}?q=Shliapnikov" in html
    editor = client.get(f"/pages/{hits[0]['page_id']}?q=Shliapnikov").get_data(as_text=True)
    assert "data-hits=" in editor
    assert client.get("/search?q=").status_code == 200
    assert csrf_token(client)


def test_filters_apply_before_ranking_is_capped(db, pages, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import workbench.search as search_module

    monkeypatch.setattr(search_module, "RANKED", 2)  # as if a word matched more pages than are ranked
    with db.session() as session:
        set_citation(session, session.get(Page, pages["english"]), parse_citation("f. 7, op. 1, d. 1, l. 1")[0])
    assert len(found(db, "Шляпников")) == 2
    assert found(db, "Шляпников", fond="7") == [pages["english"]]
