from pathlib import Path

import pytest

from policykg.graph.store import STORE_DIR, PolicyStore
from policykg.graph.views import owned_by, responsibility_graph


@pytest.fixture(scope="module")
def store(seeds_built: Path) -> PolicyStore:
    return PolicyStore.open_read_only(seeds_built / STORE_DIR)


def test_the_details_read_for_some_agencies_are_those_of_the_detailed_view(store: PolicyStore) -> None:
    detailed = responsibility_graph(store)
    lean = responsibility_graph(store, details=False)
    agencies = sorted(n for n, kind in lean.nodes(data="kind") if kind == "agency")[::7]
    owned = owned_by(store, lean, agencies)
    expected = detailed.subgraph(set(agencies) | {m for a in agencies for m in detailed.neighbors(a)})
    assert len(agencies) > 10 and owned.number_of_edges() > 50
    assert dict(owned.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(owned.edges(data=True)) == sorted(expected.edges(data=True))
