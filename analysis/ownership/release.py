"""Explicit release: for a language where the program itself frees what it owns (C written to
AgeRun's conventions), every owned binding must be released, handed on or returned exactly once,
and never used after that.

Why a checker of its own: X07's flow (flow.py) runs on a model where the language drops owned
values at the end of their scope; here nothing is dropped for the program, a value can also be
*nothing* (NULL) and a test against nothing splits the paths, and a callee may take a value only
when it succeeds. The lattice differs, so the checker does; it still knows no language: the
front-end lowers to the events of ir.py (Bind, Clear, Move, Destroy, Opaque, Use, Assign, Refine,
Kept, Drop) and names the codes in `FunctionIR.codes`.

The state of a tracked binding (`Local.must_consume`) is the set of its possible states, each
with the event that made it so: `(tag, site)` pairs. A join is the union, so "owned on some path"
is a set holding OWNED and another tag, and the sites say where each possibility came from
(related locations, hovers). A binding absent from the state holds nothing yet (declared without
a value). UNKNOWN (handed to something custody cannot see) silences every rule on the binding.

Correlated tests: a function that tests the same flag twice (`if (!found) own_x = create(); ...
if (!found) own_x = NULL;`) is checked per *world*, a set of facts about its flags (Flag, Assume)
with the binding states of the paths where those facts hold (`_Worlds`, on state.Worlds); a test drops the worlds
it contradicts, so a path that cannot happen reports nothing. Rules are checked on what all
worlds together hold, so messages read as without worlds.

Rule kinds (keys of `FunctionIR.codes`): use_after_release, release_twice, test_after_release,
assert_contradiction, overwrite, leak (a local), param_not_consumed (a parameter), kept_leak (a
value a consume-on-success callee gave back on failure).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Related
from .dataflow import solve
from .state import Worlds
from .fixes import FixRequest
from .ir import Assign, Assume, Bind, Clear, Destroy, Drop, Flag, FunctionIR, Kept, Move, Opaque, Refine, Use
from .model import (BindingPoint, FunctionModel, Note, S_DESTROYED, S_MAYBE_OWNED,
                    S_NULL, S_TRANSFERRED, S_UNKNOWN, OWNED as S_OWNED, BORROWED, COPY)

OWNED, NULL, TRANSFERRED, DESTROYED, UNKNOWN = "owned", "null", "transferred", "destroyed", "unknown"
GONE = frozenset({TRANSFERRED, DESTROYED})      # the binding still points at a value it gave up


@dataclass(frozen=True)
class Entry:
    """The site of a parameter's value: it was owned on entry."""

    span: object


@dataclass
class ReleaseResult:
    findings: list[Finding] = field(default_factory=list)
    model: FunctionModel | None = None


def check_release(fn: FunctionIR, record: bool = True) -> ReleaseResult:
    """The findings of one function (and, when `record`, its ownership map)."""
    analysis = _Release(fn, record)
    tests_flags = any(type(ev) is Assume for b in fn.blocks for ev in b.events)
    solve(fn, _Worlds(analysis) if tests_flags else analysis)
    out = ReleaseResult(sorted(_never_consumed(fn, analysis.findings, analysis.local_of),
                               key=Finding.sort_key))
    if record:
        out.model = analysis.build_model()
    return out


def _never_consumed(fn: FunctionIR, findings: list[Finding], local_of: dict) -> list[Finding]:
    """A parameter kept at every one of several exits is one mistake, not one per exit: the
    parameter is never consumed (its prefix promises what the body does not do). Those findings
    become one, at the parameter, with the exits as related locations."""
    code = fn.codes.get("param_not_consumed")
    if code is None:
        return findings
    exits: dict[int, int] = {}
    for b in fn.blocks:
        for ev in b.events:
            if type(ev) is Drop:
                exits[ev.local] = exits.get(ev.local, 0) + 1
    by_local: dict[int, list[Finding]] = {}
    for f in findings:
        lid = local_of.get(id(f))
        if f.code == code and lid is not None:
            by_local.setdefault(lid, []).append(f)
    merged = {}
    for lid, fs in by_local.items():
        if len(fs) > 1 and len(fs) == exits.get(lid, 0) and all("on some paths" not in f.message for f in fs):
            loc = fn.local(lid)
            one = Finding(code, fs[0].severity, loc.span,
                          f"owned parameter `{loc.name}` is never consumed: all {len(fs)} exits keep it. If "
                          f"the caller keeps ownership, {fn.words['as_borrowed']}; otherwise destroy, "
                          f"transfer or store it on every path",
                          [Related(f.span, "kept at this exit") for f in sorted(fs, key=Finding.sort_key)])
            merged[lid] = one
    if not merged:
        return findings
    out = [f for f in findings if not (f.code == code and local_of.get(id(f)) in merged)]
    return out + list(merged.values())


def _tags(pairs) -> frozenset:
    return frozenset(t for t, _ in pairs)


class _Release:
    def __init__(self, fn: FunctionIR, record: bool):
        self.fn = fn
        self.record = record
        self.tracked = frozenset(l.id for l in fn.locals if l.must_consume)
        self.findings: list[Finding] = []
        self._reported: set = set()
        self.local_of: dict[int, int] = {}     # id(finding) -> the binding it is about
        self.occurrences: list[tuple] = []     # (span, local, event, pairs)
        self.handlers = {Bind: _Release._bind, Clear: _Release._clear, Opaque: _Release._opaque,
                         Move: _Release._move, Destroy: _Release._destroy, Use: _Release._use,
                         Assign: _Release._assign, Refine: _Release._refine, Kept: _Release._kept,
                         Drop: _Release._drop}

    # ---- lattice ------------------------------------------------------------------------
    def entry_state(self):
        return {l.id: frozenset({(OWNED, Entry(l.span))})
                for l in self.fn.locals if l.must_consume and l.kind == "param"}

    def join(self, a, b):
        if a is b or a == b:
            return a
        out = dict(a)
        for k, v in b.items():
            old = out.get(k)
            out[k] = v if old is None else (old | v)
        return out

    @staticmethod
    def _set(state, local, pairs):
        new = dict(state)
        if pairs is None:
            new.pop(local, None)
        else:
            new[local] = pairs
        return new

    # ---- events -------------------------------------------------------------------------
    def _record(self, ev, state, final):
        if final and self.record:
            self.occurrences.append((ev.span, ev.local, ev, state.get(ev.local)))

    def _bind(self, ev, state, at, final):
        if ev.local not in self.tracked:
            self._record(ev, state, final)
            return state
        if final and self.record:
            self.occurrences.append((ev.span, ev.local, ev, frozenset({(OWNED, ev)})))
        return self._set(state, ev.local, frozenset({(OWNED, ev)}))

    def _clear(self, ev, state, at, final):
        if ev.local not in self.tracked:
            return state
        if final and self.record:
            self.occurrences.append((ev.span, ev.local, ev, frozenset({(NULL, ev)})))
        return self._set(state, ev.local, frozenset({(NULL, ev)}))

    def _opaque(self, ev, state, at, final):
        self._record(ev, state, final)
        if ev.local not in self.tracked:
            return state
        return self._set(state, ev.local, frozenset({(UNKNOWN, ev)}))

    def _move(self, ev, state, at, final):
        self._record(ev, state, final)
        if ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local, frozenset())
        if final:
            if ev.holder is not None:
                pairs = frozenset(p for p in pairs if not (p[0] == TRANSFERRED and getattr(p[1], "holder", None) == ev.holder))
            self._check_gone(ev, pairs, "use_after_release", "transferred again")
        return self._set(state, ev.local, frozenset({(TRANSFERRED, ev)}))

    def _destroy(self, ev, state, at, final):
        self._record(ev, state, final)
        if ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local, frozenset())
        if final:
            self._check_gone(ev, pairs, "release_twice", "destroyed")
        return self._set(state, ev.local, frozenset({(DESTROYED, ev)}))

    def _use(self, ev, state, at, final):
        self._record(ev, state, final)
        if not final or ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local, frozenset())
        tags = _tags(pairs)
        if UNKNOWN in tags or not tags:
            return state
        how = ev.how
        if how == "test":
            self._check_gone(ev, pairs, "test_after_release", "tested")
        elif how == "assert_owned":
            if OWNED not in tags:
                self._assert_finding(ev, pairs, "is asserted to be owned, but it holds no value it owns here")
        elif how == "assert_released":
            if tags - {NULL}:
                some = "" if NULL not in tags else " on some paths"
                nothing = self.fn.words["nothing"]
                self._assert_finding(ev, pairs, f"is asserted to be released ({nothing}), but it is not "
                                                f"{nothing} here{some}")
        else:
            self._check_gone(ev, pairs, "use_after_release", "used")
        return state

    def _assign(self, ev, state, at, final):
        self._record(ev, state, final)
        if not final or ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local, frozenset())
        tags = _tags(pairs)
        if OWNED in tags and UNKNOWN not in tags:
            name = self.fn.local(ev.local).name
            some = "" if tags == {OWNED} else " on some paths"
            self._report("overwrite", ev.span, ev.local,
                         f"`{name}` is overwritten while it still owns a value{some}: the old value "
                         f"leaks. Destroy or transfer it before assigning",
                         self._related(pairs, {OWNED}))
        return state

    def _refine(self, ev, state, at, final):
        if ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local)
        if pairs is None:
            return state
        tags = _tags(pairs)
        if UNKNOWN in tags:
            return state
        if ev.null:
            # owned values may be NULL (a failed create); given-up pointers are not
            keep = [(NULL, s) for t, s in pairs if t in (NULL, OWNED)]
            new = frozenset({(NULL, ev)}) if keep else frozenset()
        else:
            new = frozenset(p for p in pairs if p[0] != NULL)
        return self._set(state, ev.local, new)

    def _kept(self, ev, state, at, final):
        if ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local)
        if pairs is None or UNKNOWN in _tags(pairs):
            return state
        return self._set(state, ev.local, frozenset({(OWNED, ev)}))

    def _drop(self, ev, state, at, final):
        if ev.local not in self.tracked:
            return state
        pairs = state.get(ev.local, frozenset())
        tags = _tags(pairs)
        if final:
            if OWNED in tags and UNKNOWN not in tags:
                loc = self.fn.local(ev.local)
                kept = [s for t, s in pairs if t == OWNED and isinstance(s, Kept)]
                kind = "kept_leak" if kept else ("param_not_consumed" if loc.kind == "param" else "leak")
                some = "" if tags == {OWNED} else " on some paths"
                where = "here" if ev.reason == "return" else "at the end of its scope"
                if kind == "kept_leak":
                    callee = kept[0].callee
                    msg = (f"`{loc.name}` leaks {where}: `{callee}` did not take it when it failed, so "
                           f"the caller still owns it{some}. Destroy it on the failure path")
                elif kind == "param_not_consumed":
                    msg = (f"owned parameter `{loc.name}` is not consumed on this path{some}: destroy it, "
                           f"transfer it or store it before this exit (or, if the caller keeps it, "
                           f"{self.fn.words['as_borrowed']})")
                else:
                    msg = (f"`{loc.name}` leaks {where}: it still owns its value{some}. Destroy it or "
                           f"transfer it before this exit")
                self._report(kind, ev.span, ev.local, msg, self._related(pairs, {OWNED}),
                             fix=FixRequest("release_before_exit", ev.span, loc.name))
        return self._set(state, ev.local, None)

    # ---- reporting ----------------------------------------------------------------------
    def _check_gone(self, ev, pairs, kind: str, verb: str) -> None:
        tags = _tags(pairs)
        if UNKNOWN in tags or not (tags & GONE):
            return
        name = self.fn.local(ev.local).name
        gone = [(t, s) for t, s in pairs if t in GONE]
        some = "" if tags <= GONE else " on some paths"
        first = min(gone, key=lambda p: (p[1].span.start, p[1].span.end))
        how = _how(first)
        if kind == "release_twice":
            msg = f"`{name}` is destroyed twice: it was already {how}{some}"
        elif kind == "test_after_release":
            words = self.fn.words
            msg = (f"`{name}` was {how} and not made {words['nothing']}, so this test reads a stale "
                   f"value{some}: {words['clear'].format(name=name)} right after the transfer")
        else:
            msg = f"`{name}` is {verb} after it was {how}{some}"
        fix = None
        if kind in ("test_after_release", "release_twice"):
            fix = FixRequest("clear_after_transfer", first[1].span, name)
        self._report(kind, ev.span, ev.local, msg, self._related(pairs, GONE), fix=fix)

    def _assert_finding(self, ev, pairs, what: str) -> None:
        name = self.fn.local(ev.local).name
        self._report("assert_contradiction", ev.span, ev.local, f"`{name}` {what}",
                     self._related(pairs, {OWNED, TRANSFERRED, DESTROYED, NULL}))

    def _related(self, pairs, tags) -> list[Related]:
        out = []
        for t, s in sorted(((t, s) for t, s in pairs if t in tags),
                           key=lambda p: (p[1].span.start, p[1].span.end, p[0])):
            out.append(Related(s.span, _site_words(t, s, self.fn.words["nothing"])))
        return out

    def _report(self, kind, span, local, message, related, fix: FixRequest | None = None) -> None:
        code = self.fn.codes.get(kind)
        if code is None:
            return
        key = (kind, span, local)
        if key in self._reported:
            return
        self._reported.add(key)
        severity = "error" if kind in ("use_after_release", "release_twice", "assert_contradiction") else "warning"
        f = Finding(code, severity, span, message, related)
        self.local_of[id(f)] = local
        if fix is not None:
            f.fix_requests.append(fix)
        self.findings.append(f)

    # ---- the ownership map ----------------------------------------------------------------
    def build_model(self) -> FunctionModel:
        fn = self.fn
        m = FunctionModel(fn.name, fn.span)
        for loc in fn.locals:
            key = (fn.name, loc.id)
            if loc.must_consume:
                state, action = (S_OWNED, "owns its value") if loc.kind == "param" else (S_NULL, "declared")
            elif loc.cls == "view":
                state, action = BORROWED, "borrowed"
            elif loc.cls == "copy":
                state, action = COPY, "a plain value"
            else:
                state, action = S_UNKNOWN, "not tracked"
            m.points.append(BindingPoint(loc.span, key, loc.name, loc.ty, loc.cls, state, True, action))
        seen = set()
        for span, lid, ev, pairs in self.occurrences:
            if (span, lid) in seen:
                continue
            seen.add((span, lid))
            loc = fn.local(lid)
            key = (fn.name, lid)
            if not loc.must_consume:
                state = BORROWED if loc.cls == "view" else COPY if loc.cls == "copy" else S_UNKNOWN
                notes = []
            else:
                state, notes = _state_words(pairs, fn.words["nothing"])
            hint = ("transferred" if type(ev) is Move else "destroyed" if type(ev) is Destroy
                    else "")
            m.points.append(BindingPoint(span, key, loc.name, loc.ty, loc.cls, state, False,
                                         _action(ev, fn.words["nothing"]), notes, hint))
        # no drop points: nothing is freed for the program at the end of a scope
        m.points.sort(key=lambda p: (p.span.start, p.span.end))
        return m


class _Worlds:
    """`_Release` split by what is known of the function's flags (state.Worlds, shared with the
    scoped flow): each event moves every world; rules are checked once, on all worlds joined (so
    a finding and its wording are what they would be without worlds, less the paths no world
    allows)."""

    def __init__(self, inner: _Release):
        self.inner = inner
        self.worlds = Worlds.of(inner.fn, inner.join)
        self.handlers = {cls: _Worlds._each for cls in inner.handlers}
        self.handlers[Assume] = _Worlds._assume
        self.handlers[Flag] = _Worlds._flag

    def entry_state(self):
        return self.worlds.entry(self.inner.entry_state())

    def join(self, a, b):
        return self.worlds.join(a, b)

    def _each(self, ev, worlds, at, final):
        h = self.inner.handlers[type(ev)]
        inner = self.inner
        if final and len(worlds) > 1:
            joined = None
            for _key, state in worlds:
                joined = state if joined is None else inner.join(joined, state)
            h(inner, ev, joined, at, True)
            final = False
        return tuple((key, h(inner, ev, state, at, final)) for key, state in worlds)

    def _assume(self, ev, worlds, at, final):
        return self.worlds.test(worlds, ev.local, ev.value, learn=True)

    def _flag(self, ev, worlds, at, final):
        return self.worlds.flag(worlds, ev.local, ev.value)


def _how(pair) -> str:
    t, s = pair
    if t == DESTROYED:
        return f"destroyed by `{s.callee}`"
    return f"transferred {s.into}"


def _site_words(tag: str, site, nothing: str = "empty") -> str:
    if isinstance(site, Entry):
        return "owned on entry (an owned parameter)"
    if isinstance(site, Kept):
        return f"`{site.callee}` failed here and did not take it"
    if tag == DESTROYED:
        return f"destroyed here by `{site.callee}`"
    if tag == TRANSFERRED:
        return f"transferred here {site.into}"
    if tag == NULL:
        return f"made {nothing} here" if isinstance(site, Clear) else f"{nothing} on this path"
    if tag == OWNED:
        return "acquired here"
    return "handed to something custody cannot see here"


def _state_words(pairs, nothing: str) -> tuple[str, list[Note]]:
    if pairs is None:
        return S_NULL, []
    tags = _tags(pairs)
    notes = [Note(s.span, _site_words(t, s, nothing)) for t, s in sorted(pairs, key=lambda p: (p[1].span.start, p[0]))
             if not isinstance(s, Entry) and t != NULL]
    if not tags or UNKNOWN in tags:
        return S_UNKNOWN, notes
    if tags == {OWNED}:
        return S_OWNED, notes
    if OWNED in tags:
        return S_MAYBE_OWNED, notes
    if tags == {NULL}:
        return S_NULL, notes
    if DESTROYED in tags and TRANSFERRED not in tags:
        return S_DESTROYED, notes
    return S_TRANSFERRED, notes


def _action(ev, nothing: str) -> str:
    t = type(ev)
    if t is Bind:
        return "acquires an owned value"
    if t is Clear:
        return f"made {nothing}"
    if t is Move:
        return f"transfers {ev.into}"
    if t is Destroy:
        return f"destroyed by `{ev.callee}`"
    if t is Opaque:
        return f"passed to `{ev.callee}`, which custody knows nothing about: not tracked after this"
    if t is Assign:
        return "assigned a new value"
    if t is Use:
        return {"borrow": "borrowed for this call", "test": "compared with NULL",
                "assert_owned": "asserted to be owned",
                "assert_released": "asserted to be released"}.get(ev.how, "read")
    return "read"
