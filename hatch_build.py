"""Wheel build hook: the shipped rule book's snapshot goes into the wheel, so no user pays a first full load.

It runs the package from this source tree (the build environment has pydantic and PyYAML, see
pyproject.toml) and adds recommender/_snapshot/<key>.json.  If that fails the wheel is built
without it, with a warning: the snapshot only saves time, and the per-user cache makes one anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WRITE = "import sys; from pathlib import Path; from recommender.book.cache import write_shipped; " \
        "print(*write_shipped(Path(sys.argv[1]), Path(sys.argv[2])), sep=chr(10))"


class SnapshotHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version != "standard":
            return
        self._temp = tempfile.mkdtemp(prefix="recommender-snapshot-")
        env = {**os.environ, "PYTHONPATH": self.root, "RECOMMENDER_NO_CACHE": "1"}
        done = subprocess.run([sys.executable, "-c", WRITE, str(Path(self.root) / "rules"), self._temp],
                              env=env, cwd=self._temp, capture_output=True, text=True)
        if done.returncode != 0:
            self.app.display_warning("rule book snapshot not built (the wheel works without it): "
                                     + (done.stderr.strip().splitlines() or ["unknown error"])[-1])
            return
        for line in done.stdout.strip().splitlines():
            path = Path(line)
            build_data["force_include"][str(path)] = f"recommender/_snapshot/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temp = getattr(self, "_temp", None)
        if temp:
            shutil.rmtree(temp, ignore_errors=True)
