"""A batch of files into the store: every file gets an outcome, one bad file never stops the rest."""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from rdflib import URIRef

from policykg.loaders.decode import OLE_MAGIC, SAVE_AS, UNPACK
from policykg.loaders.errors import LoadError
from policykg.loaders.pipeline import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_source_file
from policykg.loaders.records import SourceFile

from .build import build_file_graph, named_agencies, owner_of
from .copies import shared_with_other_files
from .identity import file_iri
from .links import Changes, CitationRecord, citation_records, links_graph_iri, relink
from .parallel import ProcessLost, ordered_map
from .renamings import renamed_agencies
from .resolve import DocumentResolver
from .store import PolicyStore, StoreError
from .trig import Body, trig_body

# files a parsing process reads before a fresh one takes its place: a process grows as it parses (102
# to 105 MB after 1,000 files, 108 after 1,500, 136 after 14,000, 152 after 28,000: the allocator's
# and the parsers' remembered look-ups), and starting one costs under a second
RETIRE_AFTER_FILES = 2000
# files policies often come in that are not read: what they are, and what to do to load them
NAMED_AS_WORD = (".doc", ".wps")  # read when they hold no Word 97-2003 or WPS document (_served_as_word)
UNREAD_DOCUMENTS = {
    ".doc": ("a Word 97-2003 or WPS document", SAVE_AS),
    ".wps": ("a Word 97-2003 or WPS document", SAVE_AS),
    ".rtf": ("a rich text document", SAVE_AS),
    ".odt": ("an OpenDocument text", SAVE_AS),
    ".ofd": ("an OFD document (版式文档)", "save it as PDF to load it"),
    ".zip": ("a ZIP archive", UNPACK),
    ".rar": ("a RAR archive", UNPACK),
    ".7z": ("a 7-Zip archive", UNPACK),
}


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
    targets: int = 0
    triples: int = 0


@dataclass
class LoadReport:
    """Every input file with its status, in input order."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def loaded(self) -> list[FileOutcome]:
        """The files whose graphs went to the store."""
        return [o for o in self.outcomes if o.status in ("loaded", "loaded-with-warnings")]

    @property
    def warnings(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status in ("loaded-with-warnings", "skipped")]

    def total(self, attribute: str) -> int:
        return sum(getattr(o, attribute) for o in self.outcomes)


@dataclass(frozen=True)
class InputFolders:
    """What a build into a folder knows of where its files come from (:func:`find_input_files`)."""

    leave_out: Path | None = None  # the build's own folder: nothing in it is input
    named_from: tuple[Path, ...] = ()  # the folders its files were read from before, earliest first

    def reading(self, paths: Iterable[Path]) -> "InputFolders":
        """These folders once ``paths`` are read too: each folder given, or a file's, is added to
        :attr:`named_from` unless it lies in one there (its files are named from that one).

        >>> read = InputFolders(named_from=(Path("/c"),))
        >>> read.reading([Path("/c/a/x.txt"), Path("/d/x.txt"), Path("/d/y.txt")]).named_from
        (PosixPath('/c'), PosixPath('/d'))
        """
        named_from = list(self.named_from)
        for path in paths:
            folder = Path(os.path.realpath(path if path.is_dir() else path.parent))
            if _holder([str(known) for known in named_from], str(folder)) is None:
                named_from.append(folder)
        return InputFolders(self.leave_out, tuple(named_from))


def find_input_files(paths: Iterable[Path], folders: InputFolders = InputFolders()) -> Iterator[tuple[Path, str]]:
    """``(path, name)`` of every file under the given files and folders, recursively, sorted, each
    file once (given twice, or in two folders given, one inside the other).

    ``name`` is the file's path from the first folder holding it of those the build read from
    before (``folders.named_from``), then those given (a file given directly: its folder). A file
    read again thus keeps its name however it is given (a folder, a folder inside it, the file
    alone), so it replaces its graph rather than add a second; one reached through a link is named
    where it lies (through a link out of them all: by its path as walked). Symbolic-link loops are
    not followed twice. Nothing in the folder ``folders.leave_out`` is found: a build's own output
    folder, inside a folder it reads, holds its views as HTML, its tables and its store, and never
    input.
    """
    paths = list(paths)
    earlier = [str(folder) for folder in folders.reading(paths).named_from]
    found: set[tuple[int, int]] = set()  # the files yielded, by device and inode
    for path, name in _named_files(paths, earlier, folders.leave_out):
        identity = _file_identity(path)
        if identity not in found:
            found.add(identity)
            yield path, readable_path(name)


def readable_path(path: str) -> str:
    r"""A path as text that can be shown and written anywhere. Each part of it whose bytes are not
    UTF-8 is read as GB18030, as archives made on Chinese Windows name their files (Python holds
    such bytes as lone surrogates, which no UTF-8 file or terminal takes), else its bytes are
    written escaped.

    >>> readable_path(os.fsdecode(b"\xb9\xe3\xb6\xab/a.txt")), readable_path(os.fsdecode(b"\xff.txt"))
    ('广东/a.txt', '\\xff.txt')
    """
    return "/".join(_readable_part(part) for part in path.split("/"))


def _readable_part(part: str) -> str:
    raw = os.fsencode(part)  # its bytes, as the file system holds them
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="backslashreplace")


def _named_files(paths: Iterable[Path], earlier: list[str], leave_out: Path | None) -> Iterator[tuple[Path, str]]:
    """:func:`find_input_files`'s files and names, a file found twice given twice; ``earlier`` the
    real folders files are named from, first first."""
    for root in paths:
        if not root.is_dir():
            holder = _holder(earlier, os.path.realpath(root.parent))
            yield root, root.name if holder is None else holder[1] + root.name
            continue
        root_holder = _holder(earlier, os.path.realpath(root))
        seen = {os.path.realpath(leave_out)} if leave_out else set()
        for folder, dirs, files in os.walk(root, followlinks=True):
            real = os.path.realpath(folder)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            dirs.sort()
            prefix = _name_prefix(Path(folder).relative_to(root), root_holder, _holder(earlier, real))
            for name in sorted(files):
                yield Path(folder) / name, prefix + name


def _file_identity(path: Path) -> tuple[int, int]:
    """A file's device and inode: the same for every path to it (and a file that cannot be read,
    which its outcome says, its path's own)."""
    try:
        status = path.stat()
    except OSError:
        return (-1, hash(str(path)))
    return (status.st_dev, status.st_ino)


def _holder(folders: list[str], real: str) -> tuple[int, str] | None:
    """Which of ``folders`` holds the real folder ``real`` first (its index), and the path of
    ``real`` from it, ending in "/" unless it is that folder (""); ``None`` when none holds it.

    >>> _holder(["/c", "/c/a"], "/c/a/b"), _holder(["/d", "/c"], "/c"), _holder(["/c"], "/cd")
    ((0, 'a/b/'), (1, ''), None)
    """
    for index, folder in enumerate(folders):
        if real == folder:
            return index, ""
        if real.startswith(folder.rstrip(os.sep) + os.sep):
            return index, Path(os.path.relpath(real, folder)).as_posix() + "/"
    return None


def _name_prefix(walked: Path, root_holder: tuple[int, str] | None, holder: tuple[int, str] | None) -> str:
    """What the names of a walked folder's files start with: its place in the folder that names it
    (``holder``, see :func:`_holder`), so that a file reached through a link is named where it
    lies; where none does (a link out of every folder read), its path as walked from the folder
    given (``walked``), after that folder's place (``root_holder``).

    >>> _name_prefix(Path("b"), (0, "a/"), (0, "a/c/")), _name_prefix(Path("b"), (0, "a/"), None)
    ('a/c/', 'a/b/')
    """
    if holder is not None:
        return holder[1]
    return (root_holder[1] if root_holder else "") + ("" if walked == Path(".") else walked.as_posix() + "/")


def load_corpus(
    paths: Iterable[Path],
    store: PolicyStore,
    progress: Callable[[str], None] = lambda name: None,
    max_file_bytes: int = MAX_FILE_BYTES,
    workers: int = 1,
    folders: InputFolders = InputFolders(),
) -> LoadReport:
    """Read every file and put each one's graph in the store, one file at a time; then resolve the
    citations (:func:`relink`). Returns the load report.

    The corpus is streamed: a file's graph goes to the store as soon as it is built, and only its
    name, its documents' IRIs and the agencies it names that the reform renamed are kept until the
    end; its citations are set aside on disk (:class:`~.links.Changes`). With
    ``workers`` > 1, that many processes parse files and build their graphs; the store gets the same
    graphs as with one. ``folders`` says which files are left out and how files are named
    (:func:`find_input_files`).
    """
    report, changes = _write_files(paths, store, progress, max_file_bytes, workers, folders)
    relink(store, store.resolver(), changes)
    store.flush()
    return _noting_what_files_share(report, store)


def _noting_what_files_share(report: LoadReport, store: PolicyStore) -> LoadReport:
    """The report, each loaded file that holds a document other files hold too warned of it
    (:func:`~.copies.shared_with_other_files`): loaded, but counted twice if both are counted."""
    shared = shared_with_other_files(store, [outcome.path for outcome in report.loaded])
    return LoadReport([_warned(outcome, shared[outcome.path]) if outcome.path in shared else outcome
                       for outcome in report.outcomes])


def _warned(outcome: FileOutcome, warning: str) -> FileOutcome:
    return replace(outcome, status="loaded-with-warnings", reason="; ".join(filter(None, (outcome.reason, warning))))


def load_corpus_apart(paths: Iterable[Path], store: PolicyStore, progress: Callable[[str], None] = lambda name: None,
                      max_file_bytes: int = MAX_FILE_BYTES, workers: int = 1,
                      folders: InputFolders = InputFolders()) -> LoadReport:
    """:func:`load_corpus` in a process of its own, spawned, which ends when the load is done: what
    the load held at its high-water mark (``relink``'s: 632 MB at 30,000 documents) goes back to the
    system with it, where this process's allocator would keep it through the exports that follow.
    ``store``, on disk, is closed meanwhile; ``progress`` hears of each file as it is read."""
    context = multiprocessing.get_context("spawn")
    results, sender = context.Pipe(duplex=False)
    with store.closed_meanwhile() as (folder, bodies):
        process = context.Process(target=_load_and_send, args=(list(paths), folder, bodies, max_file_bytes, workers,
                                                               folders, sender))
        process.start()
        sender.close()  # the process holds the only writing end: its death ends the pipe
        try:
            report = _received_report(results, progress)
        except BaseException:  # the load failed, or this process was stopped first: the other is stopped too
            process.kill()
            raise
        finally:
            process.join()
            results.close()
    return report


def _load_and_send(paths: list[Path], folder: Path, bodies: Path | None, max_file_bytes: int, workers: int,
                   folders: InputFolders, results: Connection) -> None:
    """The load of :func:`load_corpus_apart`, in its process: each file's name as it is read, then
    the report, or the error that stopped the load."""
    store = PolicyStore.open(folder, bodies)
    try:
        results.send(("report", load_corpus(paths, store, lambda name: results.send(("file", name)), max_file_bytes,
                                            workers, folders)))
    except Exception as error:
        results.send(("error", error))
    finally:
        store.close()


def _received_report(results: Connection, progress: Callable[[str], None]) -> LoadReport:
    """The report :func:`_load_and_send` sends; the error it sends is raised here."""
    while True:
        try:
            kind, value = results.recv()
        except EOFError:
            raise StoreError("the process loading the files died (killed, out of memory, or a crash in native "
                             "code); the store and the exports are as they were") from None
        if kind == "file":
            progress(value)
        elif kind == "error":
            raise value
        else:
            return value


def _write_files(paths: Iterable[Path], store: PolicyStore, progress: Callable[[str], None], max_file_bytes: int,
                 workers: int, folders: InputFolders) -> tuple[LoadReport, Changes]:
    """Parse each file and write its graph to the store; returns each file's outcome and what the
    files changed. The resolver deciding the documents' IRIs lives here alone: it may still hold
    documents of the files this batch replaced, so :func:`relink` reads the store's anew, and the
    two are never held at once (each knows every document: 1 MB per 1,000)."""
    report, changes = LoadReport(), Changes()
    resolver = store.resolver()
    named: dict[str, Path] = {}  # each name's file
    for task, result in read_files(find_input_files(paths, folders), max_file_bytes, workers):
        progress(task.name)
        first = named.setdefault(task.name, task.path)
        if first != task.path:  # the second would replace the first's graph
            result = FileOutcome(task.name, "failed", f"{readable_path(str(task.path))} has the name of "
                                                      f"{readable_path(str(first))}, read before it: read the "
                                                      "folder holding both, and each is named by its path there")
        if isinstance(result, ParsedFile) and not result.agrees_with(resolver):
            result = parse_file(task, resolver)  # a title another file holds: IRIs decided corpus-wide
        if isinstance(result, FileOutcome):
            report.outcomes.append(result)
            continue
        changes.note_leaving(store, result.graph)
        store.replace_graph_body(result.graph, result.trig)
        changes.note_loaded(result.graph, result.citations, (iri for *_, iri in result.documents), result.agencies)
        report.outcomes.append(result.outcome)
    return report, changes


def remove_files(store: PolicyStore, names: Iterable[str]) -> list[str]:
    """Remove source files (as named in the load report) and re-resolve what cited them or named
    their agencies' renamed selves; returns the files that were there."""
    removed, changes = [], Changes()
    for name in names:
        graph = file_iri(name)
        changes.note_leaving(store, graph)
        if store.remove_graph(graph):
            store.remove_graph(links_graph_iri(graph))
            removed.append(name)
    relink(store, store.resolver(), changes)
    return removed


class ReadTask(NamedTuple):
    path: Path
    name: str
    max_file_bytes: int


@dataclass(frozen=True)
class ParsedFile:
    """A file parsed and its graph built, as a parsing process sends it back (small to pickle)."""

    outcome: FileOutcome
    graph: URIRef
    trig: Body  # its TriG body, made here rather than in the process writing the store, which loads it
    documents: tuple[tuple[str, str, str | None, URIRef], ...]  # title, owner, 文号, the IRI it was given
    citations: tuple[CitationRecord, ...]
    agencies: dict[URIRef, str]  # those it names that the 2018 reform renamed: IRI → key

    def agrees_with(self, resolver: DocumentResolver) -> bool:
        """True when the corpus gives the documents the IRIs this file was built with (and from now
        on knows them)."""
        return all([resolver.loaded_iri(title, owner, number) == iri for title, owner, number, iri in self.documents])


def read_files(files: Iterable[tuple[Path, str]], max_file_bytes: int, workers: int
               ) -> Iterator[tuple[ReadTask, ParsedFile | FileOutcome]]:
    """Every file parsed, or why not, in input order; ``workers`` processes parse them, each
    :data:`RETIRE_AFTER_FILES` files at most (a file whose process dies under it, twice, is reported
    failed: :mod:`.parallel`)."""
    tasks = (ReadTask(path, name, max_file_bytes) for path, name in files)
    if workers <= 1:
        yield from ((task, parse_file(task)) for task in tasks)
        return
    for task, result in ordered_map(parse_file, tasks, workers, retire_after=RETIRE_AFTER_FILES):
        yield task, FileOutcome(task.name, "failed", result.reason) if isinstance(result, ProcessLost) else result


def skipped_reason(suffix: str) -> str:
    """Why a file of this suffix is not read, and what to do where a policy may be in it.

    >>> skipped_reason(".wps")
    'a Word 97-2003 or WPS document (.wps): save it as .docx, PDF or text to load it'
    >>> skipped_reason(".zip")
    'a ZIP archive (.zip): unpack it and build the folder'
    """
    kind, advice = UNREAD_DOCUMENTS.get(suffix.lower(), (None, None))
    if kind:
        return f"{kind} ({suffix}): {advice}"
    return f"not a text, HTML, web archive (.mht), Word (.docx) or PDF file ({suffix})"


def parse_file(task: ReadTask, resolver: DocumentResolver | None = None) -> ParsedFile | FileOutcome:
    """Read, parse and build one file; ``resolver`` decides its documents' IRIs (a fresh one: as if
    the file were alone). Whatever goes wrong is the file's outcome: a fault of the file's
    (:class:`LoadError`), or one of policykg's own met on this file, which must not stop the batch."""
    suffix = task.path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES and not (suffix in NAMED_AS_WORD and _served_as_word(task.path)):
        return FileOutcome(task.name, "skipped", skipped_reason(task.path.suffix))
    try:
        return _parsed(task, resolver or DocumentResolver())
    except LoadError as exc:
        return FileOutcome(task.name, "failed", exc.reason)
    except Exception as exc:  # a bug met on one file: reported with it, the other files still load
        return FileOutcome(task.name, "failed", f"policykg failed on this file ({type(exc).__name__}: {exc}); "
                                                "please report it with the file")


def _served_as_word(path: Path) -> bool:
    """Whether a file named as a Word 97-2003 or WPS document holds something else, to be read as
    what it holds: sites serve web pages, web archives and RTF under such names. A file that cannot
    be looked at is read too, and reported as what it is."""
    try:
        if not path.is_file():
            return True
        with path.open("rb") as handle:
            return handle.read(len(OLE_MAGIC)) != OLE_MAGIC
    except OSError:
        return True


def _parsed(task: ReadTask, resolver: DocumentResolver) -> ParsedFile:
    source = read_source_file(task.path, task.name, task.max_file_bytes)
    built = build_file_graph(source, resolver)
    documents = tuple((d.title, owner_of(d), d.doc_number, resolver.loaded_iri(d.title, owner_of(d), d.doc_number))
                      for d in source.documents)
    return ParsedFile(_outcome(source, len(built.triples)), built.name, trig_body(built.nquads()),
                      documents, tuple(citation_records(source, resolver)),
                      renamed_agencies(named_agencies(source)))


def _outcome(source: SourceFile, triples: int) -> FileOutcome:
    measures = [m for d in source.documents for m in d.measures]
    warned = "; ".join(source.warnings)
    return FileOutcome(
        source.path, "loaded-with-warnings" if warned else "loaded", warned,
        documents=len(source.documents),
        measures=len(measures),
        responsibilities=sum(len(m.agencies) for m in measures),
        citations=sum(len(d.citations) for d in source.documents),
        targets=sum(len(d.targets) for d in source.documents),
        triples=triples,
    )
