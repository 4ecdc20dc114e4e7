"""What a student reads: the plan first, short, in plain words, within the terminal, every source once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.book.yamlio import load_file
from recommender.engine.recommend import recommend
from recommender.render import render
from tests.conftest import ROOT

PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))
INTERNALS = (re.compile(r"\(\+\d+"), re.compile(r"\bfit \d+"), re.compile(r"after prerequisites"),
             re.compile(r"not sourced"), re.compile(r"\brule '"), re.compile(r"'\w+' route"))


def report(book: RuleBook, path: Path, fmt: str = "text", details: bool = False, width: int = 88) -> str:
    return render(recommend(book, load_answers(path, book).profile), book, fmt, details, width)


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_the_default_report_leads_with_the_plan_and_stays_short(book: RuleBook, path: Path) -> None:
    text = report(book, path)
    lines = text.splitlines()
    assert len(lines) <= 80
    assert lines[0].startswith("Your plan")
    assert lines[3].startswith("Best fit for you: ") and "\n  This month: " in text
    for pattern in INTERNALS:
        assert not pattern.search(text), pattern.pattern
    fired = set(recommend(book, load_answers(path, book).profile).fired)
    assert not [r for r in fired if re.search(rf"(?<![\w-]){re.escape(r)}(?![\w-])", text)]


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_narrow_terminals_get_no_line_longer_than_they_are(book: RuleBook, path: Path) -> None:
    for details in (False, True):
        long = [line for line in report(book, path, details=details, width=60).splitlines()
                if len(line) > 60 and "://" not in line]
        assert long == []


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_details_keep_every_reason_with_its_rule(book: RuleBook, path: Path) -> None:
    result = recommend(book, load_answers(path, book).profile)
    text = report(book, path, details=True)
    for rec in result.recommendations:
        assert f"[{rec.id}]" in text
        for reason in rec.reasons:
            assert re.search(rf"rule\s+{re.escape(reason.rule)}\)", text), reason.rule


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_the_json_summary_follows_the_contract(book: RuleBook, path: Path) -> None:
    data = json.loads(report(book, path, "json"))
    s = data["summary"]
    assert set(s) >= {"best_role", "first_step", "then", "alternatives", "fit_legend"}
    best = s["best_role"]
    assert set(best) >= {"id", "name", "fit", "pay", "outlook"}
    assert best["fit"] in {b.label for b in book.report.fit_labels}
    if best["pay"] is not None:
        assert set(best["pay"]) >= {"value_usd", "period", "year", "sources"} and best["pay"]["sources"]
    if best["outlook"] is not None:
        assert set(best["outlook"]) >= {"text", "sources"}
    first = s["first_step"]
    assert set(first) >= {"text", "item", "duration_months", "cost_usd", "why"}
    for key in ("duration_months", "cost_usd"):
        assert first[key] is None or (len(first[key]) == 2 and first[key][0] <= first[key][1])
    assert all(isinstance(t, str) for t in s["then"]) and len(s["alternatives"]) <= 2
    assert all(set(a) == {"role", "name", "first_step"} for a in s["alternatives"])
    assert best["id"] == next(r["id"] for r in data["recommendations"] if r["kind"] == "role" and r["id"] == best["id"])


def test_every_source_is_listed_once_in_the_order_the_text_cites_it(book: RuleBook) -> None:
    for path in PROFILES:
        text = report(book, path)
        body, _, listing = text.partition("\nSOURCES\n")
        cited = [int(n) for n in re.findall(r"\[(\d+)\]", body)]
        firsts = list(dict.fromkeys(cited))
        assert firsts == list(range(1, len(firsts) + 1)), path.name
        listed = re.findall(r"^  \[(\d+)\] ", listing, re.M)
        assert [int(n) for n in listed] == firsts
        urls = re.findall(r"https?://\S+", listing)
        assert len(urls) == len(set(urls))


def test_no_report_speaks_of_how_the_rule_book_was_made(book: RuleBook) -> None:
    phrases = load_file(ROOT / "rules" / "wording.yaml", "rules/wording.yaml").data["process_phrases"]
    patterns = [re.compile(rf"(?<!\w){re.escape(p)}(?!\w)", re.I) for p in phrases]
    for path in PROFILES:
        for fmt, details in (("text", False), ("text", True), ("markdown", False), ("markdown", True), ("json", False)):
            text = report(book, path, fmt, details)
            found = [p.pattern for p in patterns if p.search(text)]
            assert found == [], (path.name, fmt, details)


def test_a_person_with_nothing_to_go_on_is_told_what_to_add(book: RuleBook, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("answers: {education: high_school}\n")
    text = report(book, path)
    assert text.startswith("Your plan\n=========\n\nYour answers do not point to a credential")


def test_a_person_who_wants_a_higher_salary_sees_the_pay_of_each_role_listed(book: RuleBook) -> None:
    path = ROOT / "profiles" / "06_aspiring_coder.yaml"
    assert "higher_salary" in load_answers(path, book).profile.answers["goals"]
    roles = report(book, path).split("\nROLES\n")[1].split("\n\n")[0]
    assert "Medical billing and coding specialist · Best fit · " in roles and "$50,250 a year (2024)" in roles
    calm = ROOT / "profiles" / "02_fresh_graduate.yaml"  # a first job soon, no word about pay
    assert "a year (" not in report(book, calm).split("\nROLES\n")[1].split("\n\n")[0]
