"""`--help` in Spanish for the student's commands and the root group; the advisor's stay English."""

from __future__ import annotations

import copy
import re
import sys

import click
import pytest

from recommender.cli import ADVISOR_SUMMARIES, COMMANDS, cli, main
from recommender.cli.helptext import HelpCommand
from recommender.i18n import _, current_lang, use_lang
from tests.conftest import PROFILES

STUDENT = ["quiz", "recommend", "path", "explain", "serve"]
ADVISOR = ["rules", "rules check", "rules test", "rules coverage", "rules diff", "schema", "batch"]
SPANISH_HEADINGS = ("Uso: recommender", "\nOpciones:\n", "Muestra este mensaje y termina.")
ENGLISH_WORDS = ("Usage:", "Options:", "Commands:", "Show this message and exit.", "[default:", "default:")


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")


def help_of(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = main(args)
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def prose(text: str) -> set[str]:
    """The lines of a help page that are sentences (not usage lines, option names or metavars alone)."""
    lines = set()
    for line in text.splitlines():
        words = re.findall(r"[A-Za-záéíóúñ]{3,}", line)
        if len(words) >= 3 and not line.lstrip().startswith(("Usage:", "Uso:")):
            lines.add(line.strip())
    return lines


@pytest.mark.parametrize("command", ["", *STUDENT])
def test_the_help_is_spanish_under_a_spanish_locale(command: str, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    args = command.split()
    english = help_of([*args, "--help"], capsys)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    spanish = help_of([*args, "--help"], capsys)
    for heading in SPANISH_HEADINGS:
        assert heading in spanish
    for word in ENGLISH_WORDS:
        assert word not in spanish
    assert not prose(english) & prose(spanish)  # no English sentence survives
    if command == "":
        assert "\nComandos:\n" in spanish and "Muestra la versión y termina." in spanish


@pytest.mark.parametrize("command", ["quiz", "recommend", "path", "explain"])
def test_lang_es_gives_the_same_spanish_help_before_or_after_help(command: str, capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    spanish = help_of([command, "--help"], capsys)
    monkeypatch.delenv("LANG")
    assert help_of([command, "--lang", "es", "--help"], capsys) == spanish
    assert help_of([command, "--help", "--lang", "es"], capsys) == spanish
    assert help_of([command, "-h", "--lang=es"], capsys) == spanish
    assert help_of(["--lang", "es", command, "--help"], capsys) == spanish
    assert current_lang() == "en"  # the run's language does not outlive it


@pytest.mark.parametrize("command", ["", "serve"])
def test_a_command_without_its_own_lang_takes_the_root_lang(command: str, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    spanish = help_of([*command.split(), "--help"], capsys)
    monkeypatch.delenv("LANG")
    assert help_of(["--lang", "es", *command.split(), "--help"], capsys) == spanish
    if not command:
        assert help_of(["--help", "--lang", "es"], capsys) == spanish


@pytest.mark.parametrize("command", ["", *STUDENT])
def test_lang_en_or_lc_all_c_keep_english_help_under_a_spanish_lang(
        command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    english = help_of([*command.split(), "--help"], capsys)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    with_lang = ["--lang", "en", *command.split()] if command in ("", "serve") else [command, "--lang", "en"]
    assert help_of([*with_lang, "--help"], capsys) == english
    monkeypatch.setenv("LC_ALL", "C")  # the first locale variable set decides
    assert help_of([*command.split(), "--help"], capsys) == english


def plain_click(command: click.Command) -> click.Command:
    """The same command drawn by click's own classes, as before the help was translated."""
    twin = copy.copy(command)
    twin.__class__ = click.Group if isinstance(command, click.Group) else click.Command
    return twin


@pytest.mark.parametrize("width", [60, 100])
@pytest.mark.parametrize("command", ["", *STUDENT])
def test_english_help_is_exactly_what_click_draws(command: str, width: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    root = click.Context(cli, info_name="recommender", **cli.context_settings)
    for name in COMMANDS:
        cli.get_command(root, name)  # loaded, so click's own Group lists them all

    def drawn(shown: click.Command) -> str:
        if not command:
            return shown.get_help(click.Context(shown, info_name="recommender", **cli.context_settings))
        return shown.get_help(click.Context(shown, info_name=command, parent=root))

    ours: click.Command = cli if not command else COMMANDS[command]()
    assert drawn(ours) == drawn(plain_click(ours))
    assert drawn(ours).startswith("Usage: recommender") and "\nOptions:\n" in drawn(ours)


def test_every_student_help_text_has_a_spanish_translation() -> None:
    root = click.Context(cli, info_name="recommender", **cli.context_settings)
    for command in [cli, *(COMMANDS[name]() for name in STUDENT)]:
        assert isinstance(command, HelpCommand)
        ctx = click.Context(command, info_name=command.name, parent=root)
        texts = [command.help or ""] + [p.help or "" for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
        with use_lang("es"):
            missing = [text for text in texts if text and _(text) == text]
        assert missing == [], command.name


@pytest.mark.parametrize("command", ADVISOR)
def test_the_advisors_commands_stay_english_under_a_spanish_locale(
        command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    english = help_of([*command.split(), "--help"], capsys)
    assert "Usage: recommender" in english
    assert help_of(["--lang", "es", *command.split(), "--help"], capsys) == english
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert help_of([*command.split(), "--help"], capsys) == english
    if command == "batch":  # batch's --lang chooses the language of its records, not of its help
        assert help_of(["batch", "--lang", "es", "--help"], capsys) == english


def test_the_root_lists_the_advisors_commands_in_spanish_by_their_first_sentence(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    advisors = {name for name, load in COMMANDS.items() if not isinstance(load(), HelpCommand)}
    assert set(ADVISOR_SUMMARIES) == advisors == {"batch", "rules", "schema"}
    for name, sentence in ADVISOR_SUMMARIES.items():
        assert COMMANDS[name]().get_short_help_str(sys.maxsize) == sentence, name
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    listed = help_of(["--help"], capsys).split("\nComandos:\n", 1)[1]
    assert "  rules      Revisa, prueba y compara libros de reglas (para asesores).\n" in listed
    assert "  recommend  Muestra las recomendaciones" in listed


def test_a_usage_error_stays_english_even_under_lang_es(capsys: pytest.CaptureFixture[str]) -> None:
    # Click words the message itself in English: a Spanish "Uso:" above it would make half an error.
    assert main(["recommend", "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Usage: recommender recommend [OPTIONS] ANSWERS\n") and "Missing argument" in err


def test_the_root_lang_reaches_the_command_and_its_own_lang_wins(capsys: pytest.CaptureFixture[str]) -> None:
    profile = str(PROFILES[0])
    assert help_of(["--lang", "es", "recommend", profile], capsys).startswith("Su plan")
    assert help_of(["--lang", "es", "recommend", profile, "--lang", "en"], capsys).startswith("Your plan")
    assert help_of(["recommend", profile], capsys).startswith("Your plan")
