"""Commands are imported when they run: the root group alone imports none of them."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from recommender.cli import COMMANDS, cli
from tests.conftest import PROFILES

PROBE = """
import sys
from recommender.cli import main
main(sys.argv[1:])
print(sorted(m for m in sys.modules if m.startswith("recommender.cli.") and m not in
             ("recommender.cli.helptext", "recommender.cli.options", "recommender.cli.output")), file=sys.stderr)
"""


def imported_commands(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False)
    return done.stderr.strip().splitlines()[-1]


def test_a_command_imports_its_own_module_only() -> None:
    assert imported_commands("--version") == "[]"
    assert imported_commands("recommend", str(PROFILES[0]), "--format", "json") == "['recommender.cli.recommend']"


def test_help_still_lists_every_command_with_its_short_help() -> None:
    out = CliRunner().invoke(cli, ["--help"]).output
    listed = out.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    for name, load in COMMANDS.items():
        assert load().get_short_help_str(limit=80)[:30] in out, name
