"""`batch --lang es`: the same ids and verdicts as in English, the texts in Spanish, in one process or several."""

from __future__ import annotations

import json

import pytest

from recommender.cli import main
from tests.conftest import ROOT


def lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["batch", str(ROOT / "profiles"), *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_spanish_batch_keeps_every_id_and_verdict_and_says_its_language(capsys: pytest.CaptureFixture[str],
                                                                        jobs: str) -> None:
    english = lines(capsys, "--jobs", jobs)
    spanish = lines(capsys, "--jobs", jobs, "--lang", "es")
    assert {r["lang"] for r in english} == {"en"} and {r["lang"] for r in spanish} == {"es"}
    for en, es in zip(english, spanish, strict=True):
        assert [(r["id"], r["status"], r["score"]) for r in en["recommendations"]] == \
            [(r["id"], r["status"], r["score"]) for r in es["recommendations"]]  # type: ignore[index, union-attr]
    first = [r["summary"]["first_step"]["text"] for r in spanish if r["summary"]]  # type: ignore[index]
    assert "Postúlese a puestos de asistente administrativo médico" in first


def test_a_bad_row_is_explained_in_spanish(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    rows = Path(str(tmp_path)) / "rows.jsonl"
    rows.write_text('{"answers": {"education": "secundaria"}}\n', encoding="utf-8")
    assert main(["batch", str(rows), "--lang", "es"]) == 1
    record = json.loads(capsys.readouterr().out)
    assert record["ok"] is False and "opción desconocida 'secundaria'" in " ".join(record["errors"])


@pytest.mark.parametrize(("env", "heading"), [
    ({"LANG": "es_MX.UTF-8"}, "Su plan"), ({"LC_ALL": "C", "LANG": "es_MX.UTF-8"}, "Your plan"),
    ({"LC_MESSAGES": "es_US", "LANG": "en_US.UTF-8"}, "Su plan"), ({"LANG": "fr_FR.UTF-8"}, "Your plan"),
])
def test_the_report_follows_the_locale_when_no_language_is_given(env: dict[str, str], heading: str) -> None:
    from click.testing import CliRunner

    base = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": ""}
    with CliRunner().isolation(env={**base, **env}) as (out, _err, _both):
        assert main(["recommend", str(ROOT / "profiles" / "02_fresh_graduate.yaml")]) == 0
    assert out.getvalue().decode().startswith(heading)


def test_lang_on_the_command_line_wins_over_the_locale() -> None:
    from click.testing import CliRunner

    with CliRunner().isolation(env={"LC_ALL": "es_MX.UTF-8"}) as (out, _err, _both):
        assert main(["recommend", str(ROOT / "profiles" / "02_fresh_graduate.yaml"), "--lang", "en"]) == 0
    assert out.getvalue().decode().startswith("Your plan")
