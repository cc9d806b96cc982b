"""A document's syntax tree whose incremental reparse is postponed until something reads it.

Why: on a keystroke strictly inside one declaration, a front-end's fast path parses only that
declaration's new text (tree-sitter with an included range, cost proportional to the
declaration). tree-sitter's own incremental reparse of the whole document grows with the
document (on a 100k-line X07 module, with its 5,000-element declaration list, it is 4-8 ms of a
keystroke, against ~0.1 ms for the declaration), and nothing on the keystroke path needs the
whole tree: the declarations outside the edit are the ones analysed before.

So the result of such a check carries a `PendingTree`: the previous tree with the edits applied
(`Tree.edit`, cheap) and the text it must be reparsed against. Readers that need the whole tree
(the outline, semantic tokens, a later general check) call `tree`, which runs the reparse once.
The document keeps editing a copy (`copy()` returns a plain tree, as `Tree.copy` does), and a
stale tree with pending edits is a valid old tree for tree-sitter's next incremental parse, so
postponed reparses never need to be run at all when the next check does its own.
"""
from __future__ import annotations

from typing import Callable


class PendingTree:
    """`stale`, edited to match `data`, standing for the tree of `data`."""

    __slots__ = ("stale", "data", "_parser", "_tree")

    def __init__(self, stale, data: bytes, parser: Callable[[], object]):
        self.stale, self.data, self._parser, self._tree = stale, data, parser, None

    @property
    def tree(self):
        """The whole tree of `data` (tree-sitter's incremental reparse, run once)."""
        if self._tree is None:
            self._tree = self._parser().parse(self.data, self.stale)
        return self._tree

    @property
    def parsed(self) -> bool:
        return self._tree is not None

    def copy(self):
        """A plain tree for the document to edit further: the reparsed tree if there is one,
        else the stale one (either is a valid old tree for the next parse)."""
        return (self._tree if self._tree is not None else self.stale).copy()

    @property
    def root_node(self):
        return self.tree.root_node


def parse_alone(parser, data: bytes, start: int, end: int, node_type: str):
    """(tree, node) of data[start:end] parsed on its own (tree-sitter with that one included range:
    node offsets are the document's, cost proportional to the range) when it is one error-free
    `node_type` spanning exactly that range; else None. A front-end's fast path uses it for the
    one unit an edit touched, in place of the whole document's reparse. The tree's row/column
    points are not the document's: callers read byte offsets only."""
    import tree_sitter
    parser.included_ranges = [tree_sitter.Range((0, start), (0, end), start, end)]
    tree = parser.parse(data)
    root = tree.root_node
    if root.has_error or root.named_child_count != 1:
        return None
    node = root.named_children[0]
    if node.type != node_type or node.start_byte != start or node.end_byte != end:
        return None
    return tree, node


def whole(tree):
    """A plain tree from a tree or a PendingTree (reparsing if it has to)."""
    return tree.tree if isinstance(tree, PendingTree) else tree


def as_old_tree(tree):
    """What to give tree-sitter as the old tree: a PendingTree's stale tree is as good as its
    reparsed one, and costs nothing."""
    if isinstance(tree, PendingTree):
        return tree._tree if tree._tree is not None else tree.stale
    return tree
