"""The questionnaire state machine: order, ask_if, progress, going back, stale answers, typed input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recommender.book.answers import profile_from, resolve
from recommender.book.rulebook import RuleBook
from recommender.quiz.session import (
    Entry,
    InvalidAnswer,
    Issue,
    Progress,
    Session,
    walk,
)
from tests.strategies import answer_for

BRANCHING = ("ma_training_accredited", "training_years_ago", "experience_areas")


def answer_all(session: Session, answers: dict[str, Any]) -> None:
    """Answer questions in order from `answers`, taking the default for any not listed."""
    while (q := session.current()) is not None:
        default = session.default(q)
        session.answer(answers.get(q.id, default if default is not None else session.options(q)[0]))


# ---------------------------------------------------------------- order and ask_if
def test_a_new_session_starts_with_education(book: RuleBook) -> None:
    session = Session(book)
    assert session.current() is not None and session.current().id == "education"  # type: ignore[union-attr]
    assert session.answers == {} and not session.complete
    assert str(session.progress()) == "Question 1 of about 12"


def test_questions_come_in_questionnaire_order_skipping_those_not_asked(book: RuleBook) -> None:
    session = Session(book)
    seen = []
    while (q := session.current()) is not None:
        seen.append(q.id)
        value = {"education": "high_school"}.get(q.id, session.default(q))
        session.skip() if value is None and session.optional(q) else session.answer(value)
    assert seen == [q.id for q in book.questions if q.id not in BRANCHING]
    assert session.complete and session.progress() is None


def test_branches_open_when_an_answer_calls_for_them(book: RuleBook) -> None:
    session = Session(book)
    session.answer("high_school")
    session.answer("completed")
    assert session.current().id == "ma_training_accredited"  # type: ignore[union-attr]
    assert session.progress() == Progress(3, 14, False)
    session.answer(True)
    session.answer(2)
    session.answer(4)
    assert session.current().id == "experience_areas"  # type: ignore[union-attr]
    # Nothing left unanswered changes which questions are asked: the count is exact.
    assert str(session.progress()) == "Question 6 of 15"


def test_every_path_has_at_most_15_questions(book: RuleBook) -> None:
    session = Session(book)
    answer_all(session, {"education": "none", "ma_training": "completed", "experience_years": 1})
    assert len(session.asked()) == 15 == len(book.questions)


# ---------------------------------------------------------------- back, reopen, stale answers
def test_back_returns_to_the_previous_question_with_its_answer_as_default(book: RuleBook) -> None:
    session = Session(book)
    assert session.back() is False  # nothing before the first question
    session.answer("bachelor")
    session.answer("in_progress")
    assert session.back() is True
    q = session.current()
    assert q is not None and q.id == "ma_training"
    assert session.default(q) == "in_progress" and session.has_answer("ma_training")
    assert session.back() is True and session.current().id == "education"  # type: ignore[union-attr]
    assert session.back() is False


def test_back_from_the_review_goes_to_the_last_question(book: RuleBook) -> None:
    session = Session(book)
    answer_all(session, {"education": "graduate"})
    assert session.back() is True
    assert session.current().id == "state"  # type: ignore[union-attr]


def test_changing_an_answer_drops_answers_to_questions_no_longer_asked(book: RuleBook) -> None:
    session = Session(book)
    answer_all(session, {"education": "high_school", "ma_training": "completed", "ma_training_accredited": True,
                         "training_years_ago": 3, "experience_years": 2, "experience_areas": ["billing"]})
    session.reopen("ma_training")
    assert session.answer("in_progress") == ["training_years_ago"]
    assert session.answers["ma_training_accredited"] is True  # still asked, so kept
    session.reopen("experience_years")
    assert session.answer(0) == ["experience_areas"]
    assert "training_years_ago" not in session.answers and "experience_areas" not in session.answers
    assert session.complete and walk(book, session.answers).stale == ()


def test_a_reopened_question_that_opens_a_branch_asks_it_then_returns_to_the_review(book: RuleBook) -> None:
    session = Session(book)
    answer_all(session, {"education": "associate"})
    session.reopen("ma_training")
    session.answer("completed")
    assert [session.current().id] == ["ma_training_accredited"]  # type: ignore[union-attr]
    session.answer(False)
    session.answer(0)
    assert session.current() is None and session.complete


def test_going_back_does_not_forget_later_answers(book: RuleBook) -> None:
    session = Session(book)
    for value in ("high_school", "none", 5, ["billing"]):
        session.answer(value)
    session.back()
    session.back()
    session.answer(5)  # experience_years unchanged: the areas are still asked and keep their answer
    q = session.current()
    assert q is not None and q.id == "experience_areas" and session.default(q) == ["billing"]


def test_reopen_refuses_a_question_that_is_not_asked(book: RuleBook) -> None:
    session = Session(book)
    with pytest.raises(LookupError, match="'training_years_ago' is not asked with the current answers"):
        session.reopen("training_years_ago")


def test_answer_checks_the_value(book: RuleBook) -> None:
    session = Session(book)
    with pytest.raises(InvalidAnswer, match="^unknown option 'hs'; options are none, high_school"):
        session.answer("hs")
    session.answer("high_school")
    session.answer("none")
    with pytest.raises(InvalidAnswer, match="^51 is above the maximum of 50$"):
        session.answer(51)
    answer_all(session, {})
    with pytest.raises(LookupError):
        session.answer(1)


def test_answers_are_copies(book: RuleBook) -> None:
    session = Session(book)
    answer_all(session, {"education": "none", "goals": ["leadership"]})
    session.answers["goals"].append("nursing")
    assert session.answers["goals"] == ["leadership"]


# ---------------------------------------------------------------- typed input
def parse(book: RuleBook, qid: str, text: str, given: dict[str, Any] | None = None) -> Entry:
    session = Session(book)
    session._answers.update(given or {})  # a previous answer, as after going back
    return session.parse(session.question(qid), text)


@pytest.mark.parametrize(("qid", "text", "value"), [
    ("education", "2", "high_school"),
    ("education", " High_School ", "high_school"),
    ("education", "bachelor's degree", "bachelor"),
    ("ma_training", "", "none"),
    ("interests", "1, 3 5", ["patient_contact", "billing_coding", "clinical_care"]),
    ("interests", "3,1;;1", ["patient_contact", "billing_coding"]),
    ("interests", "technology dental", ["technology", "dental"]),
    ("interests", "NONE", []),
    ("interests", "", []),
    ("certifications", "cmaa, CPC 16", ["CMAA", "CPC", "CMRS"]),
    ("experience_years", "3", 3),
    ("experience_years", "3 years", 3),
    ("experience_years", "1 year", 1),
    ("experience_years", "2.0", 2),
    ("budget_usd", "$1,500", 1500),
    ("budget_usd", "2500 dollars", 2500),
    ("budget_usd", "", 1000),
    ("study_hours_per_week", "12 hours", 12),
    ("prefers_online", "y", True),
    ("prefers_online", "YES", True),
    ("prefers_online", "no", False),
    ("prefers_online", "", False),
])
def test_typed_answers(book: RuleBook, qid: str, text: str, value: Any) -> None:
    assert parse(book, qid, text) == Entry("answer", value)


@pytest.mark.parametrize(("qid", "text", "reason"), [
    ("education", "", "this question needs an answer; type one number from 1 to 6, or an option id"),
    ("education", "7", "there is no choice 7; type one number from 1 to 6, or an option id"),
    ("education", "0", "there is no choice 0; type one number from 1 to 6, or an option id"),
    ("education", "1 2", "choose only one option; type one number from 1 to 6, or an option id"),
    ("education", "bachelors", "'bachelors' is not one of the choices; did you mean 'bachelor'?; "
                               "type one number from 1 to 6, or an option id"),
    ("interests", "1 x", "'x' is not one of the choices; type the numbers (1 to 10) or ids of all that apply, "
                         "separated by commas or spaces, or 'none'"),
    ("experience_years", "51", "51 is above the maximum of 50; type a whole number from 0 to 50 (years)"),
    ("experience_years", "-1", "-1 is below the minimum of 0; type a whole number from 0 to 50 (years)"),
    ("experience_years", "2.5", "expected a whole number, got 2.5; type a whole number from 0 to 50 (years)"),
    ("experience_years", "two", "'two' is not a number; type a whole number from 0 to 50 (years)"),
    ("experience_years", "1e3", "'1e3' is not a number; type a whole number from 0 to 50 (years)"),
    ("experience_years", "3 dogs", "'3 dogs' is not a number; type a whole number from 0 to 50 (years)"),
    ("budget_usd", "1,50", "'1,50' is not a number; use commas only between thousands (1,500), "
                           "and a point for decimals"),
    ("budget_usd", "2000000", "2000000 is above the maximum of 1000000; "
                              "type a whole number from 0 to 1,000,000 (US dollars)"),
    ("prefers_online", "maybe", "'maybe' is not yes or no; type y for yes or n for no"),
])
def test_wrong_entries_say_why(book: RuleBook, qid: str, text: str, reason: str) -> None:
    assert parse(book, qid, text) == Entry("invalid", reason=reason)


@pytest.mark.parametrize(("text", "kind"), [("?", "help"), ("help", "help"), ("b", "back"), (" B ", "back"),
                                            ("back", "back"), ("q", "quit"), ("QUIT", "quit")])
def test_commands(book: RuleBook, text: str, kind: str) -> None:
    assert parse(book, "interests", text) == Entry(kind)  # type: ignore[arg-type]


def test_an_empty_line_keeps_the_previous_answer(book: RuleBook) -> None:
    assert parse(book, "education", "", {"education": "graduate"}) == Entry("answer", "graduate")


def test_control_characters_are_ignored(book: RuleBook) -> None:
    assert parse(book, "education", "\x1b[A2\x07") == Entry("invalid", reason="'[A2' is not one of the choices; "
                                                                        "type one number from 1 to 6, or an option id")
    assert parse(book, "education", "2\x00") == Entry("answer", "high_school")


@given(st.data())
def test_every_valid_value_typed_as_ids_or_numbers_parses_back(book: RuleBook, data: st.DataObject) -> None:
    q = data.draw(st.sampled_from(book.questions))
    session = Session(book)
    options = session.options(q)
    value = data.draw(answer_for(q, options))
    if q.type == "boolean":
        text = data.draw(st.sampled_from(["y", "yes", "Y"] if value else ["n", "no", "N"]))
    elif q.type == "number":
        text = str(value)
    elif q.type == "single":
        text = data.draw(st.sampled_from([value, str(options.index(value) + 1)]))
    else:
        parts = [data.draw(st.sampled_from([v, str(options.index(v) + 1)])) for v in value]
        text = data.draw(st.sampled_from([", ", " ", ","])).join(parts) if parts else "none"
    expected = [o for o in options if o in value] if q.type == "multi" else value
    assert session.parse(q, text) == Entry("answer", expected)


# ---------------------------------------------------------------- restoring from a file
def test_restore_keeps_valid_answers_and_explains_the_rest(book: RuleBook) -> None:
    raw = {"education": "high_school", "ma_training": "complete", "training_years_ago": 3, "experience_years": 99,
           "experience_areas": ["billing"], "favorite": "blue", "goals": ["leadership"],
           "prefers_online": "yes"}
    session, issues = Session.restore(book, raw, resume=True)
    assert issues == [
        Issue("favorite", "'favorite' is not a question of this questionnaire; its answer was dropped", False),
        Issue("ma_training", "your answer to 'ma_training' ('complete') is not accepted: unknown option 'complete'; "
                             "did you mean 'completed'?; options are none, in_progress, completed; "
                             "the question will be asked again", True),
        Issue("experience_years", "your answer to 'experience_years' (99) is not accepted: 99 is above the maximum "
                                  "of 50; the question will be asked again", True),
        Issue("prefers_online", "your answer to 'prefers_online' ('yes') is not accepted: expected true or false, "
                                "got 'yes'; the question will be asked again", True),
    ]
    # Answers that hang on a question being asked again wait for it instead of being dropped.
    assert session.answers == {"education": "high_school", "training_years_ago": 3,
                               "experience_areas": ["billing"], "goals": ["leadership"]}
    assert session.current().id == "ma_training"  # type: ignore[union-attr]
    session.answer("completed")
    assert session.current().id == "ma_training_accredited"  # type: ignore[union-attr]
    session.answer(True)
    # training_years_ago was kept: it is not asked again.
    assert session.current().id == "experience_years"  # type: ignore[union-attr]
    assert session.answer(0) == ["experience_areas"]
    # Then the questions the file never answered, with prefers_online among them.
    asked = []
    while (q := session.current()) is not None:
        asked.append(q.id)
        session.skip() if session.optional(q) and session.default(q) is None else session.answer(session.default(q))
    assert asked == ["certifications", "interests", "settings", "study_hours_per_week", "budget_usd",
                     "prefers_online", "other_training", "state"]


def test_restore_drops_answers_to_questions_that_are_not_asked(book: RuleBook) -> None:
    raw = {"education": "none", "ma_training": "none", "training_years_ago": -4, "ma_training_accredited": True}
    _session, issues = Session.restore(book, raw, resume=True)
    assert issues == [
        Issue("ma_training_accredited", "your answer to 'ma_training_accredited' was dropped: the question applies "
                                        "only when your medical assisting or medical office training is Enrolled now "
                                        "or Completed a program", False),
        Issue("training_years_ago", "your answer to 'training_years_ago' (-4) is not accepted: -4 is below the "
                                    "minimum of 0; it was dropped, as the question does not apply", False),
    ]


def test_restore_for_amending_asks_everything_with_the_old_answers_as_defaults(book: RuleBook) -> None:
    session, issues = Session.restore(book, {"education": "associate", "goals": ["nursing"]}, resume=False)
    assert issues == []
    q = session.current()
    assert q is not None and q.id == "education" and session.default(q) == "associate"
    session.answer(session.default(q))
    answer_all(session, {})
    assert session.answers["goals"] == ["nursing"]


# ---------------------------------------------------------------- properties
@given(st.data())
def test_any_sequence_of_answers_back_and_reopen_leaves_no_stale_answers(book: RuleBook, data: st.DataObject) -> None:
    session = Session(book)
    for _ in range(data.draw(st.integers(0, 60))):
        q = session.current()
        move = data.draw(st.sampled_from(["answer", "answer", "answer", "back", "reopen"]))
        if move == "back":
            session.back()
        elif move == "reopen" and session.asked():
            session.reopen(data.draw(st.sampled_from([x.id for x in session.asked()])))
        elif q is not None and session.optional(q) and data.draw(st.booleans()):
            session.skip()
        elif q is not None:
            session.answer(data.draw(answer_for(q, session.options(q))))
        state = walk(book, session.answers)
        assert state.stale == () and state.held == frozenset()
        _resolved, problems = resolve(book, session.answers)
        assert [p for p in problems if "would not be asked" in p[1]] == []
        progress = session.progress()
        if progress is not None:
            assert 1 <= progress.number <= progress.total <= 15
    answer_all(session, {})
    profile = profile_from(book, session.answers)
    assert set(profile.given) == set(session.answers) and session.complete
