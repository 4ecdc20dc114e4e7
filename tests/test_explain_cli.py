from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.cli.explain import render_text, to_data
from recommender.engine.explain import explain
from recommender.engine.recommend import recommend
from tests.conftest import PROFILES, ROOT

MARCUS = str(ROOT / "profiles" / "04_nonaccredited_graduate.yaml")
ITEMS = ["CMAA", "CMA", "CPC", "CMOM", "RHIT", "ma_certificate_accredited", "medical_office_manager"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_profile_can_be_explained(book: RuleBook, path: Path) -> None:
    # What `recommender explain` prints, through its functions on the session's rule book.
    profile = load_answers(path, book).profile
    result = recommend(book, profile)
    for item in ITEMS:
        e = explain(book, profile, item, result)
        data = to_data(e)
        assert data["item"] == item and data["summary"]
        assert data["verdict"] in ("recommended", "not recommended", "excluded", "held")
        for cf in data["counterfactuals"]:
            assert cf["recommended"] and 1 <= len(cf["changes"]) <= 3
        text = render_text(e, book)
        assert "RULES THAT TOUCHED IT" in text and text.endswith("\n") and "{" not in text


def test_why_not_in_words_that_quote_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["explain", MARCUS, "CMA"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("CMA (AAMA): Certified Medical Assistant (AAMA)\n"
                          "==============================================\n"
                          "For Marcus (graduate of a non-accredited program)\n\n"
                          "Not recommended: its fit score is 0, 1 point short of being shown;")
    for line in ("  [not met] accredited program graduate: Graduate of a medical assisting program\n",
                 "      - you answered no to whether your program is accredited by CAAHEP or ABHES; CMA\n"
                 "        (AAMA) asks that your program is accredited by CAAHEP or ABHES\n",
                 "  [answers cannot show] other medical assisting program:",
                 "  nonaccredited-graduate (-15 points): You said your program was not accredited by\n",
                 "WHAT WOULD MAKE IT RECOMMENDED\n",
                 "  1. Complete Accredited MA certificate (9–12 months): then recommended, ready now, fit\n"
                 "     55.\n"):
        assert line in out


def test_json_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["explain", MARCUS, "CMA", "--format", "json"], capsys)
    data = json.loads(out)
    assert list(data) == ["lang", "item", "kind", "name", "short_name", "person", "verdict", "status", "score", "rank",
                          "shown", "shown_scores", "summary", "rules", "could_add", "eligibility", "next_steps",
                          "provisional", "goal", "counterfactuals"]
    assert data["rules"][0] == {
        "rule": "nonaccredited-graduate", "fired": True, "points": -15, "excludes": False,
        "text": "You said your program was not accredited by CAAHEP or ABHES (no). The CMA (AAMA) normally requires "
                "such accreditation, while NHA's exams do not.",
        "answers": {"ma_training": "completed", "ma_training_accredited": False, "training_years_ago": 1}}
    (cf,) = data["counterfactuals"]
    assert cf["changes"][0]["answers"] == {"ma_training": "completed", "training_years_ago": 0,
                                          "ma_training_accredited": True}
    assert cf["checked_answers"]["ma_training_accredited"] is True


@pytest.mark.parametrize(("item", "message"), [
    ("cmx", "recommender: unknown certification, program or role 'cmx'; did you mean 'CMA'?"),
    ("aapc", "recommender: 'aapc' is an organization, not a certification, program or role; did you mean 'CPC'?"),
    ("zzz", "recommender: unknown certification, program or role 'zzz'; ids look like CMAA, CMA or "
            "revenue_cycle_representative"),
])
def test_an_unknown_item_is_one_line_with_a_suggestion(item: str, message: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["explain", MARCUS, item], capsys) == (2, "", message + "\n")


@pytest.mark.parametrize("typed", ["cmaa", "CMAA", "Cmaa"])
def test_ids_and_short_names_are_found_in_any_case(typed: str, capsys: pytest.CaptureFixture[str]) -> None:
    from recommender.cli import main

    assert main(["explain", str(ROOT / "profiles" / "02_fresh_graduate.yaml"), typed]) == 0
    assert capsys.readouterr().out.startswith("CMAA: Certified Medical Administrative Assistant\n")
