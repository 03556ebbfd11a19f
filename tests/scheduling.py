"""How `make test` hands tests to its pytest-xdist workers (`--dist loadgroup`, tests/conftest.py).

xdist's own loadgroup reads groups from a `nodeid@group` suffix that pytest 9 no longer lets it
add, so every test went to whichever worker was free and a module fixture such as the rendered
charts or the pages opened in Chromium was made on both workers, and again each time a worker
came back to the module. Here the workers write down each test's group and weight as they
collect (conftest.py), and this scheduler hands out whole groups, heaviest first, then single
tests, slow ones first: the longest work starts early and the quick tests fill the gaps at the end.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling


class WeightedGroupScheduling(LoadScopeScheduling):
    """LoadScopeScheduling whose work units are the groups the workers wrote down (a test with no
    group is a unit of its own), handed out by weight, heaviest first."""

    def __init__(self, config: pytest.Config, log, plan: Path) -> None:
        super().__init__(config, log)
        self.plan_file = plan
        self._plan: dict[str, list] | None = None

    def plan(self) -> dict[str, list]:
        """Each test's [group or None, weight], as the workers wrote it once they had collected."""
        if self._plan is None:
            self._plan = json.loads(self.plan_file.read_text(encoding="utf-8")) if self.plan_file.exists() else {}
        return self._plan

    def _split_scope(self, nodeid: str) -> str:
        group = self.plan().get(nodeid, [None, 1])[0]
        return f"group:{group}" if group else nodeid

    def schedule(self) -> None:
        """LoadScopeScheduling.schedule, with the work queue ordered by weight, not by test count."""
        assert self.collection_is_completed
        if self.collection is not None:  # the first distribution happened: top the nodes up
            for node in self.nodes:
                self._reschedule(node)
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = list(next(iter(self.registered_collections.values())))
        if not self.collection:
            return
        units: dict[str, dict[str, bool]] = {}
        weights: Counter[str] = Counter()
        for nodeid in self.collection:
            scope = self._split_scope(nodeid)
            units.setdefault(scope, {})[nodeid] = False
            weights[scope] += self.plan().get(nodeid, [None, 1])[1]
        for scope in sorted(units, key=lambda scope: -weights[scope]):  # stable: random order among equals
            self.workqueue[scope] = units[scope]
        for _ in range(len(self.nodes) - len(self.workqueue)):  # more workers than work
            unused, _assigned = self.assigned_work.popitem()
            unused.shutdown()
        for node in self.nodes:
            self._assign_work_unit(node)
        for node in self.nodes:
            self._reschedule(node)
        if not self.workqueue:
            for node in self.nodes:
                node.shutdown()
