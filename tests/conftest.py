"""Shared fixtures: the seed corpus built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from policykg.exports.build import build
from policykg.graph.corpus import load_corpus
from policykg.graph.inplace import Hunk, apply
from policykg.graph.store import PolicyStore
from policykg.graph.trig import ALIGN

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).parent / "fixtures" / "gold"


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder written by ``policykg build seeds``."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    build([SEEDS], out)
    return out


def load_changed_seed(store: PolicyStore, folder: Path, old: str, new: str) -> str:
    """Load the first seed file again with ``old`` written as ``new``; its name."""
    name = "000_7de621c7132f9bb7.txt"
    changed = folder / "corpus" / name
    changed.parent.mkdir()
    changed.write_text((SEEDS / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    load_corpus([changed.parent], store)
    return name


def kept_in_memory(path: Path) -> bool:
    """Whether ``path`` lies on a file system held in memory (tmpfs), which has no storage to read
    from: the mount point above it that is longest, in ``/proc/mounts``."""
    mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines()]
    resolved = str(path.resolve())
    above = [(point, kind) for point, kind in mounts
             if resolved == point or resolved.startswith(point.rstrip("/") + "/")]
    return max(above, key=lambda mount: len(mount[0]))[1] in ("tmpfs", "ramfs")


def edits_in_place(folder: Path) -> bool:
    """Whether the file system of ``folder`` lets a file be edited in place by moving its blocks,
    under a lease (:mod:`policykg.graph.inplace`): a first block taken out of a file of three."""
    probe = folder / ".moves-blocks"
    probe.write_bytes(b"\n" * 3 * ALIGN)
    try:
        return apply(probe, [Hunk(0, ALIGN, ())], ALIGN) and probe.stat().st_size == 2 * ALIGN
    finally:
        probe.unlink()
