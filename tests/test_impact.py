"""Impact of a rule change on the example profiles, and reading a rule book at a git revision."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from recommender.advisor.impact import (
    Change,
    RuleEffect,
    _changes,
    book_changes,
    compare,
    impact_json,
    impact_text,
)
from recommender.advisor.revision import relabel, rulebook_at_revision
from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook
from recommender.engine.result import Recommendation, Result
from recommender.errors import Problem, RecommenderError, RuleBookError
from tests.conftest import PROFILES, ROOT
from tests.scratch import Scratch, scratch  # noqa: F401 - the fixture

CODER = ROOT / "profiles" / "06_aspiring_coder.yaml"


def run(old: RuleBook, new: RuleBook, files: list[Path] = PROFILES, top: int | None = None):  # type: ignore[no-untyped-def]
    return compare(old, new, files, {f: f.name for f in files}, "old", "new", top)


def test_the_same_book_changes_nothing(book: RuleBook) -> None:
    impact = run(book, book)
    assert not any(p.changed for p in impact.profiles)
    assert impact.book_changes == [] and impact.responsible() == []
    assert impact_text(impact).splitlines() == [
        "Impact of old → new",
        "  no rule, fact, item or question differs",
        "",
        f"Totals: {len(PROFILES)} profiles compared, 0 changed, {len(PROFILES)} unchanged. Profiles with items "
        "added: 0, removed: 0, changed in status: 0, re-ranked: 0, re-scored: 0. Expectations: 0 now failing, "
        "0 now holding.",
    ]


def _tally(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Profiles per kind of change, counted from the per-profile lines, and as the totals line says."""
    words = {"added": "added", "removed": "removed", "changed in status": "status", "re-ranked": "reranked",
             "re-scored": "rescored"}
    counted = dict.fromkeys(words.values(), 0)
    for block in text.split("\n\n")[1:]:
        if block.startswith("Totals: "):
            break
        lines = [line.strip() for line in block.splitlines()[1:]]
        seen = set()
        for line in lines:
            if line.startswith("+ "):
                seen.add("added")
            elif line.startswith("- "):
                seen.add("removed")
            elif line.startswith(("~ ", "! ")):
                seen.update({"status"} if line.startswith("! ") else set())
                seen.update({"reranked"} if re.search(r"rank \d+ → \d+", line) else set())
                seen.update({"rescored"} if re.search(r"\d+ → \d+ points", line) else set())
        for kind in seen:
            counted[kind] += 1
    totals = re.search(r"Profiles with items (.*?)\. Expectations", text)
    assert totals is not None
    said = {words[k]: int(v) for k, v in (part.rsplit(": ", 1) for part in totals.group(1).split(", "))}
    return counted, said


def test_the_totals_add_up_to_the_per_profile_lines(book: RuleBook, scratch: Scratch) -> None:
    """Regression: CPC going from 70 to 40 points while moving down was counted as re-ranked only."""
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    scratch.rule("push-cmrs", "{fact: wants_coding}", "{CMRS: 500}")
    scratch.rule("drop-cbcs", "{fact: wants_coding}", "{CPB: 1}", extra="    exclude: [CBCS]\n")
    text = impact_text(run(book, scratch.load()))
    counted, said = _tally(text)
    assert counted == said
    assert said["rescored"] > 0 and said["reranked"] > 0 and said["added"] > 0 and said["removed"] > 0
    assert "CPC (certification): rank 1 → " in text and ", 70 → 40 points" in text


def test_the_tally_can_fail() -> None:
    text = ("Impact of a → b\n  rule edited: 'x' (points)\n\np.yaml\n  ~ CPC (certification): rank 1 → 2, 70 → 40 "
            "points\n\nTotals: 1 profile compared, 1 changed, 0 unchanged. Profiles with items added: 0, removed: 0, "
            "changed in status: 0, re-ranked: 1, re-scored: 0. Expectations: 0 now failing, 0 now holding.\n")
    counted, said = _tally(text)
    assert counted["rescored"] == 1 and said["rescored"] == 0


def test_changing_one_rules_points(book: RuleBook, scratch: Scratch) -> None:
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    impact = run(book, scratch.load(), [CODER])
    assert impact.book_changes == ["rule edited: 'coding-interest' (points)"]
    (coder,) = impact.profiles
    cpc = next(c for c in coder.changes if c.item == "CPC")
    assert (cpc.category, cpc.old_rank, cpc.old_score - cpc.new_score) == ("reranked", 1, 30)
    assert cpc.rules == (RuleEffect("coding-interest", 35, 5),)
    assert coder.now_failing == [f for f in coder.now_failing if f.startswith("top: expected CPC, CBCS first")]
    assert len(coder.now_failing) == 1
    text = impact_text(impact)
    assert f"  ~ CPC (certification): rank 1 → {cpc.new_rank}, {cpc.old_score} → {cpc.new_score} points\n" \
           "      rule 'coding-interest': +35 → +5\n" in text
    assert text.endswith("Rules responsible: coding-interest (1 profile)\n")


def test_a_new_rule_adds_and_an_exclusion_removes(book: RuleBook, scratch: Scratch) -> None:
    scratch.rule("push-cmrs", "{fact: wants_coding}", "{CMRS: 500}")
    scratch.rule("drop-cbcs", "{fact: wants_coding}", "{CPB: 1}", extra="    exclude: [CBCS]\n")
    (coder,) = run(book, scratch.load(), [CODER]).profiles
    changes = {c.item: c for c in coder.changes}
    assert (changes["CMRS"].category, changes["CMRS"].new_rank) == ("added", 1)
    assert (changes["CPC"].category, changes["CPC"].why, changes["CPC"].rules) == ("reranked", "overtaken by CMRS", ())
    assert "  ~ CPC (certification): rank 1 → 2\n      its own points did not change: overtaken by CMRS\n" in \
        impact_text(run(book, scratch.load(), [CODER]))
    assert RuleEffect("push-cmrs", None, 500) in changes["CMRS"].rules
    assert changes["CBCS"].category == "removed"
    assert changes["CBCS"].rules == (RuleEffect("drop-cbcs", excluded=True),)
    assert changes["CBCS"].why == "A reason."
    assert RuleEffect("push-cmrs", None, 500).text(False, True) == "rule 'push-cmrs' now fires: +500"
    assert RuleEffect("drop-cbcs", excluded=True).text(False, True) == "rule 'drop-cbcs' now excludes it"
    assert RuleEffect("x", 10, None).text(True, False) == "rule 'x' no longer fires (was +10)"
    assert RuleEffect("x", 10, None).text(True, True) == "rule 'x' no longer gives points (was +10)"


def test_only_the_top_n_counts_with_top(book: RuleBook, scratch: Scratch) -> None:
    scratch.rule("push-cmrs", "{fact: wants_coding}", "{CMRS: 500}")
    (coder,) = run(book, scratch.load(), [CODER], top=1).profiles
    assert [(c.item, c.category) for c in coder.changes if c.kind == "certification"] == [
        ("CMRS", "added"), ("CPC", "removed")]
    assert next(c for c in coder.changes if c.item == "CPC").why == "it is now below the top 1 of its kind"


def test_a_status_change_is_its_own_category(book: RuleBook) -> None:
    def rec(item: str, status: str, route: str | None) -> Recommendation:
        return Recommendation(item, "certification", item, item, 30, status, (), (), route)  # type: ignore[arg-type]

    before = Result((rec("CMAA", "after_prerequisites", "training"),), (), (), (), (), ())
    after = Result((rec("CMAA", "ready", "experience"),), (), (), (), (), ())
    assert _changes(book, book, before, after, None) == [
        Change("CMAA", "certification", "status", 1, 1, 30, 30, "after_prerequisites", "ready", (), "",
               "training", "experience")]


def test_a_profile_the_new_book_cannot_read(book: RuleBook, scratch: Scratch, tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("answers: {education: high_school, interests: [knitting]}\n")
    # The option lines now carry help texts; anchor on the dental option's id.
    scratch.replace("questionnaire.yaml", "      - {id: dental, label: dental offices, ",
                    "      - {id: knitting, label: knitting}\n      - {id: dental, label: dental offices, ")
    impact = compare(scratch.load(), book, [profile], {profile: "p.yaml"}, "old", "new")
    (p,) = impact.profiles
    assert p.changed and p.problems_old == [] and len(p.problems_new) == 1
    assert "p.yaml:1: answers.interests: unknown option 'knitting'" in p.problems_new[0]
    assert "  cannot be read with the new rule book:\n    p.yaml:1: answers.interests" in impact_text(impact)


def test_book_changes_name_what_was_edited_added_and_removed(book: RuleBook, scratch: Scratch) -> None:
    scratch.rule("brand-new", "{fact: wants_coding}")
    scratch.replace("facts.yaml", "description: you are interested in billing and coding\n",
                    "description: you like billing and coding\n")
    assert book_changes(book, scratch.load()) == ["rule added: 'brand-new'", "fact edited: 'wants_coding' (description)"]
    assert book_changes(scratch.load(), book) == ["rule removed: 'brand-new'", "fact edited: 'wants_coding' (description)"]


def test_json_report(book: RuleBook, scratch: Scratch) -> None:
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    data = json.loads(impact_json(run(book, scratch.load(), [CODER])))
    assert data["totals"]["profiles"] == 1 and data["totals"]["changed"] == 1
    assert data["responsible"] == [{"rule": "coding-interest", "profiles": 1}]
    assert data["totals"]["profiles_with"] == {"added": 0, "removed": 0, "status": 0, "reranked": 1, "rescored": 1}
    cpc = next(c for c in data["profiles"][0]["changes"] if c["item"] == "CPC")
    assert cpc["rules"] == [{"rule": "coding-interest", "old_points": 35, "new_points": 5, "excludes": None}]


# ---------------------------------------------------------------- git revisions
def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True, env=env)


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_a_rule_book_at_a_revision(scratch: Scratch, tmp_path: Path) -> None:
    git(scratch.home, "init", "-q")
    git(scratch.home, "add", "rules")
    git(scratch.home, "commit", "-qm", "rules")
    scratch.replace("rules/billing_coding.yaml", "points: {CPC: 35,", "points: {CPC: 5,")
    out = tmp_path / "extracted"
    folder, label = rulebook_at_revision(scratch.root, "HEAD", out)
    assert label == "HEAD:rules" and folder == out / "rules"
    old = load_rulebook(folder)
    assert book_changes(old, scratch.load()) == ["rule edited: 'coding-interest' (points)"]
    assert (folder / "rules" / "billing_coding.yaml").read_bytes() == \
        (ROOT / "rules" / "rules" / "billing_coding.yaml").read_bytes()


@needs_git
def test_bad_revisions_and_folders_are_reported(scratch: Scratch, tmp_path: Path) -> None:
    def error(rev: str, into: str) -> str:
        with pytest.raises(RecommenderError) as info:
            rulebook_at_revision(scratch.root, rev, tmp_path / into)
        (problem,) = info.value.problems
        return problem.message

    assert error("--output=x", "a") == "--against: '--output=x' is not a git revision"
    assert error("HEAD", "b").startswith("git rev-parse failed: fatal: not a git repository")
    git(scratch.home, "init", "-q")
    git(scratch.home, "add", "rules")
    git(scratch.home, "commit", "-qm", "rules")
    assert error("nosuch", "c").startswith("--against: 'nosuch' is not a commit of the git repository at ")


@needs_git
def test_a_revision_is_read_without_running_the_repositorys_filters(scratch: Scratch, tmp_path: Path) -> None:
    # Regression: `git archive` applied smudge filters named in .git/config, so a repository could
    # make `rules diff --against` run a command of its choosing.
    marker = tmp_path / "ran"
    git(scratch.home, "init", "-q")
    git(scratch.home, "add", "rules")
    git(scratch.home, "commit", "-qm", "rules")
    (scratch.home / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n")
    for key in ("filter.evil.smudge", "filter.evil.clean", "diff.evil.textconv", "core.fsmonitor"):
        git(scratch.home, "config", key, f"touch {marker}; cat")
    git(scratch.home, "add", ".gitattributes")
    git(scratch.home, "commit", "-qm", "attributes")
    marker.unlink(missing_ok=True)  # `git add` itself may have run the clean filter
    folder, _ = rulebook_at_revision(scratch.root, "HEAD", tmp_path / "out")
    assert not marker.exists()
    assert (folder / "facts.yaml").read_bytes() == (ROOT / "rules" / "facts.yaml").read_bytes()


def test_problems_of_an_extracted_book_show_the_revision(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    exc = RuleBookError([Problem(f"{folder}/facts.yaml", 3, "bad")])
    assert relabel(exc, folder, "HEAD~1:rules").lines() == ["HEAD~1:rules/facts.yaml:3: bad"]
