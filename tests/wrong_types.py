"""Every node of a spec replaced, one at a time, by values of the wrong type (tests/test_sdk_wrong_types.py,
tests/test_diff_wrong_types.py): a wrong type is validate's finding, and no other command may crash on it."""
from __future__ import annotations

import copy
from typing import Any, Iterator

SCALARS = (True, 7, "x")
CONTAINERS = ([1], {"a": 1})  # (unhashable: a value put in a set or used as a key crashes on these)


def slots(node: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every key and index of ``node``, outermost first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield path + (key,)
        yield from slots(value, path + (key,))


def mutations(base: Any, wrong: tuple) -> Iterator[tuple[str, Any]]:
    """(where, a copy of ``base`` with one node replaced by one of ``wrong``) for every node and value."""
    for path in list(slots(base)):
        for value in wrong:
            data = copy.deepcopy(base)
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
            yield f"{'/'.join(map(str, path))} = {value!r}", data
