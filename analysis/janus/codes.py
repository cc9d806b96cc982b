"""Janus's catalog of codes: one per rule of Janus's planned ownership model that custody checks
(docs/janus.md, "Rules" J1-J7). Janus's own codes where it reserves one (S6003 use after move,
S6002 conflicting borrows, S6001 lifetime exceeded, E3001 LinearLeak), prefixed `JAN-`; custody's
own otherwise. Nothing here is enforced by Janus's compiler today: every rule is opt-in per
construct (`~T`, `move x`, `owned`, `&mut` with borrows on, `unsafe`, `region`, `profile`)."""
from __future__ import annotations

from ..catalog import SHARED, CodeInfo

USE_AFTER_MOVE = "JAN-S6003"
DOUBLE_MOVE = "JAN-MOVE-0001"
MAYBE_MOVED = "JAN-MOVE-0002"
LINEAR_LEAK = "JAN-E3001"
BORROW_CONFLICT = "JAN-S6002"
RAW_DEREF = "JAN-UNSAFE-0001"
PROFILE = "JAN-PROFILE-0001"
REGION_ESCAPE = "JAN-S6001"

MESSAGES = {
    USE_AFTER_MOVE: "use after move: `{name}`",
    DOUBLE_MOVE: "`{name}` is moved twice",
    MAYBE_MOVED: "`{name}` may have been moved: it was moved on some paths to here",
    LINEAR_LEAK: "LinearLeak: linear value `{name}` ({ty}) is not consumed by the end of its scope",
    BORROW_CONFLICT: "conflicting borrows of `{name}`: {what}",
    RAW_DEREF: "dereference of raw pointer `{name}` outside an `unsafe` block",
    REGION_ESCAPE: "`{name}` is allocated in {region} and escapes it {how}",
}

CODES: tuple[CodeInfo, ...] = (
    CodeInfo(USE_AFTER_MOVE, "use after move",
             "A tracked value was used after it was moved (J1, SPEC-015 [OWN:2.2]; Janus reserves S6003 "
             "use_after_move). Tracking is opt-in: a binding is tracked when it is a linear `~T` value, an "
             "`owned` parameter, or the operand of `move x` somewhere in its function. It moves at `move x`, "
             "as a bare argument to an `owned` or `~T` parameter of a function of this file, and (a linear "
             "value only) when bound to another name, returned, stored, or passed bare to a function custody "
             "cannot see. `let y = x` of a value that is not linear is a logical copy and moves nothing.",
             "process(move data)\nprint(data.len)   // use after move: `data`",
             "Copy before the move (`data.clone()` instead of `move data`), or use the value before it moves."),
    CodeInfo(DOUBLE_MOVE, "moved twice",
             "A tracked value is moved a second time (J1, `double_move` of Janus's unique_dispatch.zig): the "
             "second `move x`, or a second hand-off of a linear value, finds it already moved.",
             "consume(move buf)\nconsume(move buf)   // `buf` is moved twice",
             "Move a copy the first time (`buf.clone()`), or hand the value on once."),
    CodeInfo(MAYBE_MOVED, "maybe moved",
             "After a join of control flow (an `if` without `else`, a `match` arm, a loop), the value was "
             "moved on some paths and not on others; accessing it (reading, borrowing or moving it again) "
             "is an error (J4, [OWN:6.1.3]). Janus reports "
             "this on access, not at the join: a value moved in one branch and never used again is fine.",
             "if flag do\n  consume(move buf)\nend\nprint(buf.len)   // `buf` may have been moved",
             "Move the value on every path, or use it only where it is certainly live."),
    CodeInfo(LINEAR_LEAK, "LinearLeak",
             "A linear value (a binding or parameter of type `~T`) must be consumed exactly once before its "
             "scope ends (J2, [OWN:2.3], Janus's E3001 LinearLeak): moved with `move`, passed bare to a "
             "function that takes it (an `owned`/`~T` parameter, or a function custody cannot see), returned, "
             "stored, or consumed by a `defer` (`defer close(f)` consumes `f` at scope exit). Reading it "
             "(`f.size()`, `&f`) does not consume it. Reported at the binding, with the scope end as related "
             "location.",
             "let f: ~File = open(path)\nprint(f.size())\n// end of scope: `f` is not consumed",
             "Consume the value: insert the consuming call (`close(f)`) before the scope ends, or `defer` it."),
    CodeInfo(BORROW_CONFLICT, "conflicting borrows",
             "Readers XOR one writer (J3, [OWN:4.1-4.3], Janus's S6002 borrow_conflict): while a `&mut x` "
             "borrow is live (until the last use of the binding holding it), `x` may not be read, borrowed or "
             "assigned; while a `&x` borrow is live, `x` may not be borrowed `&mut` or assigned. Off by "
             "default (nothing in Janus defines it yet): turn it on with `borrows = true` under `[janus]` in "
             "custody.toml.",
             "let w = &mut v\nlet r = &v      // conflicting borrows of `v`\nw.push(1)",
             "End the first borrow before taking the other (use it last before the new borrow)."),
    CodeInfo(RAW_DEREF, "raw pointer dereference outside unsafe",
             "Dereferencing a raw pointer (`*p`) needs an `unsafe` block in the `:service` profile (J5, "
             "[OWN:7.1]); `:core` and `:script` have no raw pointers at all; `:sovereign` allows them "
             "everywhere. Checked in a file that declares a profile or uses ownership syntax.",
             "profile :service\nfunc peek(p: *u8) -> u8 do\n  return *p   // outside `unsafe`\nend",
             "Wrap the dereference in `unsafe { … }`, or use a safe accessor."),
    CodeInfo(PROFILE, "not available in this profile",
             "The file's `profile` forbids this construct (J6, [OWN:8], core_profile_validator.zig): `:core` "
             "has no `using` declarations, `unsafe` blocks, `region` blocks, traits or impl blocks; `:script` "
             "has no `unsafe` blocks; neither has C interop (`import c \"stdlib.h\"` needs `:service` or "
             "higher). Checked only when the file declares `profile :core` or `:script`; the "
             "message is Janus's own where it has one.",
             "profile :core\nusing f = open(path) do … end   // Using declarations are not available in :core profile",
             "Move the code to a file of a profile that allows it (`profile :service`), or write it without "
             "the construct."),
    CodeInfo(REGION_ESCAPE, "region allocation escapes",
             "A value allocated in a region (`with_scratchpad |s|` or `region r do`, by a call on the region: "
             "`s.alloc(…)`) is freed when the region ends; returning it, or assigning it to a binding declared "
             "outside the region it lives in (regions nest), lets it outlive its memory (J7, memory-model "
             "v0.2.5; Janus's S6001 lifetime_exceeded). A binding holds region memory when initialised by an "
             "allocation, by another such binding, or (declared in the region) assigned an allocation. A "
             "warning: escape analysis is planned in Janus, not specified.",
             "with_scratchpad |s| do\n  let p = s.alloc(parse(req))\n  return p   // escapes the scratchpad\nend",
             "Short-lived values belong in the region, long-lived ones not (the seed's doctrine): copy the value "
             "out (`p.to_persistent()`), allocate it as an owned value instead (`parse(req)` for "
             "`s.alloc(parse(req))`), or, in `:service`/`:sovereign`, allocate it from an explicit allocator "
             "the caller passes (`allocator.alloc(…)`, an `allocator: Allocator` parameter)."),
    SHARED["CUS-SYNTAX-0001"],
    SHARED["CUS-SYNTAX-0002"],
    SHARED["CUS-INPUT-0002"],
)
