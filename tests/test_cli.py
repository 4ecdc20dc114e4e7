from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from recommender.cli import cli, main
from tests.conftest import PROFILES, ROOT


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_profile_renders_in_every_format(path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["recommend", str(path), "--format", fmt], capsys)
    assert (code, err) == (0, "")
    assert out.endswith("\n") and len(out) > 200
    again = run(["recommend", str(path), "--format", fmt], capsys)[1]
    assert again == out  # byte-identical


def test_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["recommend", str(ROOT / "profiles" / "03_accredited_graduate.yaml"), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert {"recommendations", "not_recommended", "pathways"} <= set(data)
    first = data["recommendations"][0]
    assert {"id", "kind", "name", "score", "status", "reasons", "next_steps"} <= set(first)
    assert first["id"] == "CMA" and first["kind"] == "certification" and first["status"] == "ready"
    assert all({"rule", "text"} <= set(r) for r in first["reasons"])
    assert all({"id", "why_not"} <= set(n) for n in data["not_recommended"])
    for path in data["pathways"]:
        assert all({"kind", "item", "duration_months", "cost_usd"} <= set(s) for s in path["steps"])
    cited = {sid for r in data["recommendations"] for sid in r["sources"]}
    assert cited <= set(data["sources"])


def test_text_report_reads_like_advice(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["recommend", str(ROOT / "profiles" / "06_aspiring_coder.yaml")], capsys)
    assert out.startswith("Your plan, Priya (aspiring coder)\n")
    assert "\nBest fit for you: " in out and "\n  This month: " in out
    for heading in ("CERTIFICATIONS", "PROGRAMS AND DEGREES", "ROLES", "KEY FACTS", "SOURCES"):
        assert f"\n{heading}\n" in out
    assert "  - CPC: Certified Professional Coder · Best fit · " in out


def test_details_show_what_the_short_report_leaves_out(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["recommend", str(ROOT / "profiles" / "06_aspiring_coder.yaml"), "--details"], capsys)
    for heading in ("CERTIFICATIONS", "PATHWAYS", "KEY FACTS", "SOURCES"):
        assert f"\n{heading}\n" in out
    assert "1. CPC: Certified Professional Coder [CPC]" in out
    assert "rule coding-interest)" in out and "You would start as CPC-A" in out


def test_markdown_draws_pathways_as_mermaid_in_its_details(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(ROOT / "profiles" / "02_fresh_graduate.yaml")
    _, out, _ = run(["recommend", path, "--format", "markdown"], capsys)
    assert out.startswith("# Your plan, Luis") and "mermaid" not in out
    _, out, _ = run(["recommend", path, "--format", "markdown", "--details"], capsys)
    assert "```mermaid\nflowchart LR\n" in out


def test_top_limits_each_kind(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["recommend", str(ROOT / "profiles" / "05_front_desk_veteran.yaml"), "--format", "json",
                     "--top", "1"], capsys)
    kinds = [r["kind"] for r in json.loads(out)["recommendations"]]
    assert sorted(kinds) == ["certification", "role"] or all(kinds.count(k) == 1 for k in kinds)


def test_missing_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert run(["recommend", str(missing)], capsys) == (2, "", f"{missing}: no such file\n")


def test_bad_answers_are_one_line_each_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("answers:\n  educaton: high_school\n  goals: [leader]\n")
    code, out, err = run(["recommend", str(path)], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}:1: answers.education: missing answer to the required question 'education'",
        f"{path}:2: answers.educaton: unknown question 'educaton'; did you mean 'education'?",
        f"{path}:3: answers.goals: unknown option 'leader'; did you mean 'leadership'?; options are "
        "first_job_fast, higher_salary, leadership, nursing, remote_work, specialize, job_security, further_degree",
    ]


def test_a_broken_rule_book_is_reported_not_raised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["recommend", str(PROFILES[0]), "--rules", str(tmp_path / "none")], capsys)
    assert (code, out, err) == (2, "", f"{tmp_path / 'none'}: rule book folder not found\n")


def test_usage_errors_exit_2() -> None:
    result = CliRunner().invoke(cli, ["recommend", str(PROFILES[0]), "--format", "pdf"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output


def test_module_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    proc = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(bad)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"{bad}:1: expected a mapping with an 'answers' key\n"
    ok = subprocess.run([sys.executable, "-m", "recommender", "recommend", str(PROFILES[1])],
                        capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert ok.returncode == 0 and "CERTIFICATIONS" in ok.stdout
