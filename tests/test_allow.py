"""Warnings accepted on purpose: stable codes, `allow:` entries with a reason, and allows that went stale."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest

from recommender.advisor.allowances import settle
from recommender.advisor.analysis import analyse
from recommender.book.codes import ALLOWABLE, WARNING_CODES
from recommender.cli import main
from recommender.errors import RuleBookError
from tests.conftest import ROOT
from tests.scratch import FOUNDATION, Scratch, scratch  # noqa: F401 - the fixture

TODAY = datetime.date(2026, 11, 27)
RULES = f"rules/{FOUNDATION}"
UNREAD = ("  - id: favourite_colour\n    type: single\n    label: x\n    prompt: Favourite colour?\n"
          "    default: red\n    options: [{id: red, label: Red}]\n")
UNREAD_MESSAGE = ("question 'favourite_colour': no rule, fact, eligibility route or other question reads it, "
                  "so its answer changes nothing [question-unread]")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["rules", "check", "--rules", "rules", "--max-age", "100000", *args])
    return code, capsys.readouterr().out.splitlines()


def test_a_warning_is_printed_with_its_code(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    line = scratch.append("questionnaire.yaml", UNREAD)
    assert check(capsys, "--strict") == (1, [
        f"rules/questionnaire.yaml:{line}: warning: {UNREAD_MESSAGE}",
        "0 errors and 1 warning in rules; --strict counts warnings as errors."])


def test_an_allow_with_a_reason_accepts_that_warning(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    scratch.append("questionnaire.yaml", UNREAD + "    allow:\n      - warning: question-unread\n"
                   "        because: Asked for a survey; no rule should read it.\n")
    code, out = check(capsys, "--strict")
    assert code == 0 and out[0].startswith("No problems in rules (1 warning accepted with allow): ")


def test_an_allow_accepts_only_its_own_objects_warning(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    first = scratch.append("questionnaire.yaml", UNREAD.replace("favourite_colour", "first_colour"))
    scratch.append("questionnaire.yaml", UNREAD + "    allow:\n      - {warning: question-unread, because: Survey.}\n")
    code, out = check(capsys, "--strict")
    assert code == 1 and out[0].startswith(f"rules/questionnaire.yaml:{first}: warning: question 'first_colour'")
    assert out[1:] == ["0 errors and 1 warning in rules (1 warning accepted with allow); --strict counts warnings "
                       "as errors."]


def test_an_allow_that_no_longer_matches_is_reported(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    start = scratch.rule("well-used", "{fact: wants_coding}", "{CPC: 5}",
                         extra="    allow:\n      - {warning: points-excluded, because: Overlaps on purpose.}\n")
    assert check(capsys) == (0, [
        f"{RULES}:{start + 5}: warning: rule 'well-used' → allow[0]: allows 'points-excluded', but no such warning "
        "is found here any more; remove this entry [allow-unused]",
        "0 errors and 1 warning in rules; warnings fail only under --strict."])


def test_points_meant_to_overlap_an_exclusion_can_be_accepted(scratch: Scratch) -> None:
    scratch.rule("dead-points", "{answer: certifications, contains: CPC}", "{CCA: 5}",
                 extra="    allow:\n      - {warning: points-excluded, because: Kept for when the exclusion goes.}\n")
    kept, allowed = settle(scratch.load(), analyse(scratch.load(), TODAY, 100000))
    assert [(a.problem.code, a.problem.subject, a.because) for a in allowed] == [
        ("points-excluded", "rule 'dead-points'", "Kept for when the exclusion goes.")]
    assert not [p for p in kept if p.subject == "rule 'dead-points'"]


@pytest.mark.parametrize("entry, message", [
    ("{warning: question-unred, because: Survey.}",
     "allow[0].warning: unknown warning code 'question-unred'; did you mean 'question-unread'?; codes are "
     + ", ".join(ALLOWABLE)),
    ("{warning: question-unread}", "allow[0].because: this key is required but missing"),
    ("{warning: allow-unused, because: Never.}",
     "allow[0].warning: 'allow-unused' cannot be allowed: remove the allow entry it was reported for"),
])
def test_a_bad_allow_is_a_located_error(scratch: Scratch, entry: str, message: str) -> None:
    line = scratch.append("questionnaire.yaml", UNREAD + f"    allow:\n      - {entry}\n")
    with pytest.raises(RuleBookError) as info:
        scratch.load()
    assert [str(p) for p in info.value.problems] == [
        f"rules/questionnaire.yaml:{line + 7}: question 'favourite_colour' → {message}"]


def test_every_warning_the_analysis_makes_has_a_registered_code() -> None:
    """Read the advisor's sources: every problem made with `warning=` names a code= from the registry."""
    used: set[str] = set()
    for path in sorted((ROOT / "recommender" / "advisor").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # A code handed on through a variable (yielded with its finding) counts where it is written.
        used |= {c.value for c in ast.walk(tree) if isinstance(c, ast.Constant) and c.value in WARNING_CODES}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            positional_warning = len(node.args) >= {"Problem": 6, "_add": 7}.get(name, 99)
            warning = keywords.get("warning")
            if (warning is None or (isinstance(warning, ast.Constant) and warning.value is False)) \
                    and not positional_warning:
                continue
            assert "code" in keywords, f"{path.name}:{node.lineno}: a warning without code="
            if isinstance(keywords["code"], ast.Name):
                continue  # passed through from a caller, checked there
            codes = {c.value for c in ast.walk(keywords["code"]) if isinstance(c, ast.Constant) and isinstance(c.value, str)
                     and c.value}
            assert codes and codes <= set(WARNING_CODES), f"{path.name}:{node.lineno}: {codes}"
            used |= codes
    assert used == set(WARNING_CODES)


def test_the_guide_lists_every_code() -> None:
    guide = (ROOT / "docs" / "advisors.md").read_text(encoding="utf-8")
    assert [code for code in WARNING_CODES if f"`{code}`" not in guide] == []


def test_codes_are_stable_names() -> None:
    assert all(code == code.lower() and " " not in code for code in WARNING_CODES)
    assert Path(ROOT / "recommender" / "book" / "codes.py").is_file()
