"""MMM-T2, strict form (`strict_null_after_transfer = true` in custody.toml; off by default): after
a transfer or destroy of an `own_` local or parameter, the next statement must be `own_x = NULL;`.

Why a separate lint over the lowered function: the default MMM-T2 is the scoped form the
explicit-release checker reports where a stale pointer is tested (analysis/ownership/release.py).
The strict form is the letter of AgeRun's MMM.md, a matter of layout rather than of paths: the
transfer and destroy points are the lowering's Move and Destroy events (the same facts the flow
uses: summaries, X2, X13 ...), and what follows each one is read from the tree. The reference
(AgeRun reference, MMM-T2) lists where the letter does not apply, and custody keeps them silent:

- the statement after the transfer is a `return`, or there is none before the function's closing
  brace (a parameter or local at the function's end), or none before the end of the block that
  declares the variable (it is gone there, nothing can read it);
- the transfer is itself in a `return` statement;
- the transfer is tested by an `if` whose branch (then or else) starts with `own_x = NULL;`
  (AgeRun's consume-on-success idiom: null it where the call succeeded);
- the transfer is the last statement of a loop body whose condition (or update) assigns the
  variable again (`while ((own_x = take(...)) != NULL) { ...; destroy(own_x); }`);
- struct fields (only locals and parameters are tracked).

Any assignment to the variable as the next statement counts (a new value replaces the stale
pointer, X12), and several transfers in one statement may be followed by their `= NULL;` lines in
any order. The range is the transferred identifier in the transferring call or store; the fix
inserts `own_x = NULL;` after the statement, with its indentation (not offered when the statement
is the unbraced body of an `if` or a loop: the line after it would run on both paths).
"""
from __future__ import annotations

from ..findings import Finding
from ..ownership.ir import Destroy, FunctionIR, Move
from ..source import Span
from .fixes import clear_after_fix
from .lower import is_null, unwrap

_BLOCKS = frozenset({"compound_statement", "case_statement", "preproc_if", "preproc_ifdef",
                     "preproc_else", "preproc_elif", "preproc_elifdef"})
_PREPROC = frozenset({"preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef"})
_ALTERNATIVES = frozenset({"preproc_else", "preproc_elif", "preproc_elifdef"})
_LOOPS = frozenset({"while_statement", "for_statement", "do_statement"})
_SKIP = frozenset({"comment", "preproc_def", "preproc_undef", "preproc_call", "preproc_include"})


def strict_null_findings(fn_ir: FunctionIR, tree, data: bytes) -> list[Finding]:
    if tree is None:
        return []
    root = tree.root_node
    out: list[Finding] = []
    seen: set = set()
    for b in fn_ir.blocks:
        for ev in b.events:
            if isinstance(ev, Move):
                if ev.into == "by return":
                    continue
                what = f"transferred {ev.into}"
            elif isinstance(ev, Destroy):
                what = f"destroyed by `{ev.callee}`"
            else:
                continue
            if not (0 <= ev.local < len(fn_ir.locals)):
                continue
            loc = fn_ir.locals[ev.local]
            if not loc.must_consume or (ev.local, ev.span) in seen:
                continue
            seen.add((ev.local, ev.span))
            scope = fn_ir.scopes[loc.scope] if 0 <= loc.scope < len(fn_ir.scopes) else None
            f = _check(root, data, ev.span, loc.name, what, scope.span if scope is not None else None)
            if f is not None:
                out.append(f)
    return out


def _check(root, data: bytes, span: Span, name: str, what: str, scope_span: Span | None) -> Finding | None:
    node = root.descendant_for_byte_range(span.start, span.end)
    found = _statement(node)
    if found is None:
        return None
    st, braced = found
    if st.type == "if_statement" and _nulled_in_a_branch(st, data, name, span):
        return None
    nxt, container = _next(st)
    while nxt is not None and _nulls_other(nxt, data, name):
        nxt, container = _next(nxt)
    if nxt is not None:
        if nxt.type == "return_statement" or _assigns(nxt, data, name):
            return None
    elif container is not None:
        if container.type == "compound_statement" and container.parent is not None and \
                container.parent.type == "function_definition":
            return None
        if scope_span is not None and container.type == "compound_statement" and \
                (container.start_byte, container.end_byte) == (scope_span.start, scope_span.end):
            return None
        loop = container if container.type in _LOOPS else container.parent
        if loop is not None and loop.type in _LOOPS:
            heads = [loop.child_by_field_name("condition")] + list(loop.children_by_field_name("update"))
            if any(h is not None and _assigns_within(h, data, name) for h in heads):
                return None
    fixes = [clear_after_fix(st, name, data, safe=True)] if braced else []
    return Finding("MMM-T2", "warning", span,
                   f"`{name}` is {what} and the next statement does not set it to NULL (strict MMM-T2, "
                   f"strict_null_after_transfer): add `{name} = NULL;` right after this statement",
                   [], fixes)


def _statement(node):
    """(the statement holding `node` as a direct child of a block, braced?) or None when there is
    nothing after it to check (a `return`, or not in a function body)."""
    n = node
    while n is not None and n.parent is not None:
        p = n.parent
        if n.type == "return_statement":
            return None
        if p.type == "labeled_statement":
            n = p
            continue
        if p.type in _BLOCKS:
            return n, True
        if (p.type == "if_statement" and n == p.child_by_field_name("consequence")) or \
                (p.type in _LOOPS and n == p.child_by_field_name("body")) or \
                (p.type == "else_clause" and n.is_named and n.type != "comment"):
            return n, False
        if p.type in ("function_definition", "translation_unit"):
            return None
        n = p
    return None


def _nulled_in_a_branch(st, data: bytes, name: str, span: Span) -> bool:
    """A sink tested by an `if` (`if (f(own_x)) { own_x = NULL; ... }`, or its `else`): the
    branch where the call succeeded starts by nulling the variable (AgeRun's consume-on-success
    idiom)."""
    cond = st.child_by_field_name("condition")
    if cond is None or not (cond.start_byte <= span.start and span.end <= cond.end_byte):
        return False
    alt = st.child_by_field_name("alternative")
    for branch in (st.child_by_field_name("consequence"), alt.named_children[0] if alt is not None
                   and alt.named_children else None):
        first = branch
        if branch is not None and branch.type == "compound_statement":
            first = next((c for c in branch.named_children if c.type not in _SKIP), None)
        if first is not None and _assigns(first, data, name):
            return True
    return False


def _next(st):
    """(the statement after `st`, None) or (None, the block or statement whose end it reached)."""
    n = st
    while True:
        p = n.parent
        if p is None:
            return None, None
        if p.type in _BLOCKS:
            sib = n.next_named_sibling
            while sib is not None and sib.type in _SKIP:
                sib = sib.next_named_sibling
            if sib is not None and sib.type not in _ALTERNATIVES and sib.type != "}":
                return sib, None
            if p.type in _PREPROC:
                # the end of one branch: what follows the whole #if ... #endif
                top = p
                while top.parent is not None and top.type in _ALTERNATIVES and top.parent.type in _PREPROC:
                    top = top.parent
                n = top
                continue
            return None, p
        if p.type == "labeled_statement":
            n = p
            continue
        if p.type in ("if_statement", "else_clause"):
            # an unbraced branch: what follows the whole if statement
            top = p if p.type == "if_statement" else p.parent
            while top is not None and top.parent is not None and top.parent.type == "else_clause":
                top = top.parent.parent
            if top is None:
                return None, p
            n = top
            continue
        return None, p


def _assignment(st, data: bytes):
    if st.type != "expression_statement":
        return None
    e = next((c for c in st.named_children if c.type != "comment"), None)
    e = unwrap(e) if e is not None else None
    if e is None or e.type != "assignment_expression":
        return None
    op = e.child_by_field_name("operator")
    if op is not None and data[op.start_byte:op.end_byte] != b"=":
        return None
    left = unwrap(e.child_by_field_name("left"))
    if left is None or left.type != "identifier":
        return None
    return data[left.start_byte:left.end_byte].decode("utf-8", "replace"), e.child_by_field_name("right")


def _assigns(st, data: bytes, name: str) -> bool:
    a = _assignment(st, data)
    return a is not None and a[0] == name


def _nulls_other(st, data: bytes, name: str) -> bool:
    """`own_y = NULL;` for another variable (a transfer of several values, nulled one by one)."""
    a = _assignment(st, data)
    return a is not None and a[0] != name and a[0].startswith("own_") and a[1] is not None and is_null(a[1], data)


def _assigns_within(node, data: bytes, name: str) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "assignment_expression":
            left = unwrap(n.child_by_field_name("left"))
            if left is not None and left.type == "identifier" and data[left.start_byte:left.end_byte].decode(
                    "utf-8", "replace") == name:
                return True
        stack.extend(n.named_children)
    return False

