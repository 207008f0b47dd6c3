"""Records' spans as a tree over the article text, for highlighting (pure).

Spans nest when one lies inside another (a ranking holding a number and an organisation, two
records of one span). A span that crosses another (starts inside it and ends after it), or whose
offsets do not give its `text`, cannot be an element of the tree: it is set apart with the reason.

    >>> layout = nest_spans("海盐区排名第12位", [(0, 9, "ranking", "海盐区排名第12位"), (0, 3, "location", "海盐区")])
    >>> layout.tree
    [[0, [1, '海盐区'], '排名第12位']]
    >>> layout.apart
    {}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Of two records with the same span, the one earlier here is the outer element.
OUTER_FIRST = ("ranking", "organization", "location", "person", "number", "date")

CROSSES = "crosses another record's span"
MISPLACED = "its offsets do not give its text"

Node = list  # [record index, child, ...]; a child is a str (text) or a Node


@dataclass
class Layout:
    """`tree`: the article text as strings and nodes, in order; joined, the strings give the text.
    `apart`: record index -> why it is not in the tree."""

    tree: list = field(default_factory=list)
    apart: dict[int, str] = field(default_factory=dict)


def nest_spans(text: str, spans: Sequence[tuple[int, int, str, str]]) -> Layout:
    """Nest `spans` ((start, end, kind, span text), by record index) over `text`.

    Wider spans are outer; a span that crosses an open one is set apart (never split, so every
    node's text is exactly its record's text).
    """
    layout = Layout()
    rank = {kind: i for i, kind in enumerate(OUTER_FIRST)}
    order = sorted(
        range(len(spans)),
        key=lambda i: (spans[i][0], -spans[i][1], rank.get(spans[i][2], len(rank)), i),
    )
    # Open frames: [end, children, cursor]; the root frame covers the whole text.
    stack: list[list] = [[len(text), layout.tree, 0]]

    def close() -> None:
        end, children, cursor = stack.pop()
        if cursor < end:
            children.append(text[cursor:end])
        stack[-1][2] = end

    for i in order:
        start, end, _kind, span_text = spans[i]
        if not (0 <= start < end <= len(text)) or text[start:end] != span_text:
            layout.apart[i] = MISPLACED
            continue
        while len(stack) > 1 and stack[-1][0] <= start:
            close()
        top = stack[-1]
        if end > top[0]:
            layout.apart[i] = CROSSES
            continue
        if top[2] < start:
            top[1].append(text[top[2] : start])
        node: Node = [i]
        top[1].append(node)
        top[2] = start
        stack.append([end, node, start])
    while len(stack) > 1:
        close()
    end, children, cursor = stack[0]
    if cursor < end:
        children.append(text[cursor:end])
    return layout


def node_text(node: Node | list | str) -> str:
    """The text a node (or a tree) covers.

    >>> node_text([3, "第", [4, "12"], "位"])
    '第12位'
    """
    if isinstance(node, str):
        return node
    children = node[1:] if node and isinstance(node[0], int) else node
    return "".join(node_text(child) for child in children)
