"""K12: the HIR-flow part of Kea's `@fip` verifier (compiler.rs `validate_fip_annotations`).

For a function annotated `@fip`, with its parameters written `Unique ..` (syntactically, as Kea
reads them here) as roots:

- unique_flow_violations: each root must be referenced exactly once on a path (the branches of
  an `if`/`case` count their maximum; a `let` that aliases a root does not count, its alias
  stands for the root) and must not be an argument of a call other than at the hand-off slot of
  a verified forwarder;
- unsupported_call_boundaries: every call (other than of a lambda written in place) must be of a
  verified forwarder, resolved by name (a local binding of the same name shadows it); a call in
  a handler's operation or `then` clause is never one (Kea lowers the clauses to closures).

A verified forwarder is a function (here or in an imported module) that hands one parameter
straight back (referenced once, returned, no call and no allocation in its body), or a
higher-order wrapper whose body only forwards its unique parameter through its function
parameter (`f(x)`, alias lets, `if` branches forwarding or passing through).

- raw_hir_expr_count: expression guards (`e when c`), which Kea's HIR keeps raw; nothing inside
  one counts as a reference.

Not checked (they need Kea's MIR): disallowed allocations, retain/release, reuse-token flow,
TRMC candidates, the raw HIR forms that depend on types (constructors without known variants);
a forwarder that allocates behind a call custody cannot see.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Related
from . import codes as C
from .lower import pattern_names
from .module import Function, text

_ALLOCATING = frozenset({"lambda_expression", "record_expression", "tuple_expression", "list_expression",
                         "with_expression", "update_expression"})


@dataclass
class Flow:
    refs: dict = field(default_factory=dict)
    escapes: dict = field(default_factory=dict)
    root: str | None = None


def _add(dst: dict, src: dict):
    for k, v in src.items():
        dst[k] = dst.get(k, 0) + v


def _max(a: dict, b: dict) -> dict:
    return {k: max(a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)}


def _unparen(n):
    while n.type == "parenthesized_expression" and len(_kids(n)) == 1:
        n = _kids(n)[0]
    return n


def _kids(n):
    return [c for c in n.named_children if c.type != "comment"]


class Verifier:
    def __init__(self, info, safe: dict, safe_ho: dict):
        self.info = info
        self.env = info.env()
        self.safe = safe          # (module, name) -> hand-off argument index
        self.safe_ho = safe_ho    # (module, name) -> (unique index, forwarder index)

    # -- which callee a call names -----------------------------------------------------------
    def _key(self, fnode, local: set):
        if fnode is None:
            return None
        if fnode.type == "identifier" and text(fnode) in local:
            return None
        callee = self.env.resolve(fnode, lambda n: n in local)
        return callee.key if callee is not None else None

    def handoff_index(self, fnode, args, local: set):
        if not args:
            return None
        key = self._key(fnode, local)
        if key is None:
            return None
        i = self.safe.get(key)
        if i is not None and i < len(args):
            return i
        spec = self.safe_ho.get(key)
        if spec is None:
            return None
        ui, fi = spec
        if ui >= len(args) or fi >= len(args):
            return None
        fk = self._key(args[fi], local) if args[fi].type in ("identifier", "field_expression") else None
        return ui if fk is not None and self.safe.get(fk) == 0 else None

    # -- the flow summary (analyze_hir_unique_flow_expr_scoped) ---------------------------------
    def flow(self, n, aliases: dict, local: set) -> Flow:
        t = n.type
        if t == "identifier":
            out = Flow()
            r = aliases.get(text(n))
            if r is not None:
                out.refs[r] = 1
                out.root = r
            return out
        if t == "parenthesized_expression" and len(_kids(n)) == 1:
            return self.flow(_kids(n)[0], aliases, local)
        if _raw_hir(n):
            return Flow()        # Kea's HIR keeps it raw: nothing inside is a reference it counts
        if t == "block":
            return self.block(_kids(n), aliases, local)
        if t == "if_expression":
            c, a, b = (n.child_by_field_name(k) for k in ("condition", "consequence", "alternative"))
            out = self.flow(c, aliases, local) if c is not None else Flow()
            ft = self.flow(a, aliases, local) if a is not None else Flow()
            fe = self.flow(b, aliases, local) if b is not None else Flow()
            _add(out.refs, _max(ft.refs, fe.refs))
            _add(out.escapes, _max(ft.escapes, fe.escapes))
            out.root = ft.root if ft.root is not None and ft.root == fe.root else None
            return out
        if t in ("case_expression", "cond_expression"):
            v = n.child_by_field_name("value")
            out = self.flow(v, aliases, local) if v is not None else Flow()
            refs, esc, roots = {}, {}, []
            for arm in _kids(n):
                if arm.type not in ("case_arm", "cond_arm"):
                    continue
                inner = set(local)
                p = arm.child_by_field_name("pattern")
                if p is not None:
                    inner |= set(pattern_names(p))
                fa = Flow()
                for k in ("guard", "condition", "body"):
                    x = arm.child_by_field_name(k)
                    if x is not None:
                        fx = self.flow(x, aliases, inner)
                        _add(fa.refs, fx.refs)
                        _add(fa.escapes, fx.escapes)
                        fa.root = fx.root
                refs, esc = _max(refs, fa.refs), _max(esc, fa.escapes)
                roots.append(fa.root)
            _add(out.refs, refs)
            _add(out.escapes, esc)
            out.root = roots[0] if roots and roots[0] is not None and all(r == roots[0] for r in roots) else None
            return out
        if t == "call_expression":
            fnode = n.child_by_field_name("function")
            an = n.child_by_field_name("arguments")
            args = [a.child_by_field_name("value") if a.type == "labeled_argument" else a
                    for a in (_kids(an) if an is not None else [])]
            return self.call(fnode, [a for a in args if a is not None], aliases, local, n)
        if t == "with_expression":
            call, pat, body = (n.child_by_field_name(k) for k in ("value", "pattern", "body"))
            fnode, args = None, []
            if call is not None and call.type == "call_expression":
                fnode = call.child_by_field_name("function")
                an = call.child_by_field_name("arguments")
                args = [a for a in (_kids(an) if an is not None else [])]
            out = self.call(fnode, args, aliases, local, call)
            if body is not None:
                fb = self.flow(body, aliases, local | set(pattern_names(pat) if pat is not None else ()))
                _add(out.refs, fb.refs)
                _add(out.escapes, fb.escapes)
            out.root = None
            return out
        if t == "let_expression":
            v = n.child_by_field_name("value")
            out = self.flow(v, aliases, local) if v is not None else Flow()
            p = n.child_by_field_name("pattern")
            if p is not None and p.type == "identifier" and out.root is not None and out.refs.get(out.root):
                out.refs[out.root] -= 1
            return out
        if t == "lambda_expression":
            ps = n.child_by_field_name("parameters")
            inner = set(local)
            for p in (_kids(ps) if ps is not None else []):
                pat = p.child_by_field_name("pattern") if p.type == "parameter" else p
                if pat is not None:
                    inner |= set(pattern_names(pat))
            b = n.child_by_field_name("body")
            return self.flow(b, aliases, inner) if b is not None else Flow()
        if t == "handle_expression":
            v = n.child_by_field_name("value")
            out = self.flow(v, aliases, local) if v is not None else Flow()
            refs, esc = {}, {}
            for c in _kids(n):
                if c.type == "operation_clause":
                    inner = set(local)
                    for p in c.children_by_field_name("parameters"):
                        inner |= set(pattern_names(p))
                    b = c.child_by_field_name("body")
                    fc = self.flow(b, aliases, inner) if b is not None else Flow()
                    refs, esc = _max(refs, fc.refs), _max(esc, fc.escapes)
            _add(out.refs, refs)
            _add(out.escapes, esc)
            for c in _kids(n):
                if c.type == "then_clause":
                    b = c.child_by_field_name("body")
                    if b is not None:
                        fc = self.flow(b, aliases, local)
                        _add(out.refs, fc.refs)
                        _add(out.escapes, fc.escapes)
            out.root = None
            return out
        if t == "field_expression":
            v = n.child_by_field_name("value")
            out = self.flow(v, aliases, local) if v is not None and v.type != "upper_identifier" else Flow()
            out.root = None
            return out
        out = Flow()
        for i, c in enumerate(n.children):
            if not c.is_named or c.type == "comment" or n.field_name_for_child(i) in ("type", "name", "field",
                                                                                     "operator", "label"):
                continue
            fc = self.flow(c, aliases, local)
            _add(out.refs, fc.refs)
            _add(out.escapes, fc.escapes)
        out.root = None
        return out

    def call(self, fnode, args, aliases, local, node) -> Flow:
        if fnode is not None and fnode.type == "upper_identifier":      # a constructor: no boundary
            out = Flow()
            for a in args:
                fa = self.flow(a, aliases, local)
                _add(out.refs, fa.refs)
                _add(out.escapes, fa.escapes)
            return out
        out = self.flow(fnode, aliases, local) if fnode is not None else Flow()
        out.root = None
        crosses = fnode is None or _unparen(fnode).type != "lambda_expression"
        hi = self.handoff_index(fnode, args, local)
        handed = None
        for i, a in enumerate(args):
            fa = self.flow(a, aliases, local)
            _add(out.refs, fa.refs)
            _add(out.escapes, fa.escapes)
            if hi == i and handed is None and fa.root is not None:
                handed = fa.root
            elif crosses and fa.root is not None:
                out.escapes[fa.root] = out.escapes.get(fa.root, 0) + 1
        out.root = handed
        return out

    def block(self, stmts, aliases: dict, local: set) -> Flow:
        aliases, local = dict(aliases), set(local)
        out = Flow()
        for s in stmts:
            fs = self.flow(s, aliases, local)
            _add(out.refs, fs.refs)
            _add(out.escapes, fs.escapes)
            if s.type == "let_expression":
                p = s.child_by_field_name("pattern")
                if p is not None and p.type == "identifier":
                    if fs.root is not None:
                        aliases[text(p)] = fs.root
                    else:
                        aliases.pop(text(p), None)
                    local.add(text(p))
                elif p is not None:
                    local |= set(pattern_names(p))
                out.root = None
                continue
            out.root = fs.root
        return out

    # -- call boundaries (collect_fip_call_boundary_issues) -----------------------------------
    def boundaries(self, n, local: set, sites: dict, clause: bool = False):
        """Counts the calls that are not verified hand-offs (`sites`: callee -> count). In a
        handler's operation or `then` clause (`clause`) every call counts: Kea lowers the
        clauses to closures of their own, which its forwarder proofs do not cross."""
        t = n.type
        if _raw_hir(n):
            return            # a raw HIR node: Kea's walk does not look inside it
        if t == "block":
            local = set(local)
            for s in _kids(n):
                self.boundaries(s, local, sites, clause)
                if s.type == "let_expression":
                    p = s.child_by_field_name("pattern")
                    if p is not None:
                        local |= set(pattern_names(p))
            return
        if t == "call_expression" or t == "with_expression":
            if t == "with_expression":
                call, pat, body = (n.child_by_field_name(k) for k in ("value", "pattern", "body"))
                fnode, args = None, []
                if call is not None and call.type == "call_expression":
                    fnode = call.child_by_field_name("function")
                    an = call.child_by_field_name("arguments")
                    args = _kids(an) if an is not None else []
                for a in args:
                    self.boundaries(a, local, sites, clause)
                if body is not None:
                    self.boundaries(body, local | set(pattern_names(pat) if pat is not None else ()), sites, clause)
                args = args + [body] if body is not None else args
            else:
                fnode = n.child_by_field_name("function")
                an = n.child_by_field_name("arguments")
                args = [a.child_by_field_name("value") if a.type == "labeled_argument" else a
                        for a in (_kids(an) if an is not None else [])]
                args = [a for a in args if a is not None]
                if fnode is not None:
                    self.boundaries(fnode, local, sites, clause)
                for a in args:
                    self.boundaries(a, local, sites, clause)
            if fnode is not None and fnode.type == "upper_identifier":
                return
            if fnode is None or _unparen(fnode).type != "lambda_expression":
                if clause or self.handoff_index(fnode, args, local) is None:
                    name = (" ".join(text(fnode).split()) if fnode is not None and fnode.type in
                            ("identifier", "field_expression") else "<local callable>")
                    sites[name] = sites.get(name, 0) + 1
            return
        if t == "lambda_expression":
            ps = n.child_by_field_name("parameters")
            inner = set(local)
            for p in (_kids(ps) if ps is not None else []):
                pat = p.child_by_field_name("pattern") if p.type == "parameter" else p
                if pat is not None:
                    inner |= set(pattern_names(pat))
            b = n.child_by_field_name("body")
            if b is not None:
                self.boundaries(b, inner, sites, clause)
            return
        if t == "then_clause":
            inner = set(local)
            for p in n.children_by_field_name("pattern"):
                inner |= set(pattern_names(p))
            x = n.child_by_field_name("body")
            if x is not None:
                self.boundaries(x, inner, sites, True)
            return
        if t in ("case_arm", "operation_clause"):
            in_clause = clause or t == "operation_clause"
            inner = set(local)
            for k in ("pattern", "parameters"):
                for p in n.children_by_field_name(k):
                    inner |= set(pattern_names(p))
            for k in ("guard", "body"):
                x = n.child_by_field_name(k)
                if x is not None:
                    self.boundaries(x, inner, sites, in_clause)
            return
        for i, c in enumerate(n.children):
            if c.is_named and n.field_name_for_child(i) not in ("type", "pattern", "name", "field"):
                self.boundaries(c, local, sites, clause)


# ---- verified forwarders ---------------------------------------------------------------------

def _raw_hir(n) -> bool:
    """A form Kea's HIR lowering keeps raw (`HirExprKind::Raw`, compiler.rs
    `count_raw_hir_expr_nodes`): the expression guard `e when c` (a case arm's guard is lowered
    with its arm). The other raw forms depend on type information custody does not have."""
    if n.type != "binary_expression":
        return False
    op = n.child_by_field_name("operator")
    return op is not None and op.type == "when"


def _raw_count(n) -> int:
    """Raw HIR nodes in `n`, each counted once (what is inside a raw node is not HIR)."""
    count, stack = 0, [n]
    while stack:
        x = stack.pop()
        if _raw_hir(x):
            count += 1
            continue
        stack.extend(x.named_children)
    return count


def _has(n, types) -> bool:
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type in types:
            return True
        stack.extend(x.named_children)
    return False


def _calls(n) -> bool:
    return _has(n, ("call_expression", "with_expression"))


def _allocates(n) -> bool:
    if _has(n, _ALLOCATING):
        return True
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type == "call_expression":
            f = x.child_by_field_name("function")
            if f is not None and f.type == "upper_identifier":
                return True
        stack.extend(x.named_children)
    return False


def forwarders(info, verifier_for) -> tuple[dict, dict]:
    """The verified direct and higher-order forwarders of a module: name -> slot(s)."""
    m = info.module
    direct, ho = {}, {}
    for f in m.functions:
        if f.body is None or _calls(f.body) or _allocates(f.body):
            continue
        v = verifier_for({}, {})
        for i, p in enumerate(f.params):
            if p.name is None:
                continue
            fl = v.flow(f.body, {p.name: p.name}, {q.name for q in f.params if q.name})
            if fl.refs.get(p.name, 0) == 1 and not fl.escapes.get(p.name) and fl.root == p.name:
                direct[f.name] = i
                break
    for f in m.functions:
        if f.body is None or len(f.params) < 2 or _allocates(f.body):
            continue
        found = None
        for ui, up in enumerate(f.params):
            for fi, fp in enumerate(f.params):
                if fi == ui or up.name is None or fp.name is None:
                    continue
                if _shape(f.body, {fp.name}, {up.name}):
                    found = (ui, fi)
                    break
            if found:
                break
        if found:
            ho[f.name] = found
    return direct, ho


def _alias_let(n):
    if n.type != "let_expression":
        return None
    p, v = n.child_by_field_name("pattern"), n.child_by_field_name("value")
    if p is None or v is None:
        return None
    if p.type == "identifier" and v.type == "identifier":
        return [(text(p), text(v))]
    if p.type == "tuple_pattern" and v.type == "tuple_expression":
        ps, vs = _kids(p), _kids(v)
        if len(ps) == len(vs) and all(a.type == "identifier" for a in ps) and all(b.type == "identifier" for b in vs):
            return [(text(a), text(b)) for a, b in zip(ps, vs)]
    return None


def _case_arms(n):
    """A `case` Kea lowers to an `if` chain (no guards, a call-free scrutinee): its arm bodies."""
    if n.type != "case_expression":
        return None
    v = n.child_by_field_name("value")
    arms = [a for a in _kids(n) if a.type == "case_arm"]
    if len(arms) < 2 or (v is not None and _calls(v)) or any(a.child_by_field_name("guard") is not None
                                                             for a in arms):
        return None
    bodies = [a.child_by_field_name("body") for a in arms]
    return bodies if all(b is not None for b in bodies) else None


def _alias_shape(n, aliases: set) -> bool:
    if n.type == "parenthesized_expression" and len(_kids(n)) == 1:
        return _alias_shape(_kids(n)[0], aliases)
    arms = _case_arms(n)
    if arms is not None:
        return all(_alias_shape(b, aliases) for b in arms)
    if n.type == "identifier":
        return text(n) in aliases
    if n.type == "block":
        stmts = _kids(n)
        if not stmts:
            return False
        aliases = set(aliases)
        for i, s in enumerate(stmts):
            if i == len(stmts) - 1:
                return _alias_shape(s, aliases)
            b = _alias_let(s)
            if b is not None:
                aliases |= {x for x, y in b if y in aliases}
                continue
            if s.type == "let_expression" and s.child_by_field_name("pattern") is not None and \
                    s.child_by_field_name("pattern").type == "identifier":
                v = s.child_by_field_name("value")
                if v is not None and _alias_shape(v, aliases):
                    aliases.add(text(s.child_by_field_name("pattern")))
                    continue
                if v is not None and not _calls(v):
                    continue
            return False
        return False
    if n.type == "if_expression":
        c, a, b = (n.child_by_field_name(k) for k in ("condition", "consequence", "alternative"))
        return (b is not None and a is not None and not (c is not None and _calls(c))
                and _alias_shape(a, aliases) and _alias_shape(b, aliases))
    return False


def _forward_call(n, fwd: set, uniq: set) -> bool:
    if n.type != "call_expression":
        return False
    f, an = n.child_by_field_name("function"), n.child_by_field_name("arguments")
    args = _kids(an) if an is not None else []
    return (f is not None and f.type == "identifier" and text(f) in fwd and len(args) == 1
            and args[0].type == "identifier" and text(args[0]) in uniq)


def _shape(n, fwd: set, uniq: set) -> bool:
    if n.type == "parenthesized_expression" and len(_kids(n)) == 1:
        return _shape(_kids(n)[0], fwd, uniq)
    arms = _case_arms(n)
    if arms is not None:
        fw = [_shape(b, fwd, uniq) for b in arms]
        return any(fw) and all(f or _alias_shape(b, uniq) for f, b in zip(fw, arms))
    if n.type == "call_expression":
        return _forward_call(n, fwd, uniq)
    if n.type == "block":
        stmts = _kids(n)
        if not stmts:
            return False
        fwd, uniq = set(fwd), set(uniq)
        result = None
        for i, s in enumerate(stmts):
            last = i == len(stmts) - 1
            if result is None:
                if last:
                    return _shape(s, fwd, uniq)
                b = _alias_let(s)
                if b is not None:
                    uniq |= {x for x, y in b if y in uniq}
                    fwd |= {x for x, y in b if y in fwd}
                    continue
                p = s.child_by_field_name("pattern") if s.type == "let_expression" else None
                v = s.child_by_field_name("value") if s.type == "let_expression" else None
                if p is not None and p.type == "identifier" and v is not None:
                    if _alias_shape(v, uniq):
                        uniq.add(text(p))
                        continue
                    if _alias_shape(v, fwd):
                        fwd.add(text(p))
                        continue
                    if _shape(v, fwd, uniq):
                        result = {text(p)}
                        continue
                    if not _calls(v):
                        continue
                return False
            if last:
                return _alias_shape(s, result)
            p = s.child_by_field_name("pattern") if s.type == "let_expression" else None
            v = s.child_by_field_name("value") if s.type == "let_expression" else None
            if p is not None and p.type == "identifier" and v is not None:
                if _alias_shape(v, result):
                    result.add(text(p))
                    continue
                if not _calls(v):
                    continue
            return False
        return False
    if n.type == "if_expression":
        c, a, b = (n.child_by_field_name(k) for k in ("condition", "consequence", "alternative"))
        if a is None or b is None or (c is not None and _calls(c)):
            return False
        tf, ef = _shape(a, fwd, uniq), _shape(b, fwd, uniq)
        return (tf and (ef or _alias_shape(b, uniq))) or (ef and _alias_shape(a, uniq))
    return False


# ---- the check --------------------------------------------------------------------------------

def fip_findings(info) -> list[Finding]:
    m = info.module
    fips = [f for f in m.functions if f.fip and f.body is not None and not f.node.has_error]
    if not fips:
        return []
    safe, safe_ho = {}, {}

    def verifier_for(s, h):
        return Verifier(info, s, h)

    for mp, sub in [("", info)] + [(mp, i) for mp, i in info.imports.items() if i is not None]:
        d, h = forwarders(sub, verifier_for)
        safe.update({(mp, n): i for n, i in d.items()})
        safe_ho.update({(mp, n): s for n, s in h.items()})
    v = Verifier(info, safe, safe_ho)
    out = []
    for f in fips:
        out += _verify(v, f)
    return out


def _verify(v: Verifier, f: Function) -> list[Finding]:
    roots = sorted({p.name for p in f.params if p.name and p.unique_syntactic})
    local = {p.name for p in f.params if p.name}
    fl = v.flow(f.body, {r: r for r in roots}, local)
    issues = []
    for r in roots:
        n = fl.refs.get(r, 0)
        if n == 0:
            issues.append(f"Unique parameter `{r}` is never referenced in function body (expected "
                          "exactly-once consume/forward)")
        elif n > 1:
            issues.append(f"Unique parameter `{r}` is referenced {n} times on one control-flow path; @fip "
                          "currently requires a single ownership handoff per path")
        e = fl.escapes.get(r, 0)
        if e:
            issues.append(f"Unique parameter `{r}` escapes through {e} call argument(s); @fip call-boundary "
                          "ownership proofs are not yet supported")
    sites: dict = {}
    v.boundaries(f.body, local, sites)
    total = sum(sites.values())
    raw = _raw_count(f.body)
    failures = []
    if issues:
        failures.append(f"unique_flow_violations={len(issues)}")
    if raw:
        failures.append(f"raw_hir_expr_count={raw}")
    if total:
        failures.append(f"unsupported_call_boundaries={total}")
    if not failures:
        return []
    help_ = [C.HELP[C.K12]]
    if issues:
        help_.append("unique ownership flow issues:\n" + "\n".join(f"- {i}" for i in issues[:5]))
    if raw:
        help_.append(f"function body contains {raw} raw HIR fallback expression node(s); @fip verification "
                     "only runs on fully lowered HIR.")
    if total:
        lines = [f"- {s} ({c} occurrences)" if c > 1 else f"- {s}" for s, c in list(sites.items())[:5]]
        help_.append(f"unsupported cross-function call boundaries ({total}):\n" + "\n".join(lines)
                     + "\n\n@fip currently allows only verified single-handoff forwarder calls across function "
                       "boundaries.")
    return [Finding(C.K12, "error", f.name_span,
                    C.MESSAGES[C.K12].format(name=f.name, failures=", ".join(failures)),
                    related=[Related(f.name_span, "help: " + h) for h in help_])]
