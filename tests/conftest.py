"""Shared fixtures: the seed corpus built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from policykg.exports.build import build

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).parent / "fixtures" / "gold"


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder written by ``policykg build seeds``."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    build([SEEDS], out)
    return out
