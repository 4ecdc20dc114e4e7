from __future__ import annotations

import json
from pathlib import Path

import pytest

from recommender.book.answers import load_answers
from recommender.book.rulebook import RuleBook
from recommender.cli import main
from recommender.engine.recommend import recommend
from recommender.render.json import render_pathways_json
from recommender.render.markdown import render_pathways_markdown
from recommender.render.text_details import render_pathways_text
from tests.conftest import PROFILES, ROOT

LUIS = str(ROOT / "profiles" / "02_fresh_graduate.yaml")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_profile_gets_its_pathways_in_every_format(book: RuleBook, path: Path) -> None:
    # The renderers `recommender path` uses, on the session's rule book (loading it per run is slow).
    profile = load_answers(path, book).profile
    pathways = recommend(book, profile).pathways
    assert pathways, path.stem  # every example person fits at least one role
    data = json.loads(render_pathways_json(pathways, book, profile.name))
    for pathway in data["pathways"]:
        for plan in [pathway, *pathway["alternatives"]]:
            assert plan["steps"][-1]["kind"] == "job"
            for step in plan["steps"]:
                assert {"kind", "item", "duration_months", "cost_usd", "ctdl", "changes"} <= set(step)
    cited = {s for p in data["pathways"] for step in p["steps"] for s in step["sources"]}
    assert cited <= set(data["sources"])
    markdown = render_pathways_markdown(pathways, book, profile.name)
    assert markdown.count("```mermaid\nflowchart LR\n") == markdown.count("\n## To become: ") == len(pathways)
    text = render_pathways_text(pathways, book, profile.name)
    assert text.count("\n  To become: ") == len(pathways) and text.count("    Year 5") == len(pathways)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_command_prints_each_format_the_same_every_time(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["path", LUIS, "--format", fmt], capsys)
    assert (code, err) == (0, "") and out.endswith("\n")
    assert run(["path", LUIS, "--format", fmt], capsys) == (0, out, "")


def test_the_text_plan_for_a_fresh_graduate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["path", LUIS, "--to", "medical_administrative_assistant"], capsys)
    assert code == 0
    assert out.startswith(
        "Pathways for Luis (fresh high-school graduate)\n"
        "==============================================\n\n"
        "  To become: Medical administrative assistant (medical secretary)\n"
        "    Runs the front office of a practice or department: ")
    # What the role pays and where it is heading, cited, before the plan.
    assert ("\n    Pay: average pay about $44,460 a year (2025; medical administrative assistant job\n"
            "      postings; not an official figure). [1]\n") in out and "\n    Outlook: " in out
    # Luis wants a first job soon: the job first, the CMAA after a year of it.
    assert ("    Fits your answers (Good fit). Credential: CMAA, by its work experience route.\n"
            "    1. Apply for Medical admin assistant positions\n"
            "    Later: Work at least one year, under supervision, in front-office, scheduling,\n") in out
    assert "\nSOURCES\n  [1] Medical Administration Assistant salary" in out


def test_a_role_outside_the_recommendations_can_be_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["path", LUIS, "--to", "licensed_practical_nurse", "--format", "json"], capsys)
    (plan,) = json.loads(out)["pathways"]
    assert code == 0 and (plan["role"], plan["fits"]) == ("licensed_practical_nurse", False)
    assert plan["steps"][0]["text"] == "Complete a state-approved practical nursing program"
    assert plan["verified"] is None


@pytest.mark.parametrize(("role", "message"), [
    ("nurse", "recommender: unknown role 'nurse'; did you mean 'licensed_practical_nurse'?"),
    ("Office Managr", "recommender: unknown role 'Office Managr'; did you mean 'medical_office_manager'?"),
    ("CMA", "recommender: 'CMA' is a certification, not a role; did you mean 'clinical_medical_assistant'?"),
    ("zzz", "recommender: unknown role 'zzz'; role ids are medical_administrative_assistant, "
            "clinical_medical_assistant, billing_coding_specialist, patient_access_representative, ehr_specialist, "
            "health_information_technician, medical_office_manager, healthcare_administrator, "
            "licensed_practical_nurse, revenue_cycle_representative"),
])
def test_an_unknown_role_is_one_line_with_a_suggestion(role: str, message: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["path", LUIS, "--to", role], capsys) == (2, "", message + "\n")


def test_bad_answers_are_reported_like_recommend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "a.yaml"
    bad.write_text("answers:\n  education: college\n")
    code, out, err = run(["path", str(bad)], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"{bad}:2: answers.education: unknown option 'college'")


def test_a_role_name_that_takes_two_lines_stays_whole_above_its_description(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["path", str(ROOT / "profiles" / "09_career_changer.yaml"), "--lang", "es"]) == 0
    lines = capsys.readouterr().out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("  Para llegar a ser: Asistente administrativo"))
    assert lines[head + 1] == "    médico)"
    assert lines[head + 2].startswith("    Maneja la recepción")


def test_a_route_is_named_by_its_label_and_the_label_is_translated(book: RuleBook,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    english = {r.route.label for routes in book.routes.values() for r in routes}
    assert None not in english  # every shipped route has a label a translator can see
    assert book.route_label("CMAA", "work_experience") == "work experience"
    assert book.route_label("CMAA", "no_such_route") == "no such route"  # an unknown id reads as words
    for path in PROFILES:
        code, out, _ = run(["path", str(path), "--lang", "es"], capsys)
        assert code == 0
        said = [line for line in out.splitlines() if "ruta «" in line]
        assert not any(f"«{label}" in line for line in said for label in english if label), (path, said)
