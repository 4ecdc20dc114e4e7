"""Provenance: publisher kinds, `checked` and `as_of` dates, shared addresses, what facts claim, and
texts that tell how the rule book was written (the phrase list lives in rules/wording.yaml)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender.advisor.analysis import analyse, check_sources
from recommender.book.model import PUBLISHER_KINDS, Source, as_of_end, as_of_start
from recommender.cli import cli, main
from recommender.errors import RuleBookError
from tests.conftest import ROOT
from tests.scratch import Scratch, scratch  # noqa: F401 - the fixture

TODAY = datetime.date(2026, 11, 29)
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ORGS = "catalog/organizations.yaml"


def _line_of(s: Scratch, rel: str, text: str) -> int:
    lines = (s.root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _insert_sources(s: Scratch, today: datetime.date = TODAY) -> None:
    """The bad sources, the one read "tomorrow" dated the day after `today` (the fixture has TODAY's)."""
    text = (FIXTURES / "bad_sources.yaml").read_text(encoding="utf-8")
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    s.replace(ORGS, "sources:\n", "sources:\n" + text.replace("checked: 2026-11-30", f"checked: {tomorrow}"))


def _first_aama_eligibility(s: Scratch) -> int:
    return _line_of(s, "catalog/certifications.yaml", "- id: aama-eligibility")


# ---------------------------------------------------------------- the model
@pytest.mark.parametrize("value, text", [(2024, "2024"), ("2024-05", "2024-05"), ("1999-12", "1999-12")])
def test_as_of_takes_a_year_or_a_month(value: object, text: str) -> None:
    src = Source.model_validate({"id": "a", "title": "T", "url": "https://x.org", "as_of": value})
    assert src.as_of == text


@pytest.mark.parametrize("value", ["May 2024", "2024-13", "2024-05-01", 24, True, datetime.date(2024, 5, 1)])
def test_as_of_refuses_anything_else(value: object) -> None:
    with pytest.raises(ValueError, match="expected a year such as 2024 or a month such as 2024-05"):
        Source.model_validate({"id": "a", "title": "T", "url": "https://x.org", "as_of": value})


def test_as_of_periods() -> None:
    assert (as_of_start("2024"), as_of_end("2024")) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert (as_of_start("2024-02"), as_of_end("2024-02")) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert as_of_end("2023-12") == datetime.date(2023, 12, 31)


def test_checked_is_optional_and_kind_is_free_text_at_load() -> None:
    src = Source.model_validate({"id": "a", "title": "T", "url": "https://x.org", "kind": "blogger"})
    assert (src.checked, src.kind) == (None, "blogger")


# ---------------------------------------------------------------- bad sources: located lines, the book still loads
def test_bad_sources_are_located_problems_and_the_book_still_loads(scratch: Scratch) -> None:
    _insert_sources(scratch)
    book = scratch.load()  # none of these stops loading
    line = _line_of(scratch, ORGS, "id: odd-kind")
    first = _first_aama_eligibility(scratch)
    found = [str(p) for p in analyse(book, TODAY) if p.path.endswith("organizations.yaml")
             and p.subject.startswith("source")]
    kinds = ", ".join(PUBLISHER_KINDS)
    assert sorted(found) == sorted([
        f"rules/{ORGS}:{line + 3}: source 'odd-kind' → kind: 'blogger' is not a kind of publisher; expected one "
        f"of {kinds}",
        f"rules/{ORGS}:{line + 9}: source 'read-tomorrow' → checked: 2026-11-30 is after today (2026-11-29); write "
        "the date the source was actually read",
        f"rules/{ORGS}:{line + 15}: source 'figures-from-the-future' → as_of: 2027 is after the date the page was "
        "read (2026-11-01): a page cannot give figures for a period that had not begun; correct one of the two "
        "dates",
        f"rules/{ORGS}:{line + 18}: source 'same-page-again' → url: has the same address as source "
        f"'aama-eligibility' (rules/catalog/certifications.yaml:{first}); cite that source instead, so that each "
        "page is listed once",
        f"rules/{ORGS}:{line + 20}: warning: source 'no-kind' → kind: say what kind of publisher this is: one of "
        f"{kinds} [source-kind-missing]",
        f"rules/{ORGS}:{line}: warning: source 'odd-kind': no fact cites it [source-uncited]",
        f"rules/{ORGS}:{line + 5}: warning: source 'read-tomorrow': no fact cites it [source-uncited]",
        f"rules/{ORGS}:{line + 10}: warning: source 'figures-from-the-future': no fact cites it [source-uncited]",
        f"rules/{ORGS}:{line + 16}: warning: source 'same-page-again': no fact cites it [source-uncited]",
        f"rules/{ORGS}:{line + 20}: warning: source 'no-kind': no fact cites it [source-uncited]",
    ])


def test_bad_sources_are_found_in_the_files_when_the_book_does_not_load(scratch: Scratch) -> None:
    _insert_sources(scratch)
    scratch.append("rules/advancement.yaml", "  - id: broken\n")
    with pytest.raises(RuleBookError):
        scratch.load()
    found = {(p.subject, p.key, p.warning) for p in check_sources(scratch.root, TODAY)}
    assert found == {("source 'odd-kind'", "kind", False), ("source 'read-tomorrow'", "checked", False),
                     ("source 'figures-from-the-future'", "as_of", False), ("source 'same-page-again'", "url", False)}


def test_rules_check_exits_1_on_bad_sources_and_says_the_book_loaded(
        scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    _insert_sources(scratch, datetime.date.today())  # `rules check` reads the clock
    code = main(["rules", "check", "--rules", "rules", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["loaded"] is True
    assert {e["subject"] for e in report["errors"]} == {"source 'odd-kind'", "source 'read-tomorrow'",
                                                        "source 'figures-from-the-future'", "source 'same-page-again'"}


def test_a_malformed_as_of_is_a_load_error(scratch: Scratch) -> None:
    scratch.replace(ORGS, "sources:\n", "sources:\n  - {id: bad-date, title: T, url: 'https://example.org/d', "
                                        "kind: issuer, as_of: May 2024}\n")
    with pytest.raises(RuleBookError) as info:
        scratch.load()
    line = _line_of(scratch, ORGS, "bad-date")
    assert info.value.lines() == [f"rules/{ORGS}:{line}: source 'bad-date' → as_of: expected a year such as 2024 "
                                  "or a month such as 2024-05, got 'May 2024'"]


# ---------------------------------------------------------------- what facts claim
def _new_org_fact(s: Scratch, sources: str, confidence: str = "confirmed") -> int:
    """Give MGMA a fact citing `sources`; return the line of its `confidence`."""
    s.replace(ORGS, "    offers: []\n    sources: [site-mgma]\n",
              "    offers: []\n    sources: [site-mgma]\n    facts:\n"
              f"      - value: A fact for the test.\n        sources: [{sources}]\n        confidence: {confidence}\n")
    return _line_of(s, ORGS, "value: A fact for the test.") + 2


def test_a_confirmed_fact_on_second_hand_sources_only(scratch: Scratch) -> None:
    line = _new_org_fact(scratch, "cert-ref-mometrix-rma, ctx-stepful-ma")
    found = [str(p) for p in analyse(scratch.load(), TODAY) if p.subject == "organization 'mgma'"]
    assert f"rules/{ORGS}:{line}: warning: organization 'mgma' → facts[0].confidence: is marked confirmed but " \
           "rests only on secondary or third-party sources; cite the issuer's, accreditor's or government's own " \
           "page, or mark it uncertain and word its text with a hedge [fact-second-hand]" in found


def test_a_certification_names_its_issuer_in_the_warning(scratch: Scratch) -> None:
    scratch.replace("catalog/certifications.yaml",
                    '      questions: {value: "Reported by a guide as 150 questions", sources: '
                    '[cert-ref-healthcareercerts-ccma-nc], confidence: uncertain}',
                    '      questions: {value: "150 questions", sources: [cert-ref-healthcareercerts-ccma-nc], '
                    'confidence: confirmed}')
    found = [p.message for p in analyse(scratch.load(), TODAY) if p.subject == "certification 'CCMA'"]
    assert any("although the catalog names its issuer 'nha'" in m for m in found)


def test_a_confirmed_fact_whose_sources_were_never_read(scratch: Scratch) -> None:
    line = _new_org_fact(scratch, "site-amt, amt-exam-process")
    found = [str(p) for p in analyse(scratch.load(), TODAY) if p.subject == "organization 'mgma'"]
    assert f"rules/{ORGS}:{line}: warning: organization 'mgma' → facts[0].confidence: is marked confirmed but " \
           "none of its sources has a `checked` date; read one of them and date it, or mark the fact uncertain " \
           "[fact-unread]" \
           in found


def test_an_uncertain_fact_may_rest_on_second_hand_sources(scratch: Scratch) -> None:
    _new_org_fact(scratch, "cert-ref-mometrix-rma", "uncertain")
    assert [p for p in analyse(scratch.load(), TODAY) if p.subject == "organization 'mgma'"] == []


# ---------------------------------------------------------------- dated figures
def test_pay_older_than_three_years_is_reported(scratch: Scratch) -> None:
    scratch.replace("catalog/roles.yaml", "      value_usd: 44200\n      as_of: 2024-05\n",
                    "      value_usd: 44200\n      as_of: 2022-05\n")
    found = [str(p) for p in analyse(scratch.load(), TODAY) if p.subject == "role 'clinical_medical_assistant'"]
    line = _line_of(scratch, "catalog/roles.yaml", "as_of: 2022-05") - 3
    assert found == [f"rules/catalog/roles.yaml:{line}: warning: role 'clinical_medical_assistant' → pay_usd: the "
                     "figure describes 2022-05, more than 3 years ago; cite the newest edition and keep this one "
                     "as a dated alternative [figure-old]"]


def test_a_figure_stays_current_for_three_years_after_its_period_ends() -> None:
    from recommender.book.loader import load_rulebook

    book = load_rulebook(ROOT / "rules")  # the LPN figures describe 2023

    def lpn(today: datetime.date) -> list[str]:
        return [p.key for p in analyse(book, today) if p.subject == "role 'licensed_practical_nurse'"]

    assert lpn(datetime.date(2026, 12, 31)) == []
    assert lpn(datetime.date(2027, 1, 1)) == ["pay", "pay_usd", "outlook"]


def test_a_market_figure_without_a_period(scratch: Scratch) -> None:
    scratch.append("market.yaml", "  - id: undated_pay\n    topic: pay\n    value: Some pay.\n"
                                  "    sources: [cert-ref-mometrix-rma]\n    confidence: uncertain\n")
    found = [p.message for p in analyse(scratch.load(), TODAY) if p.subject == "market fact 'undated_pay'"]
    assert found == ["no source says what period this figure describes; give its source an `as_of` (the year or "
                     "month of the data)"]


def test_shipped_pay_and_outlook_are_current() -> None:
    from recommender.book.loader import load_rulebook

    found = [p for p in analyse(load_rulebook(ROOT / "rules"), TODAY)
             if "period" in p.message or "more than 3 years" in p.message]
    assert found == []


# ---------------------------------------------------------------- how the book was written
def test_a_process_phrase_in_a_text_a_person_reads(scratch: Scratch) -> None:
    scratch.replace("catalog/roles.yaml", "    short_name: Clinical MA\n",
                    "    short_name: Clinical MA\n    # The team reference file says so (comments are not read).\n")
    scratch.replace("catalog/roles.yaml", "        note: \"AAMA's state-by-state list links each state's rules.\"\n",
                    "        note: \"Via team reference file.\"\n")
    line = _line_of(scratch, "catalog/roles.yaml", "Via team reference file.")
    found = [str(p) for p in analyse(scratch.load(), TODAY) if "rule book was written" in p.message]
    assert found == [f"rules/catalog/roles.yaml:{line}: warning: role 'clinical_medical_assistant' → facts[1].note: "
                     "'team' tells how the rule book was written, and a person reads this text; say what is known, "
                     "or what the person should do to find out [process-wording]"]


def test_advisors_extend_the_phrase_list(scratch: Scratch) -> None:
    book = scratch.load()
    assert not any("rule book was written" in p.message for p in analyse(book, TODAY))
    scratch.append("wording.yaml", "  - guides\n")
    found = {p.subject for p in analyse(scratch.load(), TODAY) if "'guides' tells how" in p.message
             or "'Guides' tells how" in p.message}
    assert "certification 'RMA'" in found


def test_phrases_match_whole_words_only(scratch: Scratch) -> None:
    scratch.append("wording.yaml", "  - exam\n")  # "exams" and "example" must not match
    found = [p for p in analyse(scratch.load(), TODAY) if "tells how" in p.message]
    assert found and all("'exam'" in p.message.lower() for p in found)


def test_ids_and_conditions_are_not_texts(scratch: Scratch) -> None:
    scratch.append("wording.yaml", "  - has_diploma\n  - CMAA\n")
    found = [p for p in analyse(scratch.load(), TODAY) if "tells how" in p.message]
    assert all(p.key.split(".")[-1] not in ("when", "unless", "relevant_if", "id", "issuer") for p in found)
    assert not any("has_diploma" in p.message for p in found)


def test_a_broken_phrase_list_is_a_located_problem(scratch: Scratch) -> None:
    (scratch.root / "wording.yaml").write_text((FIXTURES / "bad_wording.yaml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    found = [str(p) for p in analyse(scratch.load(), TODAY) if p.path.endswith("wording.yaml")]
    assert found == ["rules/wording.yaml:3: process_phrases[1]: string should have at least 2 characters"]


def test_the_shipped_texts_say_nothing_of_how_the_book_was_written() -> None:
    from recommender.book.loader import load_rulebook

    assert [str(p) for p in analyse(load_rulebook(ROOT / "rules"), TODAY) if "tells how" in p.message] == []


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_no_report_speaks_of_how_the_book_was_written(fmt: str) -> None:
    import re

    import yaml

    phrases = yaml.safe_load((ROOT / "rules" / "wording.yaml").read_text(encoding="utf-8"))["process_phrases"]
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in phrases), re.IGNORECASE)
    runner = CliRunner()
    for profile in sorted((ROOT / "profiles").glob("*.yaml")):
        result = runner.invoke(cli, ["recommend", str(profile), "--format", fmt, "--rules", str(ROOT / "rules")])
        assert result.exit_code == 0, result.output
        found = pattern.search(result.output)
        assert found is None, f"{profile.name}: {found.group(0)!r} in the {fmt} report"
