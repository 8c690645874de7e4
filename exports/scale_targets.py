"""The scale targets a benchmark run is held to, and whether the run meets them.

A run's results (``results.json``, :mod:`.benchmark`) hold what it measured. Each target reads its
own figures from them and says what they are and whether they meet it, or that the run did not
measure it (a run without a 10,000-document corpus, say), so that every report states its verdicts
(:func:`targets_table`) rather than leaving them to be worked out by hand.

>>> size = {"documents": 10_000, "mb": 190.0, "build": {"wall_s": 215.0, "cpu_s": 388.0}}
>>> throughput({"sizes": [size]})
Verdict(target='10,000 documents built end to end at ≥ 3 MB/s', measured='0.88 MB/s (215.0 s for 190.0 MB; 2.04 CPU s per MB)', met=False)
>>> throughput({"sizes": []}).met is None
True
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Callable, Iterator

Results = dict[str, Any]

AUDITOR_QUERIES = ("measures-of-agency", "agencies-of-measure", "measures-without-owner")
# the auditor samples bound to one measure or one jurisdiction; the others read the whole corpus
AUDITOR_LOOK_UPS = ("agencies-of-measure", "measures-of-agency with jurisdiction",
                    "measures-without-owner with jurisdiction")
LARGE, MIDDLE = 10_000, 1_000  # the corpus sizes the targets name, in documents
MB_PER_S = 3.0
PEAK_MB = 2e9 / 2**20  # 2 GB, in the MB the measurements count (2**20 bytes)
PER_DOCUMENT_GROWTH = 1.3
AUDITOR_MEDIAN_MS = 50.0
FASTER_THAN_RDFLIB = 20.0
ANALYSES_S = 60.0
ONE_DOCUMENT_S = 2.0
VERDICT_WORDS = {True: "met", False: "missed", None: "-"}


@dataclass(frozen=True)
class Verdict:
    """A target, what a run measured of it, and whether that meets it (``None``: not measured)."""

    target: str
    measured: str
    met: bool | None


def is_auditor_sample(label: str) -> bool:
    """Whether a query sample (a library query, or one with optional parameters given: ``measures-of-agency
    with jurisdiction``) runs one of the auditor queries, the targets' own."""
    return label.split(" ")[0] in AUDITOR_QUERIES


def times_faster(theirs: dict[str, float], ours_ms: float) -> tuple[float, bool]:
    """How many times faster than the baseline's median ``ours_ms`` is, and whether that is a lower
    bound: a baseline stopped at its cap (``capped_s``) would have taken longer.

    >>> times_faster({"median_ms": 300.0}, 0.5), times_faster({"capped_s": 300.0}, 100.0)
    ((600.0, False), (3000.0, True))
    """
    if "capped_s" in theirs:
        return theirs["capped_s"] * 1000 / ours_ms, True
    return theirs["median_ms"] / ours_ms, False


def targets_table(results: Results) -> list[str]:
    """The lines of a Markdown table of every target's verdict on ``results``."""
    return ["Against the targets:", "", "| target | measured | |", "|---|---|---|",
            *(f"| {v.target} | {v.measured} | {VERDICT_WORDS[v.met]} |" for v in verdicts(results))]


def verdicts(results: Results) -> list[Verdict]:
    """Every target's verdict on ``results``, in the order the targets are set."""
    return [target(results) for target in TARGETS]


def throughput(results: Results) -> Verdict:
    target = f"{LARGE:,} documents built end to end at ≥ {MB_PER_S:g} MB/s"
    size = _size(results, LARGE)
    if size is None:
        return _not_measured(target, f"no corpus of {LARGE:,} documents")
    build = size["build"]
    rate = size["mb"] / build["wall_s"]
    cpu = f"; {build['cpu_s'] / size['mb']:.2f} CPU s per MB" if "cpu_s" in build else ""
    return Verdict(target, f"{rate:.2f} MB/s ({build['wall_s']:.1f} s for {size['mb']:.1f} MB{cpu})", rate >= MB_PER_S)


def peak_memory(results: Results) -> Verdict:
    """The most memory any measurement of policykg's own work held, whichever the corpus.

    >>> peak_memory({"sizes": [{"documents": 100, "build": {"peak_mb": 300.0, "tree_peak_mb": 420.0}}],
    ...              "refresh": {"100": {"tree_peak_mb": 200.0}}}).measured
    '420 MB (the build of 100 documents), all processes together; corpora up to 100 documents'
    """
    target = f"peak memory ≤ 2 GB ({PEAK_MB:,.0f} MB) whatever the corpus size"
    peaks = list(_peaks(results))
    if not results["sizes"] or not peaks:
        return _not_measured(target, "no corpus")
    most, where = max(peaks)
    largest = max(size["documents"] for size in results["sizes"])
    return Verdict(target, f"{most:,.0f} MB ({where}), all processes together; corpora up to {largest:,} documents",
                   most <= PEAK_MB)


def _peaks(results: Results) -> Iterator[tuple[float, str]]:
    """Each measurement's peak, the larger of its largest process's and all its processes' together;
    not rdflib's baseline, nor the workers' comparison, which sorts every quad of both stores."""
    for size in results["sizes"]:
        for phase, what in (("build", "the build"), ("traces", "the traces"), ("analyses", "the analyses")):
            if phase in size:
                yield _peak(size[phase]), f"{what} of {size['documents']:,} documents"
    for phase, what in (("update", "one document added and removed"), ("refresh", "the command's refreshes")):
        for count, measured in results.get(phase, {}).items():
            yield _peak(measured), f"{what}, {int(count):,} documents"


def _peak(measured: dict[str, Any]) -> float:
    return max(measured.get("peak_mb", 0.0), measured.get("tree_peak_mb", 0.0))


def per_document_growth(results: Results) -> Verdict:
    target = f"time per document at {LARGE:,} within {PER_DOCUMENT_GROWTH:g}x of that at {MIDDLE:,}"
    large, middle = _size(results, LARGE), _size(results, MIDDLE)
    if large is None or middle is None:
        return _not_measured(target, f"no corpora of {MIDDLE:,} and {LARGE:,} documents")
    at_large, at_middle = (size["build"]["wall_s"] * 1000 / size["documents"] for size in (large, middle))
    growth = at_large / at_middle
    return Verdict(target, f"{at_large:.1f} ms against {at_middle:.1f} ms end to end ({growth:.2f}x)",
                   growth <= PER_DOCUMENT_GROWTH)


def auditor_look_ups(results: Results) -> Verdict:
    return _auditor_latency(results, "auditor look-ups (one measure, one jurisdiction)",
                            lambda label: label in AUDITOR_LOOK_UPS)


def auditor_reports(results: Results) -> Verdict:
    return _auditor_latency(results, "auditor reports over every jurisdiction",
                            lambda label: label not in AUDITOR_LOOK_UPS)


def _auditor_latency(results: Results, which: str, chosen: Callable[[str], bool]) -> Verdict:
    """Whether the auditor samples ``chosen`` answer at median within the target on the large corpus,
    each named with its median and rows, those over the target marked."""
    target = f"{which} at median ≤ {AUDITOR_MEDIAN_MS:g} ms on {LARGE:,} documents"
    size = _size(results, LARGE)
    timed = {label: query for label, query in (size or {}).get("queries", {}).items()
             if is_auditor_sample(label) and chosen(label)}
    if not timed:
        return _not_measured(target, f"no such query timed on {LARGE:,} documents")
    over = {label for label, query in timed.items() if query["median_ms"] > AUDITOR_MEDIAN_MS}
    cells = [f"{label} {query['median_ms']:,.1f} ms ({query['rows']:,} rows){', over' if label in over else ''}"
             for label, query in timed.items()]
    return Verdict(target, "; ".join(cells), not over)


def faster_than_rdflib(results: Results) -> Verdict:
    target = f"auditor queries ≥ {FASTER_THAN_RDFLIB:g}x faster than rdflib's in-memory store on {MIDDLE:,} documents"
    size = _size(results, MIDDLE)
    if size is None or "rdflib" not in size:
        return _not_measured(target, f"no baseline on {MIDDLE:,} documents")
    leads = {label: times_faster(theirs, size["queries"][label]["median_ms"])
             for label, theirs in size["rdflib"]["queries"].items()}
    cells = [f"{label} {'over ' if at_least else ''}{times:,.0f}x" for label, (times, at_least) in leads.items()]
    return Verdict(target, "; ".join(cells), all(times >= FASTER_THAN_RDFLIB for times, _ in leads.values()))


def analyses_time(results: Results) -> Verdict:
    target = f"centrality and lineage on {LARGE:,} documents ≤ {ANALYSES_S:g} s"
    size = _size(results, LARGE)
    if size is None or "analyses" not in size:
        return _not_measured(target, f"no analyses of {LARGE:,} documents")
    analyses = size["analyses"]
    return Verdict(target, f"{analyses['centrality_s']:.1f} + {analyses['lineage_s']:.1f} s",
                   analyses["centrality_s"] + analyses["lineage_s"] <= ANALYSES_S)


def one_document(results: Results) -> Verdict:
    """One document added and removed by the command on the large store, exports refreshed (the
    medians, off the page cache too where measured), and added, replaced and removed in the store.

    >>> runs = {"add": {"wall_s": [1.5, 1.7, 2.6]}, "remove": {"wall_s": [1.2]}}
    >>> one_document({"refresh": {"10000": runs}})
    Verdict(target='one document added, replaced or removed on 10,000 documents in ≤ 2 s', measured='by the command, medians: added 1.70 s, removed 1.20 s', met=True)
    """
    target = f"one document added, replaced or removed on {LARGE:,} documents in ≤ {ONE_DOCUMENT_S:g} s"
    refresh = results.get("refresh", {}).get(str(LARGE))
    if refresh is None:
        return _not_measured(target, f"no refreshes on {LARGE:,} documents")
    series = (("add", "added"), ("remove", "removed"), ("cold_add", "added off the page cache"),
              ("cold_remove", "removed off the page cache"))
    by_command = {word: statistics.median(refresh[key]["wall_s"]) for key, word in series if key in refresh}
    update = results.get("update", {}).get(str(LARGE), {})
    in_store = {word: update[f"{key}_s"] for key, word in (("add", "added"), ("replace", "replaced"),
                                                           ("remove", "removed")) if f"{key}_s" in update}
    measured = f"by the command, medians: {_seconds(by_command)}"
    if in_store:
        measured += f"; in the store: {_seconds(in_store)}"
    return Verdict(target, measured, max([*by_command.values(), *in_store.values()]) <= ONE_DOCUMENT_S)


def _seconds(times: dict[str, float]) -> str:
    return ", ".join(f"{word} {seconds:.2f} s" for word, seconds in times.items())


def parallel_loading(results: Results) -> Verdict:
    target = "1 and 2 parsing workers load the same quads"
    workers = results.get("workers")
    if not workers:
        return _not_measured(target, "no load with 1 and 2 workers")
    one, two = workers["1"], workers["2"]
    same = one["digest"] == two["digest"]
    return Verdict(target, f"{'the same' if same else 'different'} quads ({one['quads']:,}); 2 workers "
                           f"{one['load_s'] / two['load_s']:.2f}x as fast on {workers['documents']:,} documents", same)


TARGETS: tuple[Callable[[Results], Verdict], ...] = (
    throughput, peak_memory, per_document_growth, auditor_look_ups, auditor_reports, faster_than_rdflib,
    analyses_time, one_document, parallel_loading)


def _size(results: Results, documents: int) -> dict[str, Any] | None:
    return next((size for size in results["sizes"] if size["documents"] == documents), None)


def _not_measured(target: str, why: str) -> Verdict:
    return Verdict(target, f"not measured: {why} in this run", None)
