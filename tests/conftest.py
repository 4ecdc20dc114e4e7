from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from recommender.book.loader import load_rulebook
from recommender.book.rulebook import RuleBook

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))


@pytest.fixture(scope="session", autouse=True)
def _snapshot_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Rule book snapshots go to a folder of the test run's own, never to the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RECOMMENDER_CACHE_DIR", str(tmp_path_factory.mktemp("snapshots")))
        patch.delenv("RECOMMENDER_NO_CACHE", raising=False)
        yield


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rulebook(ROOT / "rules")
