"""Where a rule book keeps its files, and where the shipped book is: known without loading anything."""

from __future__ import annotations

from pathlib import Path

QUESTIONNAIRE = "questionnaire.yaml"
FACTS = "facts.yaml"
MARKET = "market.yaml"
REPORT = "report.yaml"
CATALOG_DIR = "catalog"
RULES_DIR = "rules"


def default_rules_dir() -> Path:
    """The shipped rule book: packaged inside a wheel, or ./rules beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_rules"
    return packaged if packaged.is_dir() else package.parent / "rules"


def shown_path(path: Path) -> str:
    """A path as every message about the book shows it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
