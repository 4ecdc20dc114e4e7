"""The integrator's API: a report from Python, the same as the command line prints."""

from __future__ import annotations

from click.testing import CliRunner

from recommender import api
from recommender.cli import cli
from tests.conftest import ROOT


def test_the_api_gives_the_report_the_command_line_prints() -> None:
    path = ROOT / "profiles" / "03_accredited_graduate.yaml"
    book = api.load_rulebook()
    profile = api.load_answers(path, book).profile
    text = api.render(api.recommend(book, profile), book, "json")
    printed = CliRunner().invoke(cli, ["recommend", str(path), "--format", "json"]).output
    assert text == printed
    assert api.explain(book, profile, "CMA").verdict == "recommended"
    built = api.profile_from(book, dict(profile.answers), name=profile.name, source=profile.source)
    assert api.render(api.recommend(book, built), book, "json") == text


def test_the_api_gives_a_spanish_report_in_a_spanish_block() -> None:
    from recommender import api
    from tests.conftest import ROOT

    book = api.load_rulebook(lang="es")
    with api.use_lang("es"):
        answers = api.load_answers(ROOT / "profiles" / "02_fresh_graduate.yaml", book)
        text = api.render(api.recommend(book, answers.profile), book, "text")
    assert text.startswith("Su plan, Luis") and "Este mes:" in text
    assert "es" in api.LANGS
