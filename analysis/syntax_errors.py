"""Syntax errors out of a tree-sitter tree, as findings with exact spans."""
from __future__ import annotations

from .findings import Finding
from .source import Span

SYNTAX = "CUS-SYNTAX-0001"
MAX_SYNTAX_FINDINGS = 50


def _snippet(data: bytes, span: Span) -> str:
    text = data[span.start:span.end].decode("utf-8", errors="replace")
    text = text.splitlines()[0] if text else text
    return text if len(text) <= 24 else text[:21] + "..."


def syntax_findings(tree, data: bytes) -> list[Finding]:
    """One finding per ERROR or MISSING node (outermost only), in source order."""
    out: list[Finding] = []
    root = tree.root_node
    if not root.has_error:
        return out
    stack = [root]
    while stack and len(out) < MAX_SYNTAX_FINDINGS:
        node = stack.pop()
        if node.is_missing:
            span = Span(node.start_byte, node.end_byte)
            kind = node.type
            out.append(Finding(SYNTAX, "error", span, f"syntax error: missing `{kind}`"))
            continue
        if node.is_error:
            span = Span(node.start_byte, node.end_byte)
            snippet = _snippet(data, span)
            msg = f"syntax error: unexpected `{snippet}`" if snippet.strip() else "syntax error"
            out.append(Finding(SYNTAX, "error", span, msg))
            continue
        if node.has_error:
            stack.extend(reversed(node.children))
    out.sort(key=Finding.sort_key)
    return out
