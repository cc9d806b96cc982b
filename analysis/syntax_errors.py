"""Syntax errors out of a tree-sitter tree, as findings with exact spans.

Tree-sitter reports what it could not parse as ERROR nodes and inserted tokens as MISSING nodes.
Most of those read well as they are ("unexpected `]`"). One case does not: a file that ends
while lists or maps are still open becomes a single ERROR node from the first unclosed opener to
the end of the file, which would be reported as "unexpected `{`" at 1:1 — the user then has to
find the unclosed bracket themselves in what may be thousands of lines. For that case (an ERROR
that runs to the end of the file with openers left unmatched in it) the finding goes to the
innermost unclosed opener, the one nearest to where the text stops, with a note pointing at the
outermost one. Likewise a MISSING closer is reported at the opener it would close. The bracket
matching only descends into subtrees that contain errors: complete lists and maps inside the
ERROR are balanced by construction, so a huge broken file is not walked token by token.
"""
from __future__ import annotations

import re

from .findings import Finding, Related
from .source import Span

SYNTAX = "CUS-SYNTAX-0001"
MAX_SYNTAX_FINDINGS = 50

_CLOSER = {"(": ")", "{": "}", "[": "]"}
_OPENER = {v: k for k, v in _CLOSER.items()}
_WHAT = {"(": "list", "{": "map", "[": "array"}
# what may follow the last syntax error without closing anything: blanks and comments of
# either source form (`;` in x07text, `//` and `/* */` in JSON)
# Each piece of trivia taken whole and never given back (an atomic group, a possessive loop): with
# `(?:\s+|;[^\n]*...)*` a run of spaces or of `;` that is not followed by the end could be split
# among the loop's turns in exponentially many ways (`custody check` hung on such a file).
_ONLY_TRIVIA = re.compile(rb"(?>\s+|;[^\n]*|//[^\n]*|/\*.*?\*/)*+\Z", re.S)


def _snippet(data: bytes, span: Span) -> str:
    text = data[span.start:span.end].decode("utf-8", errors="replace")
    text = text.splitlines()[0] if text else text
    return text if len(text) <= 24 else text[:21] + "..."


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _opener_text(data: bytes, node) -> str:
    """`(begin` for the `(` of (begin ...), `{` for a map: the opener and the head it opens."""
    nxt = node.next_sibling
    if node.type == "(" and nxt is not None and nxt.is_named and not nxt.is_error \
            and nxt.start_byte - node.end_byte <= 1 and nxt.end_byte - nxt.start_byte <= 40:
        return node.type + data[node.start_byte + 1:nxt.end_byte].decode("utf-8", errors="replace")
    return node.type


def _unclosed(node) -> list | None:
    """The opener tokens left unmatched inside `node`, outermost first; None when a closer in it
    matches nothing (a stray closer: then "unexpected" says it better)."""
    stack: list = []
    todo = [node]
    while todo:
        n = todo.pop()
        if n.is_missing:
            continue
        t = n.type
        if t in _CLOSER and n.child_count == 0:
            stack.append(n)
        elif t in _OPENER and n.child_count == 0:
            if not stack or stack[-1].type != _OPENER[t]:
                return None
            stack.pop()
        elif n is node or n.has_error or n.is_error:
            todo.extend(reversed(n.children))
        # else: a complete list/map/string/...: balanced, nothing to match inside
    return stack


def _unclosed_at_end(node, data: bytes) -> Finding | None:
    if not _ONLY_TRIVIA.match(data, node.end_byte):
        return None
    openers = _unclosed(node)
    if not openers:
        return None
    inner, outer = openers[-1], openers[0]
    text = _opener_text(data, inner)
    more = len(openers) - 1
    enclosing = "" if not more else f" (nor is the `{outer.type}` around it)" if more == 1 \
        else f" (nor are the {more} brackets around it)"
    msg = (f"syntax error: `{text}` is never closed: the file ends inside this "
           f"{_WHAT[inner.type]}, which needs a `{_CLOSER[inner.type]}`{enclosing}")
    related = []
    if more:
        related.append(Related(Span(outer.start_byte, outer.end_byte),
                               f"the outermost unclosed `{_opener_text(data, outer)}` opens here "
                               f"(line {_line(data, outer.start_byte)})"))
    return Finding(SYNTAX, "error", Span(inner.start_byte, inner.end_byte), msg, related)


def _missing_closer(node, parent, data: bytes) -> Finding | None:
    """A MISSING `)` / `}` / `]`: reported at the opener it would close."""
    if parent is None or node.type not in _OPENER or parent.child_count == 0:
        return None
    opener = parent.children[0]
    if opener.type != _OPENER[node.type]:
        return None
    text = _opener_text(data, opener)
    msg = (f"syntax error: `{text}` is never closed: a `{node.type}` is missing at line "
           f"{_line(data, node.start_byte)}")
    return Finding(SYNTAX, "error", Span(opener.start_byte, opener.end_byte), msg,
                   [Related(Span(node.start_byte, node.end_byte), f"the `{node.type}` is missing here")])


def syntax_findings(tree, data: bytes) -> list[Finding]:
    """One finding per ERROR or MISSING node (outermost only), in source order."""
    out: list[Finding] = []
    root = tree.root_node
    if not root.has_error:
        return out
    stack = [(root, None)]
    while stack and len(out) < MAX_SYNTAX_FINDINGS:
        node, parent = stack.pop()
        if node.is_missing:
            f = _missing_closer(node, parent, data)
            if f is None:
                f = Finding(SYNTAX, "error", Span(node.start_byte, node.end_byte),
                            f"syntax error: missing `{node.type}`")
            out.append(f)
            continue
        if node.is_error:
            f = _unclosed_at_end(node, data)
            if f is None:
                span = Span(node.start_byte, node.end_byte)
                snippet = _snippet(data, span)
                msg = f"syntax error: unexpected `{snippet}`" if snippet.strip() else "syntax error"
                f = Finding(SYNTAX, "error", span, msg)
            out.append(f)
            continue
        if node.has_error:
            stack.extend((c, node) for c in reversed(node.children))
    out.sort(key=Finding.sort_key)
    return out
