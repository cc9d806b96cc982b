"""Kea's catalog of codes: one per rule of Kea's move checker and `@fip` verifier that custody
reports (docs/kea.md, "Rules"), with Kea's own message texts and help lines. K1 (which values are
tracked) and K9 (auto-borrow) decide what is reported but have no message of their own.

`MESSAGES` are the exact texts Kea prints (templates); `HELP` the help line Kea attaches, which
custody shows as related information at the finding's own range."""
from __future__ import annotations

from ..catalog import SHARED, CodeInfo

K2, K3, K4, K5, K6, K7, K8 = "KEA-K2", "KEA-K3", "KEA-K4", "KEA-K5", "KEA-K6", "KEA-K7", "KEA-K8"
K10, K11, K12 = "KEA-K10", "KEA-K11", "KEA-K12"

MESSAGES = {
    K2: "use of moved value `{name}`",
    K3: "use of moved value `{name}`",
    K4: "borrowed value `{name}` cannot be consumed",
    K5: "branch move mismatch for `{name}`: both branches must agree on move state",
    K6: "branch move mismatch for `{name}`: all case arms must agree on move state",
    K10: "State effect payload cannot contain `Unique`; found `State {payload}` in {context}",
    K12: "`@fip` verification failed for `{name}` ({failures})",
}

HELP = {
    K2: "`Unique` values move on use; pass by `borrow` (step 2) or avoid reusing after move.",
    K3: "`Unique` values cannot be borrowed after they are moved.",
    K4: "borrow parameters are read-only in step 2; pass to another borrow parameter or return a new "
        "value instead.",
    K5: "move the value in both branches or keep it live in both branches.",
    K6: "move the value in every arm or keep it live in every arm.",
    K10: "`State` duplicates its payload through `get()`. `Unique` values cannot be duplicated; keep "
         "`Unique` outside `State` and pass owned values explicitly.",
    K12: "expected no disallowed heap allocation ops, no retain/explicit release ops, valid reuse-token "
         "flow, and no remaining TRMC candidates after MIR lowering.",
}

CODES: tuple[CodeInfo, ...] = (
    CodeInfo(K2, "use of moved value",
             "A `Unique` value (a parameter or `let` of type `Unique T`, `Unique(T)` or an alias of it) "
             "moves on every use: passed to a consuming parameter, bound with `let` to another name, "
             "returned (the tail expression), matched with `case`, captured by a lambda (K7). Using it "
             "again afterwards is an error. A lambda moves every `Unique` variable it mentions when it "
             "is created, called or not.",
             "let u = Unique(7)\nlet a = take(u)\nlet b = take(u)   -- use of moved value `u`",
             "Use the value once, pass it where it is only read (a `borrow` parameter, or one auto-borrow "
             "infers), or use what you need before the move."),
    CodeInfo(K3, "read of a moved value",
             "A bare variable passed at a `borrow` position (declared, or inferred by auto-borrow, K9) "
             "is read, not moved; reading a value that was already moved is an error.",
             "let a = take(u)\nlet n = size(u)   -- size(borrow b: Unique Int): u was moved",
             "Read the value before the move."),
    CodeInfo(K4, "borrowed value consumed",
             "A `borrow` parameter is lent to the function: it may be read (passed to another borrow "
             "position) but not consumed: not returned, aliased with `let`, passed to a consuming "
             "parameter or an effect operation, matched with `case`, or captured by a lambda (including "
             "in handler and `then` clauses).",
             "fn leak(borrow v: Unique Int) -> Unique Int\n  v   -- borrowed value `v` cannot be consumed",
             "Pass it only to other `borrow` parameters, or take it by value (drop `borrow`)."),
    CodeInfo(K5, "branches of an if disagree on a move",
             "The branches of an `if` (a missing `else` counts as leaving everything unchanged) must leave "
             "each `Unique` value in the same state: moved in both or live in both. Kea reports a "
             "disagreement at the `if`, even when the value is not used afterwards; custody marks the "
             "`if` keyword.",
             "if flag\n  take(u)\nelse\n  0   -- u moved in one branch only",
             "Move the value in both branches, or keep it live in both."),
    CodeInfo(K6, "arms of a case disagree on a move",
             "The arms of a `case` must agree in the same way as the branches of an `if` (K5); custody "
             "marks the `case` keyword.",
             "case n\n  0 -> take(u)\n  _ -> 1   -- u moved in one arm only",
             "Move the value in every arm, or keep it live in every arm."),
    CodeInfo(K7, "lambda captures a moved value",
             "A lambda moves every `Unique` variable it mentions at the place it is written, whether or "
             "not it is ever called; a variable moved before is a use of a moved value there, a "
             "variable used after it is one at that use. Its body is checked on its own.",
             "let f = || take(u)\ntake(u)   -- u moved into the lambda",
             "Pass the value to the lambda as a parameter instead of capturing it."),
    CodeInfo(K8, "handler clause uses a moved value",
             "Each clause of a `handle` is checked on its own copy of the state: what a clause moves does "
             "not escape it, but a value moved before the `handle` (or by the handled expression) is moved "
             "in every clause. The `then` clause continues the main state.",
             "take(u)\nhandle Tick.step()\n  Tick.step() -> take(u)",
             "Do not use in a clause what the code before the handler consumed."),
    CodeInfo(K10, "State payload contains Unique",
             "The payload of a `State` effect in an effect row must not contain `Unique`, directly, "
             "through a type alias or inside a record: `State.get()` would duplicate it.",
             "fn bad() -[State UniqueInt]> Int",
             "Keep the `Unique` value outside `State` and pass it explicitly."),
    CodeInfo(K11, "misplaced @fip",
             "`@fip` takes no arguments and annotates functions only (not records, types, fields or "
             "variants).",
             "@fip(\"strict\")\npub fn f(x: Int) -> Int",
             "Write `@fip` alone on the line above a function."),
    CodeInfo(K12, "@fip ownership flow",
             "A function annotated `@fip` must hand each of its `Unique` parameters on exactly once on "
             "every path (returned, or passed to a verified forwarder), must not let it escape through "
             "an argument of another call, and may call only verified single-handoff forwarders. "
             "custody checks this HIR-level part of Kea's verifier (unique_flow_violations, "
             "unsupported_call_boundaries, and raw_hir_expr_count for expression guards `e when c`, "
             "which Kea's HIR keeps raw); the MIR-level checks (allocation, retain/release, reuse "
             "tokens, TRMC) are not checked (docs/kea.md).",
             "@fip\npub fn dup(x: Unique Int) -> (Unique Int, Unique Int)\n  (x, x)",
             "Hand the value on once per path, through a forwarder Kea can verify."),
    SHARED["CUS-SYNTAX-0001"],
    SHARED["CUS-SYNTAX-0002"],
    SHARED["CUS-INPUT-0002"],
)
