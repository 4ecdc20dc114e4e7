"""`recommender rules check|test|coverage|diff`: the advisor's tools for the rule book."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import click

from recommender.cli.options import EXIT_OK, EXIT_PROBLEMS, format_option, rules_option

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")


@click.group()
def rules() -> None:
    """Check, test and compare rule books (for advisors)."""


# ------------------------------------------------------------------ check
@rules.command()
@rules_option
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--max-age", "max_age", type=click.IntRange(min=0), default=None, metavar="DAYS",
              help="Warn about sources last checked more than DAYS days ago.  [default: 365]")
@format_option("text", "json")
def check(rules_dir: Path | None, strict: bool, max_age: int | None, fmt: str) -> int:
    """Report every problem in every rule file, with its file, line and key.

    Errors (the book does not load, or a rule can never fire, ...) exit with 1;
    warnings (old sources, unused questions, ...) exit with 1 only under --strict.
    """
    from recommender.advisor.allowances import Allowed, settle
    from recommender.advisor.analysis import (
        DEFAULT_MAX_AGE_DAYS,
        analyse,
        check_sources,
    )
    from recommender.advisor.profiles import shown
    from recommender.advisor.translations import translation_problems
    from recommender.book.loader import default_rules_dir, load_rulebook
    from recommender.errors import Problem, RuleBookError

    root = rules_dir if rules_dir is not None else default_rules_dir()
    today = datetime.date.today()
    days = DEFAULT_MAX_AGE_DAYS if max_age is None else max_age
    summary: dict[str, int] | None = None
    allowed: list[Allowed] = []
    try:
        book = load_rulebook(root)
    except RuleBookError as exc:
        # A book that does not load is a set of errors found: report them, with what the files alone show.
        # Errors in translation files are among them; what a translation lacks waits for a book that loads.
        translated = [p for p in translation_problems(root) if not p.warning] if root.is_dir() else []
        problems = sorted(set(exc.problems) | set(check_sources(root, today, days)) | set(translated),
                          key=lambda p: (p.path, p.line, p.subject, p.key, p.message))
    else:
        problems, allowed = settle(book, analyse(book, today, days))
        problems = sorted(set(problems) | set(translation_problems(root)),
                          key=lambda p: (p.path, p.line, p.subject, p.key, p.message))
        summary = {"questions": len(book.questions), "facts": len(book.facts), "items": len(book.items),
                   "rules": len(book.rules), "sources": len(book.sources)}
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    failed = bool(errors) or (strict and bool(warnings))
    where = shown(root)
    if fmt == "json":
        def item(p: Problem) -> dict[str, object]:
            return {"path": p.path, "line": p.line, "subject": p.subject, "key": p.key, "message": p.message,
                    "text": str(p), "code": p.code or None, "excerpt": list(p.excerpt)}
        click.echo(json.dumps({"rules": where, "ok": not failed, "strict": strict, "loaded": summary is not None,
                               "book": summary, "errors": [item(p) for p in errors],
                               "warnings": [item(p) for p in warnings],
                               "allowed": [{**item(a.problem), "because": a.because} for a in allowed]},
                              indent=2, ensure_ascii=False))
        return EXIT_PROBLEMS if failed else EXIT_OK
    for p in problems:
        click.echo("\n".join(p.shown()))
    accepted = f" ({_count(len(allowed), 'warning')} accepted with allow)" if allowed else ""
    if not problems and summary is not None:
        click.echo(f"No problems in {where}{accepted}: {summary['questions']} questions, {summary['facts']} facts, "
                   f"{summary['items']} items, {summary['rules']} rules and {summary['sources']} sources checked.")
    else:
        tail = ""
        if summary is None:
            tail = "; the rule book does not load, so the deeper checks did not run"
        elif warnings and not errors:
            tail = "; --strict counts warnings as errors" if strict else "; warnings fail only under --strict"
        click.echo(f"{_count(len(errors), 'error')} and {_count(len(warnings), 'warning')} in {where}{accepted}{tail}.")
    return EXIT_PROBLEMS if failed else EXIT_OK


def _count(n: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n} {word if n == 1 else plural}"


# ------------------------------------------------------------------ test
@rules.command()
@paths_argument
@rules_option
@format_option("text", "json")
def test(paths: tuple[Path, ...], rules_dir: Path | None, fmt: str) -> int:
    """Run the `expect` blocks of profiles and report every failure.

    PATH is an answers file or a folder of them; the default is the profiles/
    folder beside the rule book.  Ends with the line 'N passed, M failed'.
    """
    from recommender.advisor.profiles import (
        profile_files,
        run_tests,
        shown,
        tests_json,
        tests_text,
    )
    from recommender.book.loader import default_rules_dir, load_rulebook

    root = rules_dir if rules_dir is not None else default_rules_dir()
    book = load_rulebook(root)
    outcomes = run_tests(book, profile_files(paths, root))
    if fmt != "json":
        click.echo(f"Rule book: {shown(root)}")
    click.echo(tests_json(outcomes) if fmt == "json" else tests_text(outcomes), nl=False)
    return EXIT_PROBLEMS if any(not o.passed for o in outcomes) else EXIT_OK


# ------------------------------------------------------------------ coverage
@rules.command()
@paths_argument
@rules_option
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="PERCENT",
              help="Exit with 1 when fewer than PERCENT of the rules fire for some profile.")
@format_option("text", "json")
def coverage(paths: tuple[Path, ...], rules_dir: Path | None, fail_under: float | None, fmt: str) -> int:
    """Show which rules the profiles fire and which items they get.

    PATH is an answers file or a folder of them (default: the profiles/ folder
    beside the rule book).  Rules no profile fires are listed with answers that
    would fire them.
    """
    from recommender.advisor.coverage import coverage_json, coverage_text, measure
    from recommender.advisor.profiles import load_profiles, profile_files, shown
    from recommender.book.loader import default_rules_dir, load_rulebook

    root = rules_dir if rules_dir is not None else default_rules_dir()
    book = load_rulebook(root)
    files = profile_files(paths, root)
    loaded = load_profiles(book, files)
    labels = _labels(files)
    cov = measure(book, [(labels[f], a.profile) for f, a in zip(files, loaded)])
    if fmt != "json":
        click.echo(f"Rule book: {shown(root)}")
    click.echo(coverage_json(cov, fail_under) if fmt == "json" else coverage_text(cov, fail_under), nl=False)
    return EXIT_PROBLEMS if fail_under is not None and cov.percent < fail_under else EXIT_OK


def _labels(files: list[Path]) -> dict[Path, str]:
    """Short names for profiles: the file stem, or the whole path when stems repeat."""
    from recommender.advisor.profiles import shown

    stems = [f.stem for f in files]
    return {f: f.stem if stems.count(f.stem) == 1 else shown(f) for f in files}


# ------------------------------------------------------------------ diff
@rules.command()
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path), metavar="OLD [NEW]")
@click.option("--against", "rev", default=None, metavar="REV",
              help="Compare with the rule book as it was at git revision REV (then give at most NEW).")
@click.option("--profiles", "profiles_dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Answers files to compare on (default: the profiles/ folder beside NEW).")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Compare only the first N recommendations of each kind.")
@click.option("--exit-code", is_flag=True, help="Exit with 1 when any profile's report changes.")
@rules_option
@format_option("text", "json")
def diff(folders: tuple[Path, ...], rev: str | None, profiles_dir: Path | None, top: int | None,
         exit_code: bool, rules_dir: Path | None, fmt: str) -> int:
    """Show what a rule change does to each profile's report.

    OLD and NEW are rule book folders; NEW defaults to --rules (or the shipped
    book).  With --against REV, OLD is read from git at that revision.  For each
    profile: items added, removed, re-ranked, changed in status or score, with
    the rules responsible; totals at the end.
    """
    import tempfile

    from recommender.advisor.impact import compare, impact_json, impact_text
    from recommender.advisor.profiles import profile_files, shown
    from recommender.advisor.revision import relabel, rulebook_at_revision
    from recommender.book.loader import default_rules_dir, load_rulebook
    from recommender.errors import RuleBookError

    most = 1 if rev is not None else 2
    if not folders and rev is None:
        raise click.UsageError("give the OLD rule book folder, or --against REV")
    if len(folders) > most:
        raise click.UsageError("with --against, give at most one folder (NEW)" if rev is not None
                               else "give at most two folders: OLD and NEW")
    new_root = folders[-1] if len(folders) == most else (rules_dir if rules_dir is not None else default_rules_dir())
    new_book = load_rulebook(new_root)
    files = profile_files([profiles_dir] if profiles_dir is not None else [], new_root)
    labels = {f: shown(f) for f in files}
    with tempfile.TemporaryDirectory(prefix="recommender-diff-") as tmp:
        if rev is not None:
            old_root, old_label = rulebook_at_revision(new_root, rev, Path(tmp))
            try:
                old_book = load_rulebook(old_root)
            except RuleBookError as exc:
                raise relabel(exc, old_root, old_label) from None
        else:
            old_root, old_label = folders[0], shown(folders[0])
            old_book = load_rulebook(old_root)
        impact = compare(old_book, new_book, files, labels, old_label, shown(new_root), top)
    click.echo(impact_json(impact) if fmt == "json" else impact_text(impact), nl=False)
    return EXIT_PROBLEMS if exit_code and any(p.changed for p in impact.profiles) else EXIT_OK


# ------------------------------------------------------------------ translate
@rules.command()
@click.argument("lang", type=click.Choice(["es"]))
@rules_option
@click.option("--write", is_flag=True,
              help="Append the entries to the translation files (creating them) instead of printing them.")
def translate(lang: str, rules_dir: Path | None, write: bool) -> int:
    """Show what the LANG translation lacks: each missing or out-of-date text, ready to fill in.

    Each entry quotes the English as a comment and carries its fingerprint (en_sha).  Write
    the translation after `es:`; an empty one counts as missing and the English is shown.
    """
    from recommender.advisor.translations import skeleton
    from recommender.book.loader import default_rules_dir

    root = rules_dir if rules_dir is not None else default_rules_dir()
    if not root.is_dir():
        raise click.UsageError(f"rule book folder not found: {root}")
    blocks = skeleton(root, lang, absent_only=write)
    if not blocks:
        click.echo(f"Every text already has an entry in locales/{lang}/; `rules check` lists any still empty or "
                   "out of date."
                   if write else f"Every text has a current {lang} translation.")
        return EXIT_OK
    for shown_path, text in blocks.items():
        if write:
            _append(Path(shown_path), text)
            click.echo(f"{shown_path}: {_count(text.count('en_sha:'), 'entry')} added")
        else:
            click.echo(f"# ---- {shown_path}\n{text}")
    return EXIT_OK


def _append(target: Path, text: str) -> None:
    """Add entries at the end of a translation file (made if missing); a failure is one line, exit 2."""
    from recommender.errors import Problem, RuleBookError

    try:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise RuleBookError(Problem(str(target), 0, "not a regular file; translation files are plain files"))
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.read_text(encoding="utf-8") if target.exists() else ""
        sep = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
        with target.open("a", encoding="utf-8") as handle:
            handle.write(sep + text)
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RuleBookError(Problem(str(target), 0, f"cannot add the entries: {why}")) from None
