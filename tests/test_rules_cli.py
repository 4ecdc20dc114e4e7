"""`recommender rules check|test|coverage|diff` and `recommender schema`, through the real entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from recommender.advisor.schema import dumps, schemas
from recommender.book.loader import load_rulebook
from recommender.cli import main
from tests.conftest import PROFILES, ROOT
from tests.scratch import FOUNDATION, Scratch, scratch  # noqa: F401 - the fixture


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_group_lists_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "--help"], capsys)
    assert code == 0
    for command in ("check", "test", "coverage", "diff"):
        assert f"\n  {command} " in out


# ---------------------------------------------------------------- check
def test_check_of_the_shipped_book_finds_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rules", "check", "--rules", str(ROOT / "rules")], capsys)
    assert (code, err) == (0, "")
    assert "error" not in out.replace("0 errors", "")
    last = out.splitlines()[-1]
    assert last.startswith(("No problems in ", "0 errors and "))


def test_warnings_fail_only_under_strict(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    start = scratch.append("facts.yaml", "  - id: unused_fact\n    description: nobody uses me\n"
                                         "    when: {answer: education, equals: none}\n")
    code, out, _ = run(["rules", "check", "--rules", "rules"], capsys)
    line = f"rules/facts.yaml:{start}: warning: fact 'unused_fact': no rule, eligibility route or other fact uses it "
    line += "[fact-unused]"
    assert code == 0 and line in out.splitlines()
    assert out.splitlines()[-1].endswith(" in rules; warnings fail only under --strict.")
    code, out, _ = run(["rules", "check", "--rules", "rules", "--strict"], capsys)
    assert code == 1 and out.splitlines()[-1].endswith(" in rules; --strict counts warnings as errors.")


def test_errors_exit_1_with_located_lines(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    start = scratch.rule("never", "{answer: budget_usd, lt: 0}")
    code, out, err = run(["rules", "check", "--rules", "rules"], capsys)
    assert (code, err) == (1, "")
    assert f"rules/{FOUNDATION}:{start + 2}: rule 'never' → when: can never fire: your budget for training and " \
           "exams is less than 0 never holds: 'budget_usd' takes whole numbers from 0 to 1000000" in out.splitlines()
    assert out.splitlines()[-1].startswith("1 error and ")


def test_a_book_that_does_not_load_is_reported_as_errors(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    start = scratch.rule("typo", "{fact: has_diplomma}")
    code, out, err = run(["rules", "check", "--rules", "rules"], capsys)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"rules/{FOUNDATION}:{start + 2}: rule 'typo' → when.fact: unknown derived fact 'has_diplomma'; "
        "did you mean 'has_diploma'?",
        "1 error and 0 warnings in rules; the rule book does not load, so the deeper checks did not run.",
    ]


def test_every_problem_in_every_file_at_once(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    rule = scratch.rule("fast-start", "{fact: loop_a}")
    facts = scratch.append("facts.yaml", "  - id: loop_a\n    description: a\n    when: {fact: loop_b}\n"
                                         "  - id: loop_b\n    description: b\n    when: {fact: loop_a}\n")
    scratch.replace("catalog/organizations.yaml", "sources:\n", "sources:\n  - id: no-address\n    title: A page\n"
                    "  - {id: bad-address, title: A page, url: www.example.org, checked: 2026-01-01}\n")
    sources = (scratch.root / "catalog" / "organizations.yaml").read_text().splitlines().index("sources:") + 2
    code, out, _ = run(["rules", "check", "--rules", "rules"], capsys)
    where = load_rulebook(ROOT / "rules").where[("rule", "fast-start")].line
    assert code == 1
    assert out.splitlines() == [
        f"rules/catalog/organizations.yaml:{sources}: source 'no-address' → url: this key is required but missing",
        f"rules/catalog/organizations.yaml:{sources + 2}: source 'bad-address' → url: 'www.example.org' is not a "
        "valid id or address here (expected the pattern ^https?://\\S+$)",
        f"rules/facts.yaml:{facts + 2}: fact 'loop_a' → when: facts form a cycle: loop_a → loop_b → loop_a",
        f"rules/{FOUNDATION}:{rule}: rule 'fast-start' → id: duplicate id 'fast-start'; already defined at "
        f"rules/{FOUNDATION}:{where}",
        "4 errors and 0 warnings in rules; the rule book does not load, so the deeper checks did not run.",
    ]


def test_a_missing_folder_is_an_error_of_check_but_bad_input_elsewhere(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "nowhere")
    code, out, _ = run(["rules", "check", "--rules", missing], capsys)
    assert code == 1 and out.startswith(f"{missing}: rule book folder not found\n")
    code, out, err = run(["rules", "test", "--rules", missing], capsys)
    assert (code, out, err) == (2, "", f"{missing}: rule book folder not found\n")


def test_check_as_json(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    start = scratch.rule("never", "{answer: budget_usd, lt: 0}")
    code, out, _ = run(["rules", "check", "--rules", "rules", "--format", "json", "--max-age", "10000"], capsys)
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["loaded"] is True
    assert data["book"]["rules"] > 40
    (error,) = data["errors"]
    assert error == {"path": f"rules/{FOUNDATION}", "line": start + 2, "subject": "rule 'never'", "key": "when",
                     "message": error["message"], "text": error["text"], "code": None, "excerpt": []}
    assert error["text"] == f"{error['path']}:{error['line']}: rule 'never' → when: {error['message']}"


# ---------------------------------------------------------------- test
def test_every_shipped_profile_passes(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(["rules", "test", "--rules", "rules"], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == f"{len(PROFILES)} passed, 0 failed"
    assert lines[0] == "Rule book: rules"
    assert lines[1].startswith(f"PASS  profiles/{PROFILES[0].name}  ")


def test_failures_say_expected_and_got_and_never_stop(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = scratch.home / "mine"
    folder.mkdir()
    (folder / "a_wrong.yaml").write_text(
        "name: Wrong\nanswers:\n  education: none\nexpect:\n  top_programs: [ma_associate]\n"
        "  fires: [coding-interest]\n  does_not_fire: [diploma-first]\n")
    (folder / "b_broken.yaml").write_text("answers:\n  education: nonee\n")
    (folder / "c_bad_expect.yaml").write_text("answers:\n  education: none\nexpect:\n  fires: [coding-intrest]\n")
    (folder / "d_right.yaml").write_text("answers:\n  education: none\nexpect:\n  fires: [diploma-first]\n")
    (folder / "e_plain.json").write_text('{"answers": {"education": "none"}}')
    code, out, err = run(["rules", "test", "mine", "--rules", "rules"], capsys)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Rule book: rules",
        "FAIL  mine/a_wrong.yaml  Wrong",
        "      mine/a_wrong.yaml:5: expect → top_programs: expected ma_associate first, got hs_diploma_ged",
        "      mine/a_wrong.yaml:6: expect → fires: expected rule 'coding-interest' to fire, got it silent",
        "      mine/a_wrong.yaml:7: expect → does_not_fire: expected rule 'diploma-first' to stay silent, got it fired",
        "FAIL  mine/b_broken.yaml",
        "      mine/b_broken.yaml:2: answers.education: unknown option 'nonee'; did you mean 'none'?; options are "
        "none, high_school, some_college, associate, bachelor, graduate",
        "FAIL  mine/c_bad_expect.yaml",
        "      mine/c_bad_expect.yaml:4: expect → fires[0]: unknown rule 'coding-intrest'; did you mean "
        "'coding-interest'?",
        "PASS  mine/d_right.yaml",
        "PASS  mine/e_plain.json  (no expect block: only checked that it runs)",
        "2 passed, 3 failed",
    ]


def test_results_as_json(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.home / "p.yaml").write_text("answers:\n  education: none\nexpect:\n  top_programs: [ma_associate]\n")
    code, out, _ = run(["rules", "test", "p.yaml", "--rules", "rules", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and (data["passed"], data["failed"]) == (0, 1)
    (failure,) = data["profiles"][0]["failures"]
    assert failure == {"path": "p.yaml", "line": 4, "key": "top_programs",
                       "message": "expected ma_associate first, got hs_diploma_ged",
                       "expected": "ma_associate first", "got": "hs_diploma_ged"}


def test_the_default_profiles_are_those_beside_the_rule_book(scratch: Scratch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    for path in list(scratch.profiles.iterdir())[1:]:
        path.unlink()
    code, out, _ = run(["rules", "test", "--rules", str(scratch.root)], capsys)
    assert code == 0 and out.splitlines()[-1] == "1 passed, 0 failed"


def test_missing_paths_are_bad_input(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(scratch.profiles)
    (scratch.home / "empty").mkdir()
    code, out, err = run(["rules", "test", "nothing.yaml", "empty", "--rules", "rules"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["empty: no answers files (.yaml, .yml, .json) in this folder",
                                "nothing.yaml: no such file or folder"]
    code, out, err = run(["rules", "test", "--rules", "rules"], capsys)
    assert (code, out) == (2, "")
    assert err == "profiles: no profiles folder beside the rule book; name the answers files or folders to use\n"


# ---------------------------------------------------------------- coverage
def test_coverage_and_fail_under(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rules", "coverage", "profiles/01_no_diploma.yaml", "--rules", "rules"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Rule book: rules\nRules fired by at least one of 1 profile: ")
    assert "\nNEVER FIRED (" in out
    code, out, _ = run(["rules", "coverage", "profiles/01_no_diploma.yaml", "--rules", "rules", "--fail-under", "90"], capsys)
    assert code == 1 and " is below the required 90%.\n" in out
    code, out, _ = run(["rules", "coverage", "--rules", "rules", "--fail-under", "1", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and len(data["profiles"]) == len(PROFILES)


def test_coverage_refuses_an_invalid_profile(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.home / "bad.yaml").write_text("answers:\n  education: nonee\n")
    code, out, err = run(["rules", "coverage", "bad.yaml", "--rules", "rules"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("bad.yaml:2: answers.education: unknown option 'nonee'")


# ---------------------------------------------------------------- diff
def test_diff_of_two_folders(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(scratch.root, scratch.home / "old")
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    code, out, err = run(["rules", "diff", "old", "rules"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Impact of old → rules\n  rule edited: 'coding-interest' (points)\n")
    assert "\nprofiles/06_aspiring_coder.yaml  Priya (aspiring coder)\n" in out
    assert out.splitlines()[-1].startswith("Rules responsible: coding-interest (")
    code, out, _ = run(["rules", "diff", "old", "--rules", "rules", "--exit-code", "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["new"] == "rules"
    code, _, _ = run(["rules", "diff", "rules", "--rules", "rules", "--exit-code"], capsys)
    assert code == 0


def test_diff_against_a_git_revision(scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_impact import git

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(scratch.home, "init", "-q")
    git(scratch.home, "add", "rules")
    git(scratch.home, "commit", "-qm", "rules")
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    code, out, err = run(["rules", "diff", "--against", "HEAD", "--rules", "rules"], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("Impact of HEAD:rules → rules\n  rule edited: 'coding-interest' (points)\n")


@pytest.mark.parametrize("args, message", [
    (["rules", "diff"], "give the OLD rule book folder, or --against REV"),
    (["rules", "diff", "a", "b", "c"], "give at most two folders: OLD and NEW"),
    (["rules", "diff", "--against", "HEAD", "a", "b"], "with --against, give at most one folder (NEW)"),
])
def test_diff_usage_errors(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "") and err.endswith(f"Error: {message}\n")


# ---------------------------------------------------------------- schema
def test_schema_writes_files_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], book: object) -> None:
    out_dir = tmp_path / "schemas"
    code, out, _ = run(["schema", "--out", str(out_dir), "--rules", str(ROOT / "rules")], capsys)
    names = sorted(schemas(book))  # type: ignore[arg-type]
    assert code == 0 and out.splitlines() == [f"{out_dir / n}: written" for n in names]
    assert (out_dir / "rules.schema.json").read_text() == dumps(schemas(book)["rules.schema.json"])  # type: ignore[arg-type]
    code, out, _ = run(["schema", "--out", str(out_dir), "--rules", str(ROOT / "rules")], capsys)
    assert out.splitlines() == [f"{out_dir / n}: up to date" for n in names]


def test_schema_prints_all_schemas_without_out(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema", "--rules", str(ROOT / "rules")], capsys)
    assert code == 0 and sorted(json.loads(out)) == ["answers.schema.json", "catalog.schema.json",
                                                     "facts.schema.json", "market.schema.json",
                                                     "questionnaire.schema.json", "report.schema.json",
                                                     "rules.schema.json", "wording.schema.json"]
