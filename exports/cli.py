"""The ``policykg`` command: thin commands over the library; errors become messages and exit codes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from policykg.graph.corpus import find_input_files
from policykg.loaders.errors import PolicyKGError

from .analyze import centrality_table, lineage_table, orphans_table
from .build import build
from .evaluate import evaluate
from .formatting import FORMATS, format_rows
from .query import open_built_store, read_query, run_query
from .views import MAX_NODES, VIEWS, build_view, write_view


@click.group()
@click.version_option(package_name="policykg")
def main() -> None:
    """Knowledge graph of Chinese development-zone policy documents."""


@main.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the store, graph, tables and load report.")
def build_command(paths: tuple[Path, ...], out: Path) -> None:
    """Read files and folders (recursively) into the graph and write every export into OUT."""
    total = sum(1 for _ in find_input_files(paths))
    with click.progressbar(length=total, label="reading", file=sys.stderr, show_pos=True) as bar:
        summary, report = _guarded(lambda: build(paths, out, lambda name: bar.update(1)))
    for failure in report.failures:
        click.echo(f"failed: {failure.path}: {failure.reason}", err=True)
    click.echo(
        f"{summary.documents} documents, {summary.measures} measures, {summary.responsibilities} responsibilities, "
        f"{summary.agencies} agencies, {summary.citations} citations, {summary.triples} triples; "
        f"{summary.files} files, {summary.failures} failed -> {out}"
    )
    if summary.failures:
        sys.exit(1)


@main.command("query")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("query")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def query_command(folder: Path, query: str, output: str) -> None:
    """Run a SPARQL QUERY (text or a .rq file) over a built FOLDER; plain SELECTs see every document."""
    click.echo(_guarded(lambda: run_query(open_built_store(folder), read_query(query), output)))


@main.group("analyze")
def analyze_group() -> None:
    """Responsibility centrality, policy lineage and audit findings of a built folder."""


@analyze_group.command("centrality")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--jurisdiction", help="Only agencies of this jurisdiction, e.g. 武汉市.")
@click.option("--top", type=int, default=None, help="Show only the first N agencies.")
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def centrality_command(folder: Path, jurisdiction: str | None, top: int | None, output: str) -> None:
    """Per agency: measures by role, role-weighted load, degree, betweenness and PageRank."""
    _print_table(lambda: centrality_table(open_built_store(folder), jurisdiction, top), output)


@analyze_group.command("lineage")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("document", required=False)
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def lineage_command(folder: Path, document: str | None, output: str) -> None:
    """Ancestors, descendants and 文号 paths of DOCUMENT (title, 文号 or IRI); without it, every chain."""
    _print_table(lambda: lineage_table(open_built_store(folder), document), output)


@analyze_group.command("orphans")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(FORMATS), default="table", show_default=True)
def orphans_command(folder: Path, output: str) -> None:
    """Measures with no owner, agencies leading the most, measures shared by many without a lead."""
    _print_table(lambda: orphans_table(open_built_store(folder)), output)


def _print_table(make, output: str) -> None:
    columns, rows, notes = _guarded(make)
    click.echo(format_rows(columns, rows, output))
    for note in notes:
        click.echo(f"note: {note}", err=True)


@main.command("viz")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("view", type=click.Choice(VIEWS))
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write.")
@click.option("--max-nodes", type=int, default=MAX_NODES, show_default=True,
              help="Above this, show the top of the ranking and say what was left out.")
def viz_command(folder: Path, view: str, path: Path, max_nodes: int) -> None:
    """Write one interactive VIEW of a built FOLDER as a self-contained HTML file (works offline)."""
    built = _guarded(lambda: build_view(open_built_store(folder), view, max_nodes))
    write_view(built, path)
    click.echo(f"{len(built.network.nodes)} nodes, {len(built.network.edges)} edges -> {path}")
    if built.note:
        click.echo(f"note: {built.note}", err=True)


@main.command("evaluate")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of gold annotation JSON files.")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--verbose", is_flag=True, help="List every miss and every spurious item.")
def evaluate_command(gold: Path, folder: Path, as_json: bool, verbose: bool) -> None:
    """Score the tables in FOLDER against gold annotations."""
    result = evaluate(gold, folder)
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


def _guarded(action):
    try:
        return action()
    except PolicyKGError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
