"""Which operations reach each changed schema pair, and by which shortest path.

A schema shared by many operations (a component used in 400 responses) changes once: it is reported once,
with the list of every operation that reaches it. Per group of roots (same direction and kind of root), two
passes over the graph of changed ``PairDiff`` nodes, both iterative:

- ``first_reach``: breadth-first from each root in report order; for every node the first root that reaches
  it and its shortest path from there (what the message shows and where it points);
- ``operations``: a work-list propagation of bit sets of operations along the edges, so every node knows
  all operations that reach it, however many there are and whatever cycles the schemas have.

A node is reached in one of two classes: at the root itself (path empty: a change of the request body as a
whole) or below it (a property): the two give different check ids, so they are tracked apart. An edge
without a name leads to the same place (a schema moved into a ``oneOf``): it keeps the class.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .compare import PairDiff

State = tuple[int, bool]  # (id of the node, reached at the root itself)


@dataclass
class Reach:
    nodes: dict[int, PairDiff] = field(default_factory=dict)
    first: dict[State, tuple[int, tuple]] = field(default_factory=dict)  # state -> (root index, path), in order
    operations: dict[State, int] = field(default_factory=dict)  # state -> bit set of operation indexes


def reach(roots: list[tuple[PairDiff, int]]) -> Reach:
    """``roots``: (node, operation index) in report order; only changed nodes are followed."""
    out = Reach()
    expanded: set[State] = set()
    for index, (root, _) in enumerate(roots):
        state = (id(root), True)
        out.nodes[id(root)] = root
        out.first.setdefault(state, (index, ()))
        if state in expanded:
            continue
        expanded.add(state)
        queue = deque([(root, ())])
        while queue:
            node, path = queue.popleft()
            for segment, child in node.children:
                if not child.changed:
                    continue
                child_path = path if segment is None else path + (segment,)
                child_state = (id(child), not child_path)
                out.nodes[id(child)] = child
                if child_state not in out.first:
                    out.first[child_state] = (index, child_path)
                if child_state not in expanded:
                    expanded.add(child_state)
                    queue.append((child, child_path))
    pending: dict[State, int] = {}
    for root, op_index in roots:
        state = (id(root), True)
        pending[state] = pending.get(state, 0) | (1 << op_index)
    work = deque(pending)
    acc = out.operations
    while work:
        state = work.popleft()
        new = pending.pop(state, 0) & ~acc.get(state, 0)
        if not new:
            continue
        acc[state] = acc.get(state, 0) | new
        for segment, child in out.nodes[state[0]].children:
            if not child.changed:
                continue
            child_state = (id(child), state[1] if segment is None else False)
            if child_state in pending:
                pending[child_state] |= new
            else:
                pending[child_state] = new
                work.append(child_state)
    return out


def indexes(bits: int) -> list[int]:
    """The set bits of ``bits``, lowest first."""
    text = bin(bits)[:1:-1]  # lowest bit first, without the "0b"
    return [i for i, digit in enumerate(text) if digit == "1"]
