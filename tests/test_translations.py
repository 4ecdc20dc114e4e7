"""`rules check` on translations, and `rules translate`: what is missing, stale or misplaced, with its line."""

from __future__ import annotations

import shutil

import pytest

from recommender.advisor.translations import offered, translation_problems
from recommender.book.locales import fingerprint, texts
from recommender.book.yamlio import load_file
from recommender.cli import main
from tests.conftest import ROOT
from tests.scratch import Scratch, scratch  # noqa: F401 - the fixture


def with_shipped_translations(scratch: Scratch) -> None:
    shutil.copytree(ROOT / "rules" / "locales", scratch.root / "locales")


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["rules", "check", "--rules", "rules", "--max-age", "100000", *args])
    return code, capsys.readouterr().out.splitlines()


def test_a_book_without_a_locales_folder_offers_only_english(scratch: Scratch) -> None:
    assert offered(scratch.root) == []
    assert translation_problems(scratch.root) == []


def test_the_shipped_book_offers_spanish() -> None:
    assert offered(ROOT / "rules") == ["es"]


def test_a_new_text_is_reported_untranslated_at_its_english_line(scratch: Scratch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with_shipped_translations(scratch)
    before = {str(p) for p in translation_problems(scratch.root)}
    line = scratch.rule("new-one", "{fact: has_diploma}")
    after = [str(p) for p in translation_problems(scratch.root) if str(p) not in before]
    assert after == [f"rules/rules/foundation.yaml:{line + 4}: warning: rules.new-one.because: no es translation "
                     "(add it to rules/locales/es/rules/foundation.yaml) [untranslated]"]


def test_rewording_the_english_makes_its_translation_stale_not_orphaned(scratch: Scratch) -> None:
    (scratch.root / "locales" / "es").mkdir(parents=True)
    path = scratch.root / "locales" / "es" / "report.yaml"
    label = next(t for t in texts(load_file(scratch.root / "report.yaml").data) if t.key == "fit_labels.0.label")
    path.write_text(f'fit_labels.0.label:\n  en_sha: "{fingerprint(label.english)}"\n  es: "Encaja muy bien"\n',
                    encoding="utf-8")
    assert not [p for p in translation_problems(scratch.root) if p.code == "translation-stale"]
    scratch.replace("report.yaml", f"label: {label.english}", "label: Strong fit")
    stale = [str(p) for p in translation_problems(scratch.root) if p.code == "translation-stale"]
    assert stale == [f"rules/locales/es/report.yaml:3: warning: fit_labels.0.label: the English has changed since "
                     f"this was translated; it now reads 'Strong fit'; update the translation and set en_sha: "
                     f"{fingerprint('Strong fit')} [translation-stale]"]


def test_a_key_that_names_no_text_is_reported_with_a_suggestion(scratch: Scratch) -> None:
    (scratch.root / "locales" / "es").mkdir(parents=True)
    (scratch.root / "locales" / "es" / "report.yaml").write_text(
        'fit_labels.0.lable:\n  en_sha: "00000000"\n  es: "x"\n', encoding="utf-8")
    (scratch.root / "locales" / "es" / "reprot.yaml").write_text("", encoding="utf-8")
    orphans = [str(p) for p in translation_problems(scratch.root) if p.code == "translation-orphan"]
    assert orphans == [
        "rules/locales/es/report.yaml:3: warning: fit_labels.0.lable: no text has this key; did you mean "
        "'fit_labels.0.label'?; keys name a text by ids, such as items.CMA.description [translation-orphan]",
        "rules/locales/es/reprot.yaml: warning: translates 'reprot.yaml', which the rule book does not have; "
        "did you mean 'report.yaml'? [translation-orphan]",
    ]


def test_strict_check_fails_on_an_untranslated_text_and_passes_once_it_is_translated(
        scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    with_shipped_translations(scratch)
    base, _ = check(capsys, "--strict")
    scratch.rule("new-one", "{fact: has_diploma}")
    code, out = check(capsys, "--strict")
    assert code == 1 and any("rules.new-one.because: no es translation" in line for line in out)
    assert main(["rules", "translate", "es", "--rules", "rules", "--write"]) == 0
    written = capsys.readouterr().out
    assert written == "rules/locales/es/rules/foundation.yaml: 1 entry added\n"
    path = scratch.root / "locales" / "es" / "rules" / "foundation.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# English:\n#   A reason.\nrules.new-one.because:\n" in text
    path.write_text(text.replace('rules.new-one.because:\n  en_sha: "{}"\n  es: ""'.format(fingerprint("A reason.")),
                                 'rules.new-one.because:\n  en_sha: "{}"\n  es: "Un motivo."'.format(
                                     fingerprint("A reason."))), encoding="utf-8")
    assert check(capsys, "--strict")[0] == base
    assert main(["rules", "translate", "es", "--rules", "rules", "--write"]) == 0
    assert capsys.readouterr().out.startswith("Every text already has an entry in locales/es/")


def test_translate_prints_entries_ready_to_fill_and_says_when_nothing_is_left(
        scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / "locales" / "es").mkdir(parents=True)
    assert main(["rules", "translate", "es", "--rules", "rules"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ---- rules/locales/es/questionnaire.yaml\n# English:\n")
    assert 'questions.education.prompt:\n  en_sha: "' in out and '  es: ""\n' in out
    assert not (scratch.root / "locales" / "es" / "questionnaire.yaml").exists()  # printing writes nothing


def test_the_shipped_translations_load_without_errors() -> None:
    assert [p for p in translation_problems(ROOT / "rules") if not p.warning] == []


def test_write_never_doubles_a_key_the_file_has_even_when_that_entry_is_broken(
        scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / "locales" / "es").mkdir(parents=True)
    path = scratch.root / "locales" / "es" / "report.yaml"
    path.write_text('fit_labels.0.label:\n  en_sha: "zz"\n  es: "Encaja"\n', encoding="utf-8")
    assert main(["rules", "translate", "es", "--rules", "rules", "--write"]) == 0
    assert path.read_text(encoding="utf-8").count("fit_labels.0.label:") == 1
    code, out = check(capsys)
    assert code == 1 and any("report.yaml:2: fit_labels.0.label: expected 'en_sha:'" in line for line in out)


def test_write_into_something_that_is_not_a_file_is_one_line_and_exit_2(
        scratch: Scratch, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / "locales" / "es" / "report.yaml").mkdir(parents=True)
    assert main(["rules", "translate", "es", "--rules", "rules", "--write"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == ["rules/locales/es/report.yaml: not a regular file; translation files are plain files"]
