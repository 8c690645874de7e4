"""A batch of files into the store: every file gets an outcome, one bad file never stops the rest."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from policykg.loaders.errors import LoadError
from policykg.loaders.pipeline import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_source_file
from policykg.loaders.records import SourceFile

from .build import build_file_graph, owner_of
from .store import PolicyStore


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file."""

    path: str
    status: str  # loaded | loaded-with-warnings | failed | skipped
    reason: str = ""
    documents: int = 0
    measures: int = 0
    responsibilities: int = 0
    citations: int = 0
    triples: int = 0


@dataclass
class LoadReport:
    """Every input file with its status, in input order."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def warnings(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("loaded-with-warnings", "skipped")]

    def total(self, attribute: str) -> int:
        return sum(getattr(o, attribute) for o in self.outcomes)


def find_input_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """``(path, name)`` of every file under the given files and folders, recursively, sorted.

    ``name`` is the path relative to the folder it was found in (the file name for a file given
    directly); symbolic-link loops are not followed twice.
    """
    for root in paths:
        if root.is_dir():
            seen: set[str] = set()
            for folder, dirs, files in os.walk(root, followlinks=True):
                real = os.path.realpath(folder)
                if real in seen:
                    dirs[:] = []
                    continue
                seen.add(real)
                dirs.sort()
                for name in sorted(files):
                    path = Path(folder) / name
                    yield path, path.relative_to(root).as_posix()
        else:
            yield root, root.name


def load_corpus(
    paths: Iterable[Path],
    store: PolicyStore,
    progress: Callable[[str], None] = lambda name: None,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> LoadReport:
    """Read every file, put each one's graph in the store; return the load report."""
    report = LoadReport()
    sources: list[SourceFile] = []
    for path, name in find_input_files(paths):
        progress(name)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.outcomes.append(FileOutcome(name, "skipped", f"not a text or HTML file ({path.suffix})"))
            continue
        try:
            source = read_source_file(path, name, max_file_bytes)
        except LoadError as exc:
            report.outcomes.append(FileOutcome(name, "failed", exc.reason))
            continue
        sources.append(source)
        warned = "; ".join(source.warnings)
        report.outcomes.append(FileOutcome(name, "loaded-with-warnings" if warned else "loaded", warned))
    resolver = store.resolver()
    for source in sources:
        for document in source.documents:
            resolver.loaded_iri(document.title, owner_of(document), document.doc_number)
    counts = {}
    for source in sources:
        graph_iri, graph = build_file_graph(source, resolver)
        store.replace_graph(graph_iri, graph)
        counts[source.path] = _counts(source, len(graph))
    store.flush()
    report.outcomes = [_with_counts(o, counts.get(o.path)) for o in report.outcomes]
    return report


def _counts(source: SourceFile, triples: int) -> dict[str, int]:
    measures = [m for d in source.documents for m in d.measures]
    return {
        "documents": len(source.documents),
        "measures": len(measures),
        "responsibilities": sum(len(m.agencies) for m in measures),
        "citations": sum(len(d.citations) for d in source.documents),
        "triples": triples,
    }


def _with_counts(outcome: FileOutcome, counts: dict[str, int] | None) -> FileOutcome:
    return FileOutcome(outcome.path, outcome.status, outcome.reason, **counts) if counts else outcome
