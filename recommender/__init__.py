"""A rule-based certification and pathway recommender for medical administrative careers."""

from __future__ import annotations

__version__ = "0.1.0"
