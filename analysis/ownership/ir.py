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


@dataclass(eq=False)
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


@dataclass(frozen=True, eq=False)
class Loan:
    id: int
    owner: int                 # local id of the owner borrowed from
    holder: int | None         # local id of the view holding it; None for a temporary
    span: Span                 # where the borrow was created


@dataclass(frozen=True, eq=False)
class CallSite:
    id: int
    callee: str
    span: Span                 # the call expression
    head_span: Span            # the callee token
    twice_code: str | None = None   # language code for "same owner moved twice into this call"


# ---- events -------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Bind:
    local: int
    span: Span
    reinit: bool = False       # a `set` re-initialising an existing binding


@dataclass(frozen=True, eq=False)
class Use:
    local: int
    span: Span
    how: str = "read"          # "read" | "copy" | "borrow" (lent to a call) | "view" (a view is built of it)


@dataclass(frozen=True, eq=False)
class Move:
    local: int
    span: Span
    into: str                  # a short phrase: 'into "f"', 'into "y"', "by return"
    call: CallSite | None = None
    op: str | None = None      # a mutating operation name (consumes and hands back the owner)


@dataclass(frozen=True, eq=False)
class Opaque:
    """Passed to something custody cannot see: state becomes unknown, never an error."""

    local: int
    span: Span
    callee: str


@dataclass(frozen=True, eq=False)
class Borrow:
    loan: Loan


@dataclass(frozen=True, eq=False)
class Release:
    loan: int


@dataclass(frozen=True, eq=False)
class Assign:
    """Start of a re-assignment (`set`): the binding must not be borrowed; its old value is dropped."""

    local: int
    span: Span


@dataclass(frozen=True, eq=False)
class Drop:
    local: int
    span: Span                 # the end of the scope (or the early exit) that drops it
    reason: str = "scope"      # "scope" | "return" | "set"


@dataclass(frozen=True, eq=False)
class Discard:
    """A value that must be consumed was computed and thrown away."""

    span: Span
    ty: str


@dataclass(frozen=True, eq=False)
class ScopeResult:
    """A scope hands a borrowed value to its parent: owners declared inside must not be in `prov`."""

    span: Span
    prov: frozenset
    scope_locals: frozenset
    scope_span: Span


@dataclass(frozen=True, eq=False)
class FnResult:
    """The function returns a borrowed value: only root views (and runtime views) may be returned."""

    span: Span
    prov: frozenset


@dataclass(frozen=True, eq=False)
class BranchMerge:
    """Branches of a conditional yield borrowed values: they must share one borrow source."""

    span: Span
    arms: tuple                # ((span, prov), ...)


Event = (Bind | Use | Move | Opaque | Borrow | Release | Assign | Drop | Discard | ScopeResult
         | FnResult | BranchMerge)


# How messages name things; a front-end replaces these with its language's spelling.
GENERIC_WORDS = {
    "view_type": "view",                      # the borrowed type
    "copy_out": "copy the view into an owned value",
    "consume": "consume it or check it",
}


@dataclass(eq=False)
class Block:
    id: int
    events: list = field(default_factory=list)
    succs: list[int] = field(default_factory=list)
    loop_header: bool = False


@dataclass(eq=False)
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

    def local(self, lid: int) -> Local:
        return self.locals[lid]

    def new_block(self) -> Block:
        b = Block(len(self.blocks))
        self.blocks.append(b)
        return b
