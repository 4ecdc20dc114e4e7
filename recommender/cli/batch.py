"""`recommender batch`: score a whole cohort of profiles, streaming, one output record per profile."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import IO

import click

from recommender.cli.options import (
    EXIT_OK,
    EXIT_PROBLEMS,
    format_option,
    lang_option,
    rules_option,
)
from recommender.cli.signals import Terminated, stop_on_signals
from recommender.errors import OutputError

# Each worker loads the rule book (tens of MB); more workers than this only fight over the CPUs.
MAX_JOBS = 32


class Progress:
    """A counter line on a terminal's stderr, redrawn at most ten times a second; silent elsewhere."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.shown = False
        self.last = 0.0

    def update(self, scored: int, bad: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        self.stream.write(f"\r\x1b[K{scored + bad:,} rows read: {scored:,} scored, {bad:,} bad")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _write(stream: IO[str], text: str, out: Path | None, flush: bool = False) -> None:
    """Write to the output; a failure (a full disk, a closed pipe) is an OutputError naming the file."""
    try:
        if text:
            stream.write(text)
        if flush:
            stream.flush()
    except OSError as exc:
        from recommender.cli.output import reason

        where = f"{out}: " if out is not None else ""
        raise OutputError(f"{where}cannot write the output: {reason(exc)}") from None


def summary(scored: int, bad: int) -> str:
    """The last line on stderr: how many profiles were scored and how many rows were bad."""
    return f"{scored:,} profile{'' if scored == 1 else 's'} scored, {bad:,} bad row{'' if bad == 1 else 's'}"


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                type=click.Path(exists=True, path_type=Path))
@format_option("jsonl", "csv", default="jsonl")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Write the records to FILE (replaced only when the batch ends) instead of stdout.")
@click.option("--jobs", type=click.IntRange(min=1, max=MAX_JOBS), default=1, show_default=True, metavar="N",
              help=f"Score with N worker processes (at most {MAX_JOBS}); the output is the same, in input order.")
@click.option("--top", type=click.IntRange(min=1), default=None, metavar="N",
              help="Keep at most N certifications, N programs and N roles per profile.")
@click.option("--raw-csv", is_flag=True, default=False,
              help="Write CSV cells exactly as they are. By default a cell starting with =, +, -, @, a tab "
                   "or a carriage return gets a leading ' so that a spreadsheet shows it instead of running it.")
@click.option("--summary", "summary_only", is_flag=True, default=False,
              help="With --format jsonl: write each profile's plan summary, ranking and statuses only, without "
                   "the full report (much faster). CSV output is always built this way.")
@rules_option
@lang_option
def batch(inputs: tuple[Path, ...], fmt: str, out: Path | None, jobs: int, top: int | None, raw_csv: bool,
          summary_only: bool, rules_dir: Path | None, lang: str) -> int:
    """Score many profiles: answers files, folders of them, JSON Lines (.jsonl) or CSV (.csv).

    Writes one record per profile in input order. Bad rows are reported on stderr as
    path:line: message and the batch goes on; the exit code is 1 if any row was bad.
    """
    from recommender.book.cache import load_cached
    from recommender.cohort.batch import SUMMARY, AtomicOutput, csv_header, outcomes
    from recommender.cohort.read import read_rows
    from recommender.cohort.target import DirectOutput, check_out

    book = load_cached(rules_dir, lang=lang)
    err = sys.stderr
    progress = Progress(err, err.isatty())
    target: AtomicOutput | DirectOutput | None = None
    if out is not None:
        path, special = check_out(out, inputs)
        target = DirectOutput(path) if special else AtomicOutput(path, str(out))
    stream = target.stream if target is not None else sys.stdout
    scored = bad = 0
    try:
        with stop_on_signals():
            if fmt == "csv":
                _write(stream, csv_header(), out)
            shape = SUMMARY if summary_only and fmt == "jsonl" else fmt
            for outcome in outcomes(read_rows(inputs, book), book, shape, top, jobs, raw=raw_csv):
                _write(stream, outcome.text, out)
                if outcome.ok:
                    scored += 1
                else:
                    bad += 1
                    progress.clear()
                    for line in outcome.problems:
                        click.echo(line, err=True)
                progress.update(scored, bad)
            _write(stream, "", out, flush=True)
    except Terminated as exc:
        progress.clear()
        if target is not None:
            target.discard()
        click.echo(f"Stopped by a signal after {scored + bad:,} rows; nothing was written to {out}."
                   if out is not None else f"Stopped by a signal after {scored + bad:,} rows.", err=True)
        return 128 + exc.signum
    except BaseException:
        progress.clear()
        if target is not None:
            target.discard()
        raise
    if target is not None:
        target.commit()
    progress.clear()
    click.echo(summary(scored, bad), err=True)
    return EXIT_PROBLEMS if bad else EXIT_OK
