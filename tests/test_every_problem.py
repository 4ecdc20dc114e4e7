"""Every problem in one run: an object that fails its model is still checked for everything else."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from recommender.book.loader import _KEYS, load_rulebook
from recommender.book.yamlio import load_file
from recommender.errors import RuleBookError
from tests.conftest import ROOT
from tests.strategies import mistaken_rules


def errors(root: Path) -> list[str]:
    with pytest.raises(RuleBookError) as info:
        load_rulebook(root)
    return [str(p).replace(str(root.parent) + "/", "") for p in info.value.problems]


@pytest.fixture
def book_dir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def append(path: Path, text: str) -> int:
    """Append to a file; return the line number the text starts on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def test_a_misspelled_key_does_not_hide_three_more_mistakes_in_the_rule(book_dir: Path) -> None:
    n = append(book_dir / "rules" / "foundation.yaml",
               "  - id: typo-rule\n"
               "    description: Four mistakes in one rule.\n"
               "    when: {answer: intrests, contains: billing_coding}\n"
               "    pionts: {CPPC: 10}\n"
               "    because: You like {interest}.\n")
    assert errors(book_dir) == [
        f"rules/rules/foundation.yaml:{n + 2}: rule 'typo-rule' → when.answer: unknown question 'intrests'; "
        "did you mean 'interests'?",
        f"rules/rules/foundation.yaml:{n + 3}: rule 'typo-rule' → pionts: unknown key 'pionts'; did you mean 'points'?",
        f"rules/rules/foundation.yaml:{n + 3}: rule 'typo-rule' → points.CPPC: unknown catalog item 'CPPC'; "
        "did you mean 'CPC'?",
        f"rules/rules/foundation.yaml:{n + 4}: rule 'typo-rule' → because: unknown placeholder '{{interest}}': "
        "placeholders name questions; did you mean 'interests'?",
    ]


def test_an_item_with_a_misspelled_key_still_has_its_ids_and_conditions_checked(book_dir: Path) -> None:
    n = append(book_dir / "catalog" / "organizations.yaml",
               "  - id: typo_board\n"
               "    kind: organization\n"
               "    name: Typo Board\n"
               "    descripton: Misspelled key.\n"
               "    url: https://example.org\n"
               "    offers: [CMAAA]\n"
               "    eligibility:\n"
               "      - id: any\n"
               "        requirement: Anyone.\n"
               "        when: {fact: has_diplomma}\n"
               "        sources: [nowhere]\n"
               "        confidence: confirmed\n"
               "    sources: [site-nha]\n")
    found = [e.split("catalog/")[-1] for e in errors(book_dir)]
    assert [f for f in found if "typo_board" in f] == [
        f"organizations.yaml:{n}: organization 'typo_board' → description: this key is required but missing",
        f"organizations.yaml:{n + 3}: organization 'typo_board' → descripton: unknown key 'descripton'; "
        "did you mean 'description'?",
        f"organizations.yaml:{n + 5}: organization 'typo_board' → offers[0]: unknown catalog item 'CMAAA'; "
        "did you mean 'CMAA'?",
        f"organizations.yaml:{n + 9}: organization 'typo_board' → eligibility[0].when.fact: unknown derived fact "
        "'has_diplomma'; did you mean 'has_diploma'?",
        f"organizations.yaml:{n + 10}: organization 'typo_board' → eligibility[0].sources[0]: unknown source "
        "'nowhere'",
    ]


def test_a_question_and_a_fact_with_misspelled_keys_are_still_checked(book_dir: Path) -> None:
    q = append(book_dir / "questionnaire.yaml",
               "  - id: typo_question\n"
               "    type: boolean\n"
               "    prompt: A question?\n"
               "    lable: a question\n"
               "    ask_if: {answer: eduction, equals: none}\n")
    f = append(book_dir / "facts.yaml",
               "  - id: typo_fact\n"
               "    descriptoin: A fact.\n"
               "    when: {fact: has_diplomma}\n")
    found = [e for e in errors(book_dir) if "typo_" in e]
    assert found == [
        f"rules/facts.yaml:{f}: fact 'typo_fact' → description: this key is required but missing",
        f"rules/facts.yaml:{f + 1}: fact 'typo_fact' → descriptoin: unknown key 'descriptoin'; "
        "did you mean 'description'?",
        f"rules/facts.yaml:{f + 2}: fact 'typo_fact' → when.fact: unknown derived fact 'has_diplomma'; "
        "did you mean 'has_diploma'?",
        f"rules/questionnaire.yaml:{q}: question 'typo_question' → label: this key is required but missing",
        f"rules/questionnaire.yaml:{q + 3}: question 'typo_question' → lable: unknown key 'lable'; "
        "did you mean 'label'?",
        f"rules/questionnaire.yaml:{q + 4}: question 'typo_question' → ask_if.answer: unknown question 'eduction'; "
        "did you mean 'education'?",
    ]


# ------------------------------------------------------------------ the property
def _shipped_rules() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((ROOT / "rules" / "rules").glob("*.yaml")):
        out.extend(load_file(path).data["rules"])
    return out


SHIPPED_RULES = _shipped_rules()


@pytest.fixture(scope="module")
def scratch_book() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "rules"
        shutil.copytree(ROOT / "rules", root)
        for path in (root / "rules").glob("*.yaml"):
            path.unlink()
        yield root


def _shipped() -> tuple[list[dict[str, Any]], frozenset[str]]:
    return SHIPPED_RULES, frozenset(_KEYS)


@given(case=mistaken_rules(_shipped))
def test_k_mistakes_in_distinct_places_give_at_least_k_problems_each_at_its_line(
        scratch_book: Path, case: tuple[list[str], list[tuple[int, str]]]) -> None:
    lines, planted = case
    target = scratch_book / "rules" / "mistakes.yaml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleBookError) as info:
        load_rulebook(scratch_book)
    problems = [p for p in info.value.problems if p.path.endswith("mistakes.yaml")]
    assert len(problems) >= len(planted)
    reported = {p.line for p in problems}
    assert [what for line, what in planted if line not in reported] == []


def test_the_property_can_fail_when_a_mistake_is_hidden(scratch_book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without recovery, a misspelled key hides the rule's other mistakes (the bug this fixes)."""
    import recommender.book.loader as loader

    monkeypatch.setattr(loader, "recover", lambda *args: None)
    (scratch_book / "rules" / "mistakes.yaml").write_text(
        "rules:\n  - id: r\n    description: d\n    wehn: {fact: has_diplomma}\n    points: {CMAA: 5}\n"
        "    because: b {intrests}\n", encoding="utf-8")
    with pytest.raises(RuleBookError) as info:
        load_rulebook(scratch_book)
    assert {p.line for p in info.value.problems} == {2, 4}  # the missing 'when', the unknown 'wehn': not line 6


def test_a_broken_list_entry_does_not_make_the_object_unknown_elsewhere(book_dir: Path) -> None:
    """Regression: a misspelled allow code in a source made every item citing the source report it as unknown."""
    path = book_dir / "catalog" / "organizations.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: site-nha\n")
    end = text.index("\n  - id:", start + 5)
    path.write_text(text[:end] + "\n    allow:\n      - {warning: sorce-uncited, because: A typo.}" + text[end:],
                    encoding="utf-8")
    (only,) = errors(book_dir)
    assert "source 'site-nha' → allow[0].warning: unknown warning code 'sorce-uncited'" in only
