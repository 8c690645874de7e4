"""The ``policykg`` command: thin commands over the library; errors become messages and exit codes.

Each command imports what it needs when it runs: ``policykg build`` and ``remove`` do not load the
analyses, traces, endpoint or evaluation (0.04 s of every refresh), and the parsing processes a
build spawns, which import this module again as every spawned process imports its parent's main
module, do not load the exports at all (20 MB less in each).
"""
from __future__ import annotations

import gc
import json
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click

from policykg.loaders.errors import PolicyKGError
from policykg.loaders.pipeline import MAX_FILE_BYTES

from .catalog import MAX_NODES, NETWORKS, VIEWS
from .formatting import FORMATS, format_rows


PARALLEL_FROM_FILES = 50  # below this, starting the parsing processes costs more than it saves


@click.group()
@click.version_option(package_name="policykg")
def main() -> None:
    """Knowledge graph of Chinese development-zone policy documents."""
    _leave_imports_to_the_collector_alone()


def _leave_imports_to_the_collector_alone() -> None:
    """What is alive once a command starts (its imports: some 60,000 objects, from NetworkX, rdflib,
    pyvis and more) lives as long as the process, so Python's cyclic collector is told to leave it
    alone (``gc.freeze``): it no longer walks it in every full collection, nor once more at exit,
    and a process forked from this one (the early views process of a build) does not copy the
    pages a walk would write to."""
    gc.freeze()


@main.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the store, graph, tables and load report.")
@click.option("--max-file-mb", default=MAX_FILE_BYTES // 1_000_000, show_default=True, type=click.IntRange(min=1),
              help="Files larger than this are reported, not read.")
@click.option("--workers", type=click.IntRange(min=0), default=0,
              help="Processes parsing the files; 0 (the default): one per core from 50 files on, else one.")
def build_command(paths: tuple[Path, ...], out: Path, max_file_mb: int, workers: int) -> None:
    """Read files and folders (recursively: text, HTML, web archives .mht, Word .docx and PDF files)
    into the graph and write every export into OUT.

    On an existing OUT the store is added to (a file read again replaces its named graph)."""
    from policykg.graph.corpus import InputFolders, find_input_files

    from .build import build

    total = sum(1 for _ in find_input_files(paths, InputFolders(out)))
    workers = workers or ((os.cpu_count() or 1) if total >= PARALLEL_FROM_FILES else 1)
    with _writing(out), click.progressbar(length=total, label="reading", file=sys.stderr, show_pos=True) as bar:
        summary, report = _guarded(
            lambda: build(paths, out, lambda name: bar.update(1), max_file_mb * 1_000_000, workers, _waiting_for(out)))
    for outcome in report.warnings + report.failures:
        click.echo(f"{outcome.status}: {outcome.path}: {outcome.reason}", err=True)
    click.echo(
        f"{summary.documents} documents, {summary.measures} measures, {summary.responsibilities} responsibilities, "
        f"{summary.agencies} agencies, {summary.citations} citations, {summary.targets} targets, "
        f"{summary.triples} triples; "
        f"{summary.files} files, {summary.failures} failed -> {out}"
    )
    if summary.failures:
        sys.exit(1)


@main.command("remove")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True)
def remove_command(folder: Path, files: tuple[str, ...]) -> None:
    """Remove source FILES (as named in the load report, or paths to them) from a built FOLDER and
    refresh its exports."""
    from policykg.graph.corpus import readable_path

    from .build import remove

    with _writing(folder):
        removed = _guarded(lambda: remove(folder, files, _waiting_for(folder)))
    for name in files:
        click.echo(f"{'removed' if name in removed else 'not in the store'}: {readable_path(name)}",
                   err=name not in removed)
    if len(removed) < len(files):
        sys.exit(1)


@main.command("query")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("query", required=False)
@click.option("--named", help="Run a query of the library by name (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of a --named query.")
@click.option("--list", "list_only", is_flag=True, help="List the library's queries and their parameters.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def query_command(folder: Path, query: str | None, named: str | None, params: tuple[str, ...], list_only: bool,
                  output: str) -> None:
    """Run SPARQL over a built FOLDER: QUERY (text or a .rq file), or --named NAME [--param k=v].

    Plain SELECTs see every document (the default graph is the union of the named graphs)."""
    from policykg.graph.library import list_queries, load_query

    from .query import open_built_store, read_query, run_query

    if list_only:
        rows = [[q.name, q.parameter_list, q.description] for q in list_queries()]
        click.echo(format_rows(["name", "params", "description"], rows, output))
        return
    if bool(query) == bool(named):
        raise click.UsageError("give either QUERY or --named NAME")
    if named:
        library_query = _guarded(lambda: load_query(named))
        bindings = _guarded(lambda: library_query.bindings(_key_values(params)))
        click.echo(_guarded(lambda: run_query(open_built_store(folder), library_query.text, output, bindings)))
    elif query:
        click.echo(_guarded(lambda: run_query(open_built_store(folder), read_query(query), output)))


def _key_values(params: tuple[str, ...]) -> dict[str, str]:
    pairs = {}
    for param in params:
        key, sep, value = param.partition("=")
        if not sep:
            raise click.BadParameter(f"{param!r} is not KEY=VALUE", param_hint="--param")
        pairs[key.strip()] = value
    return pairs


@main.group("analyze")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def analyze_group(context: click.Context, folder: Path) -> None:
    """Responsibility centrality, policy lineage and audit findings of a built FOLDER."""
    context.obj = folder


@analyze_group.command("centrality")
@click.option("--jurisdiction", help="Only agencies of this jurisdiction, e.g. 武汉市.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the first N agencies.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def centrality_command(folder: Path, jurisdiction: str | None, top: int | None, output: str) -> None:
    """Per agency: measures by role, role-weighted load, degree, betweenness and PageRank."""
    from .analyze import centrality_table
    from .query import open_built_answers

    _print_table(lambda: centrality_table(open_built_answers(folder), jurisdiction, top), output)


@analyze_group.command("lineage")
@click.argument("document", required=False)
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def lineage_command(folder: Path, document: str | None, output: str) -> None:
    """Ancestors, descendants and 文号 paths of DOCUMENT (title, 文号 or IRI); without it, every chain."""
    from .analyze import lineage_table
    from .query import open_built_answers

    _print_table(lambda: lineage_table(open_built_answers(folder), document), output)


@analyze_group.command("orphans")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def orphans_command(folder: Path, output: str) -> None:
    """Measures with no owner, agencies leading the most, measures shared by many without a lead."""
    from .analyze import AUDIT_QUERIES, orphans_table
    from .query import open_built_answers

    _print_table(lambda: orphans_table(open_built_answers(folder, AUDIT_QUERIES, grouped=())), output)


def _print_table(make, output: str) -> None:
    columns, rows, notes = _guarded(make)
    click.echo(format_rows(columns, rows, output))
    for note in notes:
        click.echo(f"note: {note}", err=True)


@main.group("trace")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_context
def trace_group(context: click.Context, folder: Path) -> None:
    """Who owns what in a built FOLDER, and where the text says so."""
    context.obj = folder


@trace_group.command("agency")
@click.argument("name")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def trace_agency_command(folder: Path, name: str, output: str) -> None:
    """Every measure agency NAME (any written form) owns, by role, with the clause, file and offsets."""
    from .query import open_built_store
    from .trace import trace_agency

    _print_table(lambda: (*trace_agency(open_built_store(folder), name), []), output)


@trace_group.command("targets")
@click.argument("name")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def trace_targets_command(folder: Path, name: str, output: str) -> None:
    """Every target agency NAME (any written form) answers for: set by a measure it owns, by role."""
    from .query import open_built_store
    from .trace import trace_targets

    _print_table(lambda: (*trace_targets(open_built_store(folder), name), []), output)


@trace_group.command("measure")
@click.argument("document")
@click.argument("measure_id")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def trace_measure_command(folder: Path, document: str, measure_id: str, output: str) -> None:
    """The owners of MEASURE_ID (e.g. 二.(三)) in DOCUMENT (title or 文号), with the text."""
    from .query import open_built_store
    from .trace import trace_measure

    _print_table(lambda: (*trace_measure(open_built_store(folder), document, measure_id), []), output)


@trace_group.command("zone")
@click.argument("name")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
@click.pass_obj
def trace_zone_command(folder: Path, name: str, output: str) -> None:
    """The documents naming zone NAME (or an alias), with its aliases and industries."""
    from .query import open_built_store
    from .trace import trace_zone

    _print_table(lambda: (*trace_zone(open_built_store(folder), name), []), output)


@main.command("viz")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("view", type=click.Choice(VIEWS))
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=MAX_NODES, show_default=True,
              help="Above this, show the top of the ranking and say what was left out.")
def viz_command(folder: Path, view: str, path: Path, max_nodes: int) -> None:
    """Write one interactive VIEW of a built FOLDER as a self-contained HTML file (works offline)."""
    from .query import open_built_answers
    from .views import build_view, write_view

    built = _guarded(lambda: build_view(open_built_answers(folder), view, max_nodes))
    with _writing(path):
        write_view(built, path)
    click.echo(f"{len(built.network.nodes)} nodes, {len(built.network.edges)} edges -> {path}")
    if built.note:
        click.echo(f"note: {built.note}", err=True)


@main.command("network")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name", type=click.Choice(NETWORKS))
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .graphml or .gexf.")
@click.option("--jurisdiction", help="co-responsibility: only agencies of this jurisdiction, e.g. 武汉市.")
def network_command(folder: Path, name: str, path: Path, jurisdiction: str | None) -> None:
    """Write one network of a built FOLDER, whole, as GraphML or GEXF (Gephi, Cytoscape, NetworkX)."""
    from .networks import NETWORK_QUERIES, network, write_network, writer_for
    from .query import open_built_answers

    _guarded(lambda: writer_for(path))
    graph = _guarded(lambda: network(open_built_answers(folder, NETWORK_QUERIES), name, jurisdiction))
    with _writing(path):
        write_network(graph, path)
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges -> {path}")


@main.command("export")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .ttl, .nt, .rdf, .nq, .trig or .jsonld.")
@click.option("--source", "sources", multiple=True, metavar="FILE",
              help="Only this source file's graph, as the load report names it (repeatable).")
def export_command(folder: Path, path: Path, sources: tuple[str, ...]) -> None:
    """Write the graph of a built FOLDER in another RDF format: named graphs kept in N-Quads, TriG and
    JSON-LD, merged in Turtle, N-Triples and RDF/XML."""
    from .query import open_built_store
    from .rdf_files import rdf_format, write_rdf

    format = _guarded(lambda: rdf_format(path))
    with _writing(path):
        graphs = _guarded(lambda: write_rdf(open_built_store(folder), path, sources))
    click.echo(f"{len(graphs)} named graphs as {format.name} -> {path}")


@main.command("serve")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", "timeout_s", default=30, show_default=True, type=click.IntRange(min=1),
              help="Query time limit, seconds.")
@click.option("--max-result-bytes", default=50_000_000, show_default=True, type=click.IntRange(min=1),
              help="Result size limit.")
def serve_command(folder: Path, host: str, port: int, timeout_s: int, max_result_bytes: int) -> None:
    """Serve a built FOLDER read-only as a SPARQL 1.1 Protocol endpoint at /sparql."""
    from .serve import Endpoint, EndpointSettings, is_loopback

    settings = EndpointSettings(host, port, timeout_s, max_result_bytes)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, reachable from other machines", err=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop Oxigraph too when terminated
    with _guarded(lambda: Endpoint(folder, settings)) as endpoint:
        click.echo(f"SPARQL endpoint at {endpoint.url} (read-only; timeout {timeout_s} s; "
                   f"results up to {max_result_bytes} bytes); Ctrl-C stops it", err=True)
        try:
            endpoint.serve_forever()
        except KeyboardInterrupt:
            pass


@main.command("push")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("endpoint")
@click.option("--user", help="USER:PASSWORD for HTTP basic authentication.")
@click.option("--all", "everything", is_flag=True,
              help="Push every graph, not only those changed since the last push there (its store was emptied).")
def push_command(folder: Path, endpoint: str, user: str | None, everything: bool) -> None:
    """Write each document's named graph to a Graph Store Protocol ENDPOINT, replacing it (idempotent);
    after the first push, only the graphs changed since, and the graphs of files removed deleted."""
    from .push import push_folder
    from .query import open_built_store

    with _writing(folder):
        done = _guarded(lambda: push_folder(folder, open_built_store(folder), endpoint, user, everything))
    click.echo(f"{len(done.written)} graphs written ({sum(p.triples for p in done.written)} triples), "
               f"{done.unchanged} unchanged, {len(done.deleted)} deleted -> {endpoint}")


@main.command("evaluate")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of gold annotation JSON files.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--verbose", is_flag=True, help="List every miss and every spurious item.")
def evaluate_command(gold: Path, folder: Path, as_json: bool, verbose: bool) -> None:
    """Score the tables in FOLDER against gold annotations."""
    from .evaluate import evaluate

    result = _guarded(lambda: evaluate(gold, folder))
    if as_json:
        click.echo(json.dumps(result.figures(), indent=2))
        return
    click.echo(f"documents found {result.documents_found:.3f}; "
               + ", ".join(f"{name} {value:.3f}" for name, value in result.fields.items()))
    for score in result.scores.values():
        click.echo(f"{score.name:16s} P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} "
                   f"(gold {score.gold}, found {score.found})")
        if verbose:
            for item in score.missed:
                click.echo(f"   missed   {item}")
            for item in score.spurious:
                click.echo(f"   spurious {item}")
    click.echo(f"roles right on {result.roles_accuracy:.3f} of the pairs found")


def _waiting_for(folder: Path) -> Callable[[], None]:
    """What a build or removal says when another is writing ``folder``, before it waits for it."""
    return lambda: click.echo(f"waiting: another build or remove is writing {folder}", err=True)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A file (or folder) written in the block: the system's error writing it (no such folder, no
    room, no right to) is a message naming it, and exit code 2."""
    try:
        yield
    except OSError as exc:
        click.echo(f"error: {path}: cannot be written ({exc.strerror or exc})", err=True)
        sys.exit(2)


def _guarded(action):
    try:
        return action()
    except PolicyKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
