"""The code's type hints hold: mypy finds no error in policykg (its tests aside)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_mypy_finds_no_error_in_the_package(tmp_path: Path) -> None:
    # the repository is the package: mypy is shown it under the package's name
    (tmp_path / "policykg").symlink_to(ROOT, target_is_directory=True)
    done = subprocess.run([sys.executable, "-m", "mypy", "-p", "policykg", "--ignore-missing-imports",
                           "--exclude", r"policykg/(tests|\.venv)/", "--cache-dir", str(tmp_path / "cache")],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "no issues found" in done.stdout
