"""`recommender serve` as a command, and the report page's plan from the JSON report's summary."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from recommender.book.rulebook import RuleBook
from recommender.cli import cli, main
from recommender.web.report import report_view
from recommender.web.view import ENV


def test_other_commands_do_not_load_the_web_stack() -> None:
    code = ("import sys; from recommender.cli import main; main(['--help']); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn', 'jinja2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("[]")


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output and "--rules DIR" in result.output


def test_a_broken_rule_book_stops_serve_before_it_listens(tmp_path: Path) -> None:
    assert main(["serve", "--rules", str(tmp_path / "missing"), "--port", "0"]) == 2


def test_a_port_in_use_is_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "recommender", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"recommender: cannot listen on 127.0.0.1:{port}: address already "
                                                  "in use"]


def _page(data: dict[str, object], book: RuleBook) -> str:
    return ENV.get_template("report.html").render(title="Your report", r=report_view(data, book), path="/report",
                                                  error_title=False)


def test_the_plan_leads_the_page_when_the_report_has_a_summary(book: RuleBook) -> None:
    summary = {"best_role": {"id": "medical_administrative_assistant", "name": "Medical administrative assistant",
                             "fit": "strong fit", "pay": {"value_usd": 42000, "period": "year", "year": 2023,
                                                          "sources": []},
                             "outlook": {"text": "Faster than average growth.", "sources": []}},
               "first_step": {"text": "Enrol in an MA certificate program", "item": "ma_certificate",
                              "duration_months": [9, 12], "cost_usd": [1200, 1500], "why": "It opens the CMAA."},
               "then": ["Sit the CMAA exam"], "alternatives": [{"role": "x", "name": "Billing specialist",
                                                                "first_step": {"text": "Take a coding course"}}],
               "fit_legend": "Strong fit: most of your answers point here."}
    page = _page({"summary": summary, "recommendations": [], "pathways": [], "sources": {}}, book)
    assert page.index("Your plan") < page.index("Certifications")
    for text in ("Medical administrative assistant", "$42,000 a year (2023)", "Faster than average growth.",
                 "Enrol in an MA certificate program</strong>", "(9–12 months, $1,200–$1,500)", "Sit the CMAA exam",
                 "Billing specialist</strong>: start with Take a coding course", "Strong fit: most"):
        assert text in page, text


def test_without_a_summary_the_page_starts_with_the_lists(book: RuleBook) -> None:
    page = _page({"recommendations": [], "pathways": [], "sources": {}}, book)
    assert "Your plan" not in page and "None fits your answers yet" in page
