"""Results remembered across profiles: the same answers as computing afresh, in either language."""

from __future__ import annotations

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.engine import memo
from recommender.engine.recommend import recommend
from recommender.i18n import use_lang
from tests.conftest import PROFILES


def test_a_value_is_built_once_and_a_full_table_starts_again() -> None:
    calls: list[int] = []
    tables = memo.Memo()

    def build() -> int:
        calls.append(1)
        return len(calls)

    assert tables.get("t", "k", build) == 1
    assert tables.get("t", "k", build) == 1 and len(calls) == 1
    for i in range(memo.LIMIT):
        tables.get("t", i, build)
    assert "k" not in tables.table("t") and len(tables.table("t")) <= memo.LIMIT
    assert tables.get("t", "k", build) == len(calls)


def test_tables_belong_to_a_book_and_a_language(book: RuleBook) -> None:
    assert memo.memo(book) is memo.memo(book)
    with use_lang("es"):
        spanish = memo.memo(book)
    assert spanish is not memo.memo(book)


def _years(book: RuleBook) -> list[str]:
    return [y.summary for path in (recommend(book, load_answers(p, book).profile).pathways for p in PROFILES)
            for pathway in path for y in pathway.years]


def test_the_years_ahead_are_the_same_remembered_or_not_in_either_language(book: RuleBook) -> None:
    memo.memo(book).table("year-words").clear()
    with use_lang("es"):
        memo.memo(book).table("year-words").clear()
    english = _years(book)
    with use_lang("es"):
        spanish = _years(book)  # the English sentences are remembered: they must not leak into Spanish
    assert english != spanish
    assert _years(book) == english
    with use_lang("es"):
        assert _years(book) == spanish
    with use_lang("es"):
        memo.memo(book).table("year-words").clear()
        assert _years(book) == spanish  # built afresh: the same as remembered
    assert any("Year 1" in s for s in english) and not any("Year 1" in s for s in spanish)
