"""Transitional: the names vawmap/dashboard.py and app_pages/stakeholders.py still import from
here, until their import lines point to vawmap.gaps.graph and vawmap.gaps.metrics. Delete this
module once they do; nothing else may import it."""

from vawmap.gaps.graph import actor_graph
from vawmap.gaps.metrics import brokers, isolated_actors

__all__ = ["actor_graph", "brokers", "isolated_actors"]
