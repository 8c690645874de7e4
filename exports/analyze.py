"""``policykg analyze``: the analyses of a built folder as rows for a table, CSV or JSON."""
from __future__ import annotations

from dataclasses import fields

from policykg.graph.analysis import (AgencyRow, Lineage, audit_findings, basis_graph, find_documents, level_chain,
                                     lineage, responsibility_centrality)
from policykg.graph.load import co_responsibility_graph, jurisdictions_like
from policykg.graph.store import RowSource, StoreError
from policykg.graph.views import OWNERSHIPS, RESPONSIBILITY_QUERIES, citation_graph, responsibility_graphs

Table = tuple[list[str], list[list[object]], list[str]]  # columns, rows, notes
AUDIT_QUERIES = (*RESPONSIBILITY_QUERIES, OWNERSHIPS)  # what the audit findings read


def centrality_table(store: RowSource, jurisdiction: str | None, top: int | None) -> Table:
    result = responsibility_centrality(co_responsibility_graph(store, jurisdiction))
    columns = [f.name for f in fields(AgencyRow) if f.name != "agency"] + ["agency"]
    rows = [[getattr(row, c) for c in columns] for row in result.rows[:top]]
    left = len(result.rows) - len(rows)
    notes = result.notes + ([f"{left} more agencies not shown (--top)"] if left > 0 else [])
    if jurisdiction is not None and not result.rows:
        notes.append(jurisdictions_like(store, jurisdiction))
    return columns, rows, notes


def lineage_table(store: RowSource, document: str | None) -> Table:
    """The lineage of one document (by title, 文号 or IRI), or the level chain of every loaded one."""
    citations = citation_graph(store)
    columns = ["document", "relation", "level", "number", "title", "iri"]
    if document is None:  # each chain alone: every document's whole lineage passed 300 s at 10,000 documents
        loaded = sorted(n for n, d in citations.nodes(data=True) if d["loaded"])
        basis = basis_graph(citations)
        rows = []
        for node in loaded:
            chain = level_chain(citations, basis, node)
            rows.append([citations.nodes[node]["title"], "chain", chain[-1].level,
                         " → ".join(step.number or step.title for step in chain), "", node])
        return columns, rows, []
    matches = find_documents(citations, document)
    if not matches:
        raise StoreError(f"no document matches {document!r}")
    result = lineage(citations, matches[0])
    notes = result.notes + ([f"{len(matches) - 1} other documents also match {document!r}"] if len(matches) > 1 else [])
    return columns, _lineage_rows(result), notes


def _lineage_rows(result: Lineage) -> list[list[object]]:
    me = result.document.title
    rows: list[list[object]] = [[me, "chain", s.level, s.number, s.title, s.document] for s in result.chain]
    rows += [[me, "ancestor", s.level, s.number, s.title, s.document] for s in result.ancestors]
    rows += [[me, "descendant", s.level, s.number, s.title, s.document] for s in result.descendants]
    rows += [[me, f"path {i}", "", " → ".join(s.number or s.title for s in path), "", ""]
             for i, path in enumerate(result.paths, start=1)]
    return rows


def orphans_table(source: RowSource) -> Table:
    """Audit findings: measures with no owner, the agencies leading most, measures shared without a
    lead. Read file by file where ``source`` keeps answers by file (:data:`AUDIT_QUERIES`), the
    files not yet answered answered first by one process per core
    (:func:`~policykg.graph.views.responsibility_graphs`)."""
    findings = audit_findings(responsibility_graphs(source), co_responsibility_graph(source))
    columns = ["finding", "source_file", "document", "measure_id", "heading", "agency", "count", "char_start", "char_end"]
    rows = [["no owner", r["source_file"], r["document"], r["measure_id"], r["heading"], "", "", r["char_start"], r["char_end"]]
            for r in findings.unowned]
    rows += [["leads most", "", "", "", "", f"{r['agency']} ({r['jurisdiction']})", r["lead_measures"], "", ""]
             for r in findings.top_leads]
    rows += [["shared, no lead", r["source_file"], r["document"], r["measure_id"], r["heading"], "", r["owners"],
              r["char_start"], r["char_end"]] for r in findings.shared_without_lead]
    return columns, rows, []
