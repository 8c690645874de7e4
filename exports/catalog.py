"""What the exports offer by name: the interactive views, the networks, and how many nodes a view
shows at most. Light to import: the command line builds its options from it, and every process a
build spawns imports the command line again (a spawned process imports its parent's main module),
so the command line imports what a command needs only when it runs.
"""
from __future__ import annotations

VIEWS = ("responsibility", "lineage", "zones")  # exports.views
MAX_NODES = 5000  # above this, a view keeps the top of its ranking and says what it left out
NETWORKS = ("responsibility", "co-responsibility", "lineage", "zones")  # exports.networks
