"""Batch records with shared parts encoded once and spliced in: the same bytes as the record written plainly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.cohort.batch import Record, format_record, record_data, score
from recommender.cohort.read import Row
from recommender.i18n import use_lang
from recommender.render import jsonparts, jsontext
from tests.conftest import PROFILES, ROOT
from tests.strategies import raw_answers


@pytest.fixture(scope="module")
def spanish() -> RuleBook:
    with use_lang("es"):
        return load_rulebook(ROOT / "rules", lang="es")


def standard(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def records(book: RuleBook) -> Iterator[Record]:
    for i, profile in enumerate(PROFILES, 1):
        yield score(book, Row("profiles", i, path=profile))


def check_record(record: Record, book: RuleBook) -> None:
    plain = record_data(record, book)
    spliced = record_data(record, book, spliced=True)
    expected = standard(plain)
    assert jsontext.compact(plain) == expected
    assert jsontext.compact(spliced) == expected
    assert format_record(record, book, "jsonl") == expected + "\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsontext, "_orjson", None)
        assert jsontext.compact(spliced) == expected
        assert format_record(record, book, "jsonl") == expected + "\n"


def spliced_share(data: Any) -> int:
    """How many characters of a record's text come from Encoded parts."""
    if type(data) is jsontext.Encoded:
        return len(data.text)
    if isinstance(data, dict):
        return sum(spliced_share(v) for v in data.values())
    if isinstance(data, (list, tuple)):
        return sum(spliced_share(v) for v in data)
    return 0


def test_every_shipped_profile_reads_the_same_spliced_or_plain(book: RuleBook) -> None:
    for record in records(book):
        assert record.result is not None
        check_record(record, book)


def test_in_spanish_too(spanish: RuleBook) -> None:
    with use_lang("es"):
        for record in records(spanish):
            check_record(record, spanish)


@given(st.data())
def test_random_profiles_read_the_same_spliced_or_plain(book: RuleBook, data: st.DataObject) -> None:
    answers = data.draw(raw_answers(book))
    record = score(book, Row("random.jsonl", 1, {"answers": answers}))
    check_record(record, book)


def test_most_of_a_full_record_is_spliced(book: RuleBook) -> None:
    for record in records(book):
        data = record_data(record, book, spliced=True)
        text = jsontext.compact(data)
        assert spliced_share(data) > 0.4 * len(text), record.source


def test_parts_are_kept_per_book_and_language(book: RuleBook, spanish: RuleBook) -> None:
    english = jsonparts.spliced_parts(book)
    assert jsonparts.spliced_parts(book) is english
    with use_lang("es"):
        # The program's own texts (a step's "Earn {name}") follow the language, even with the same book.
        assert jsonparts.spliced_parts(book) is not english
        assert jsonparts.spliced_parts(spanish) is not jsonparts.spliced_parts(book)
        assert jsonparts.spliced_parts(spanish) is jsonparts.spliced_parts(spanish)


def test_a_full_table_starts_again(book: RuleBook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonparts, "LIMIT", 2)
    memo = jsonparts.Memo()
    for n in range(5):
        assert memo.get(n, lambda n=n: [n]).text == f"[{n}]"  # type: ignore[misc]
        assert len(memo.table) <= 2
    for record in records(book):
        check_record(record, book)
