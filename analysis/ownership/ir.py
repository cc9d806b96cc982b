"""The ownership IR: per function, a control-flow graph of ownership events.

Front-ends lower each function (or entry body) to a `FunctionIR`; checkers and the ownership
map read only this. Nothing here knows a source language: where a rule needs a language's own
diagnostic code, the front-end passes it in `FunctionIR.codes` or on the event.

Loans, call sites and events compare by identity: each object is one occurrence in one
function, and the solver hashes them constantly (sets of move sites, sets of live loans).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..source import Span

# How a binding behaves when assigned or passed.
OwnClass = Literal["owned", "view", "copy", "unknown"]

# A provenance source: a local id (an owner, or a view parameter that is its own root),
# or one of these markers.
RUNTIME = "runtime"   # views of runtime buffers (input, literals): no owner to outlive
UNKNOWN = "unknown"   # came through something custody cannot see (unknown callee)


@dataclass(eq=False, slots=True)
class Local:
    id: int
    name: str
    span: Span                 # where it is declared
    cls: OwnClass
    ty: str
    scope: int                 # id of the declaring scope
    kind: str = "let"          # "param" | "let" | "loop" | "bind"
    must_consume: bool = False  # linear: dropping it unconsumed is a finding
    is_root_view: bool = False  # a view parameter: its own provenance root, may be returned
    lent: bool = False          # lent to the function (a borrow parameter): any Move of it is a
                                # finding (`consume_lent`) and leaves it in place; reads are fine
    linear: bool = False        # with must_consume: only a Move consumes it (a read, or a hand-off
                                # to the unknown, does not count as looking at it)
    arena: str = ""             # its value lives in an arena/region the program frees as a whole, not
                                # in the binding: how the language names it ("the scratchpad `s`")
    arena_at: Span | None = None    # that arena's identity: where it is opened (see ArenaFreed)


class _Fixed:
    """Base of the IR's small records (loans, call sites, events): plain `__slots__` classes
    with a positional/keyword `__init__`, immutable by convention. A function's lowering builds
    one per occurrence (a 16 MiB file makes millions), and a frozen dataclass paid an
    `object.__setattr__` call per field on each. Equality and hashing stay by identity."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__) + ")"


class Loan(_Fixed):
    __slots__ = ("id", "owner", "holder", "span")

    def __init__(self, id: int, owner: int, holder: int | None, span: Span):
        self.id = id
        self.owner = owner         # local id of the owner borrowed from
        self.holder = holder       # local id of the view holding it; None for a temporary
        self.span = span           # where the borrow was created


class CallSite(_Fixed):
    __slots__ = ("id", "callee", "span", "head_span", "twice_code")

    def __init__(self, id: int, callee: str, span: Span, head_span: Span, twice_code: str | None = None):
        self.id = id
        self.callee = callee
        self.span = span                # the call expression
        self.head_span = head_span      # the callee token
        self.twice_code = twice_code    # language code for "same owner moved twice into this call"


# ---- events -------------------------------------------------------------------------------

class Bind(_Fixed):
    __slots__ = ("local", "span", "reinit")

    def __init__(self, local: int, span: Span, reinit: bool = False):
        self.local = local
        self.span = span
        self.reinit = reinit       # a `set` re-initialising an existing binding


class Use(_Fixed):
    __slots__ = ("local", "span", "how")

    def __init__(self, local: int, span: Span, how: str = "read"):
        self.local = local
        self.span = span
        self.how = how             # "read" | "copy" | "borrow" (lent to a call) | "view" (a view is built of it)
                                   # explicit release also: "test" (compared with nothing),
                                   # "assert_owned", "assert_released" (an ownership assertion)


class Move(_Fixed):
    __slots__ = ("local", "span", "into", "call", "op", "holder")

    def __init__(self, local: int, span: Span, into: str, call: CallSite | None = None, op: str | None = None,
                 holder: str | None = None):
        self.local = local
        self.span = span
        self.into = into           # a short phrase: 'into "f"', 'into "y"', "by return"
        self.call = call
        self.op = op               # a mutating operation name (consumes and hands back the owner)
        # stored into a field of this object (its spelling): storing the value into another field
        # of the same object gives it no second owner (a list's head and tail node)
        self.holder = holder


class Opaque(_Fixed):
    """Passed to something custody cannot see: state becomes unknown, never an error."""

    __slots__ = ("local", "span", "callee")

    def __init__(self, local: int, span: Span, callee: str):
        self.local = local
        self.span = span
        self.callee = callee


class Borrow(_Fixed):
    __slots__ = ("loan",)

    def __init__(self, loan: Loan):
        self.loan = loan


class Release(_Fixed):
    __slots__ = ("loan",)

    def __init__(self, loan: int):
        self.loan = loan           # the loan's id


class Assign(_Fixed):
    """Start of a re-assignment (`set`): the binding must not be borrowed; its old value is dropped."""

    __slots__ = ("local", "span")

    def __init__(self, local: int, span: Span):
        self.local = local
        self.span = span


class Drop(_Fixed):
    __slots__ = ("local", "span", "reason")

    def __init__(self, local: int, span: Span, reason: str = "scope"):
        self.local = local
        self.span = span           # the end of the scope (or the early exit) that drops it
        self.reason = reason       # "scope" | "return" | "set"


class Discard(_Fixed):
    """A value that must be consumed was computed and thrown away."""

    __slots__ = ("span", "ty")

    def __init__(self, span: Span, ty: str):
        self.span = span
        self.ty = ty


class ScopeResult(_Fixed):
    """A scope hands a borrowed value to its parent: owners declared inside must not be in `prov`."""

    __slots__ = ("span", "prov", "scope_locals", "scope_span")

    def __init__(self, span: Span, prov: frozenset, scope_locals: frozenset, scope_span: Span):
        self.span = span
        self.prov = prov
        self.scope_locals = scope_locals
        self.scope_span = scope_span


class FnResult(_Fixed):
    """The function returns a borrowed value: only root views (and runtime views) may be returned."""

    __slots__ = ("span", "prov")

    def __init__(self, span: Span, prov: frozenset):
        self.span = span
        self.prov = prov


class BranchMerge(_Fixed):
    """Branches of a conditional yield borrowed values: they must share one borrow source."""

    __slots__ = ("span", "arms")

    def __init__(self, span: Span, arms: tuple):
        self.span = span
        self.arms = arms           # ((span, prov), ...)


class Deferred(_Fixed):
    """At a scope exit (`span`: the scope's end, or the statement that leaves it early), an action
    the program registered earlier in the scope runs now (a `defer`). `label` shows it (its source
    text on one line), `origin` is where it was registered. A front-end emits one per action, in
    the order they run (last registered first), each before the events of the action itself.
    Changes no state: the checkers pass over it, the ownership map records where it runs."""

    __slots__ = ("span", "label", "origin")

    def __init__(self, span: Span, label: str, origin: Span):
        self.span = span
        self.label = label
        self.origin = origin


class ArenaFreed(_Fixed):
    """At a scope exit (`span`, as Drop's), the arena opened at `arena` (a region, a scratchpad:
    `Local.arena_at` of the bindings whose values live in it) is freed with everything in it.
    Changes no state; the ownership map records the exits that are reached."""

    __slots__ = ("span", "arena")

    def __init__(self, span: Span, arena: Span):
        self.span = span
        self.arena = arena


# ---- events of explicit release (a language where the program frees what it owns: C) ------
# The explicit-release checker (release.py) reads these with Bind (now holds an owned value),
# Move (transferred into a sink, or returned), Use, Opaque, Assign (a new value is about to be
# stored: the old one must not be owned any more) and Drop (the binding's scope ends or the
# function returns: it must not still own a value).

class Clear(_Fixed):
    """The binding now holds nothing (C: `own_x = NULL;`, or initialised to NULL)."""

    __slots__ = ("local", "span")

    def __init__(self, local: int, span: Span):
        self.local = local
        self.span = span


class Destroy(_Fixed):
    """The binding's value is released (C: `ar_data__destroy(own_x)`, `AR__HEAP__FREE(own_x)`).
    `callee` names what released it, for messages."""

    __slots__ = ("local", "span", "callee", "call")

    def __init__(self, local: int, span: Span, callee: str, call: CallSite | None = None):
        self.local = local
        self.span = span
        self.callee = callee
        self.call = call


class Refine(_Fixed):
    """At the head of a branch of a test of the binding against nothing: on this edge it is
    (`null` True) or is not (`null` False) empty. Values that cannot be so on this edge are
    dropped from the binding's possible states."""

    __slots__ = ("local", "span", "null")

    def __init__(self, local: int, span: Span, null: bool):
        self.local = local
        self.span = span
        self.null = null


class Kept(_Fixed):
    """On the failure edge of a call that consumes the binding only on success: the callee did
    not take it, the caller still owns it (a leak from here on is reported as such)."""

    __slots__ = ("local", "span", "callee")

    def __init__(self, local: int, span: Span, callee: str):
        self.local = local
        self.span = span
        self.callee = callee


class Flag(_Fixed):
    """A plain value that the function tests for truth later (a `bool` it set, say) is now known
    to be true or false (`value`), or no longer known (None). Only values the front-end sees
    tested are flags; see Assume."""

    __slots__ = ("local", "span", "value")

    def __init__(self, local: int, span: Span, value: bool | None):
        self.local = local
        self.span = span
        self.value = value


class Assume(_Fixed):
    """At the head of a branch of a test of a flag: on this edge its value is `value`. A checker
    may drop what it knows only from paths where the flag had the other value (two tests of the
    same flag are correlated: `if (!found) own_x = create(); ... if (!found) own_x = NULL;`)."""

    __slots__ = ("local", "span", "value")

    def __init__(self, local: int, span: Span, value: bool):
        self.local = local
        self.span = span
        self.value = value


# ---- branch agreement (a language whose compiler requires the arms of a conditional to leave each
# binding in the same move state, whether or not it is used afterwards: Kea) -------------------

class ArmEnd(_Fixed):
    """The last event of one arm of a conditional whose arms must agree (see Agree). `group` is
    the Agree event it belongs to; `span` the arm (for related locations)."""

    __slots__ = ("group", "arm", "span")

    def __init__(self, group: "Agree", arm: int, span: Span):
        self.group = group
        self.arm = arm
        self.span = span


class Agree(_Fixed):
    """At the merge of a conditional: each of `locals` must be moved at the end of every arm
    (ArmEnd events of this group) or of none; a disagreement is one finding per binding at
    `span`, with the code `codes[rule]` and the message `words[rule]` (a template with {name}).
    A may-moved state (moved in one branch of a nested conditional) counts as moved."""

    __slots__ = ("span", "locals", "rule")

    def __init__(self, span: Span, locals: tuple, rule: str):
        self.span = span
        self.locals = locals
        self.rule = rule


Event = (Bind | Use | Move | Opaque | Borrow | Release | Assign | Drop | Discard | ScopeResult
         | FnResult | BranchMerge | Deferred | ArenaFreed | Clear | Destroy | Refine | Kept | Flag | Assume | ArmEnd | Agree)


# How messages name things; a front-end replaces these with its language's spelling.
GENERIC_WORDS = {
    "view_type": "view",                      # the borrowed type
    "copy_out": "copy the view into an owned value",
    "consume": "consume it or check it",
    # explicit release (release.py)
    "nothing": "empty",                       # what a binding holding no value is
    "clear": "clear `{name}`",                # how to make a binding hold nothing
    "as_borrowed": "take it as borrowed",     # how a parameter says the caller keeps ownership
    # the flow's messages (flow.py); {name}: the binding, {into}: a Move's phrase
    "use_after_move": 'use after move: "{name}"',
    "read_after_move": 'use after move: "{name}"',      # a Use lent to a call (how "borrow")
    "borrow_of_moved": 'borrow of moved value: "{name}"',
    "moved_some_paths": " (moved on some paths: it was moved in one branch)",
    "moved_here": '"{name}" moved here {into}',
    "declared_here": '"{name}" declared here',
    "consume_lent": "lent value `{name}` cannot be consumed",   # a Move of a `lent` local
    "lent_parameter": "lent to this function: it may read it, not consume it",  # the map's phrase
    "branch_mismatch": "branches disagree on whether `{name}` is moved",  # Agree's default rule
    "moved_in_arm": "`{name}` moved here in this branch",
    "kept_in_arm": "`{name}` still live at the end of this branch",
    # a must-consume binding dropped unconsumed ({ty}, {name}, {consume}) and its related note
    "never_consumed": '{ty} value "{name}" is never consumed; {consume}',
    "dropped_unconsumed": "dropped here without being consumed",
}


@dataclass(eq=False, slots=True)
class Block:
    id: int
    events: list = field(default_factory=list)
    succs: list[int] = field(default_factory=list)
    loop_header: bool = False


@dataclass(eq=False, slots=True)
class Scope:
    id: int
    parent: int | None
    span: Span
    locals: list[int] = field(default_factory=list)
    kind: str = "block"        # "function" | "block" | "branch" | "loop"


@dataclass(eq=False)
class FunctionIR:
    name: str
    span: Span                 # the whole declaration
    name_span: Span
    locals: list[Local] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    scopes: list[Scope] = field(default_factory=list)
    entry: int = 0
    exit: int = 0
    codes: dict[str, str] = field(default_factory=dict)     # rule kind -> language code
    words: dict[str, str] = field(default_factory=lambda: dict(GENERIC_WORDS))  # the language's names in messages
    loops: list[tuple[Span, set]] = field(default_factory=list)  # (loop span, block ids inside)
    view_prov: dict = field(default_factory=dict)    # view local id -> provenance (set of sources)
    # loop header id -> the blocks of the loop's condition, for a loop whose language checks the
    # condition once more after its one look at the body: the flow's one-pass view runs those
    # blocks again after the body
    rechecked: dict[int, frozenset] = field(default_factory=dict)

    def local(self, lid: int) -> Local:
        return self.locals[lid]

    def new_block(self) -> Block:
        b = Block(len(self.blocks))
        self.blocks.append(b)
        return b
