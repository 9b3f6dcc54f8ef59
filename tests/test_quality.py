"""Code quality gates configured in pyproject.toml: ruff and mypy must be clean."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_is_clean() -> None:
    """`ruff check digest tests` reports nothing."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "digest", "tests"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_is_clean() -> None:
    """`mypy` (packages = ["digest"] in pyproject.toml) reports no error."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
