"""Results remembered across profiles: the same answers as computing afresh, in either language."""

from __future__ import annotations

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.engine import memo
from recommender.engine.recommend import recommend
from recommender.i18n import use_lang
from tests.conftest import PROFILES


def test_remembered_makes_once_and_forgets_past_the_limit() -> None:
    calls: list[int] = []
    store: memo.Table = {}

    def make() -> int:
        calls.append(1)
        return len(calls)

    assert memo.remembered(store, "k", make) == 1
    assert memo.remembered(store, "k", make) == 1 and len(calls) == 1
    for i in range(memo.LIMIT):
        memo.remembered(store, i, make)
    assert "k" not in store and len(store) <= memo.LIMIT  # emptied once full, never grown past it
    assert memo.remembered(store, "k", make) == len(calls)


def test_tables_belong_to_a_book_and_a_name(book: RuleBook) -> None:
    assert memo.table(book, "a") is memo.table(book, "a")
    assert memo.table(book, "a") is not memo.table(book, "b")


def _years(book: RuleBook) -> list[str]:
    return [y.summary for path in (recommend(book, load_answers(p, book).profile).pathways for p in PROFILES)
            for pathway in path for y in pathway.years]


def test_the_years_ahead_are_the_same_remembered_or_not_in_either_language(book: RuleBook) -> None:
    memo.table(book, "year-words").clear()
    english = _years(book)
    with use_lang("es"):
        spanish = _years(book)  # the English sentences are remembered: they must not leak into Spanish
    assert english != spanish
    assert _years(book) == english
    with use_lang("es"):
        assert _years(book) == spanish
    memo.table(book, "year-words").clear()
    with use_lang("es"):
        assert _years(book) == spanish
    assert any("Year 1" in s for s in english) and not any("Year 1" in s for s in spanish)
