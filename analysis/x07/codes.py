"""X07's catalog of codes: every code the X07 front-end reports, with its title, explanation,
example and fix (analysis/catalog.py assembles `custody explain`, the LSP code links, docs/codes.md
and the README's code list from the registered front-ends' `codes`).

X07-* codes keep X07's numbering and wording so users recognise them. The CUS-* entries here are
custody's own codes for things only X07 has, so they belong to this front-end, not to the shared
catalog:

- CUS-MOVE-0001 (a move in an earlier loop iteration) and CUS-RESULT-0001 (a result or option
  never consumed): X07's codes for the shared checkers' `use_after_move_loop` and `unconsumed`
  rule kinds (lower.py maps them); the text speaks of the X07 compiler and of X07's result_* and
  option_bytes types and their consumers.
- CUS-INPUT-0001: X07 sources are UTF-8 (another language says its own encoding rule).
- CUS-AST-0001: the document is not an x07AST module map.
- CUS-AST-0002: X07's identifier rules (names X07 refuses to build); another language has other
  rules, and reports them under its own code.

The language-neutral entries X07 also reports (a syntax error, nesting too deep, a file too large)
are custody's shared ones (`SHARED`, analysis/catalog.py), listed here in place, not copied. The
order of `CODES` is the order docs/codes.md and the README list them in.
"""
from __future__ import annotations

from ..catalog import SHARED, CodeInfo

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("X07-MOVE-0901", "use after move",
             "An owned value (bytes, vec_u8, option_bytes, result_*) was used after it was moved: passed "
             "to a parameter of owned type, bound with let to another name, or returned. On some paths "
             "only is enough: a move in one branch of an if counts after the if. As in the X07 compiler, "
             "which checks a loop body once, a move reaches a use in the same iteration or after the "
             "loop, and a while's condition, which the compiler checks again after the body; one that "
             "reaches a use only in a later iteration is CUS-MOVE-0001.",
             '(begin (let b (bytes.lit hi)) (let c b) (bytes.len b))   ; b moved into c',
             "Copy before the move: replace the moving occurrence with (view.to_bytes (bytes.view b)), "
             "or borrow instead of moving (pass a bytes_view)."),
    CodeInfo("CUS-MOVE-0001", "moved in an earlier loop iteration",
             "A value declared outside a loop is moved inside the loop body, and a later iteration "
             "uses it (or moves it again) without re-initialising it first, so that iteration sees a "
             "moved (empty) value. The X07 compiler checks a loop body once and does not report this; "
             "at run time the value is silently empty. A flag the loop tests is followed: when the "
             "iteration that moves the value sets an i32 binding to 0 or 1 and the later iterations' "
             "work is guarded by a test of it ((if (= done 0) ...), (while (= done 0) ...), also as an "
             "operand of && where the guard holds, or of || where it fails, and in (if a b 0) and the "
             "other ifs that write && or || out), the move reaches nothing "
             "and is not reported.",
             "(for i 0 3 (begin (let y x) 0))   ; x moved on the first iteration",
             "Copy inside the loop (view.to_bytes (bytes.view x)), or re-initialise x with set before "
             "the next iteration."),
    CodeInfo("X07-MOVE-0902", "borrow conflict",
             "An owner was moved, re-assigned with set, mutated (bytes.set_u8, vec_u8.push/extend_*/"
             "reserve_exact/clear/set/into_bytes) or dropped while a view still borrows it; or a moved "
             "value was borrowed; or a function returns a view of something it owns; or the branches "
             "of an if (or the option and the default of option_bytes_view.unwrap_or / "
             "result_bytes_view.unwrap_or) yield views of different owners (a view parameter or "
             "input counts as no owner, so either may be paired with a view of any one owner). "
             "Borrows are lexical: a let-bound view keeps its owner borrowed until the end of the "
             "enclosing begin, used or not.",
             "(let v (vec_u8.as_view h)) (set h (vec_u8.push h 1))   ; h borrowed by v",
             "End the borrow early: put the let of the view (and its uses) in its own begin, or finish "
             "mutating before taking the view."),
    CodeInfo("X07-MOVE-0001", "bytes.concat uses the same owner on both sides",
             "bytes.concat consumes both arguments; passing the same binding twice moves it twice. "
             "As in X07's own lint the two identifiers are compared by spelling, so a name custody "
             "cannot resolve counts too.",
             "(bytes.concat x x)",
             "Insert a view copy on one side: (bytes.concat (view.to_bytes (bytes.view x)) x)."),
    CodeInfo("X07-MOVE-0002", "if borrows the same owner in its condition and a branch",
             "The condition of an if builds (bytes.view x) and one of its branches builds "
             "(bytes.view x) too, anywhere inside them. This is X07's lint rule (lint.rs, severity "
             "error): x07 lint and x07 check reject the shape, and x07 build rewrites an entry file "
             "that has it, although the compiler itself accepts it (the condition's view is released "
             "before a branch runs; a real conflict in a branch is X07-MOVE-0902). As in X07's own "
             "lint the names are compared by spelling: a let in the branch that shadows x does not "
             "make it another name, and bytes.subview or vec_u8.as_view are not this shape.",
             "(if (= (view.len (bytes.view r)) 0) (bytes.alloc 0) (view.to_bytes (bytes.view r)))",
             "Insert a view copy for the condition: (begin (let r_copy (view.to_bytes (bytes.view r))) "
             "(if (= (view.len (bytes.view r_copy)) 0) ...))."),
    CodeInfo("X07-BORROW-0001", "view of a temporary",
             "bytes.view, bytes.subview, vec_u8.as_view and std.brand.view_v1 need a named local "
             "owner: a view of a temporary would dangle as soon as the temporary is dropped. "
             "Contract clauses (requires, ensures, invariant, decreases, loop_contracts, a "
             "defasync's protocol) and their witnesses are checked as a body is, with the "
             "function's parameters in scope (and __result in ensures and cancellation_ensures).",
             "(view.len (bytes.view (bytes.lit hi)))",
             "Use bytes.view_lit for a literal, or bind the temporary with let first."),
    CodeInfo("X07-BORROW-0002", "view escapes its owner's scope",
             "A begin (or a branch) yields a view that borrows a binding declared inside it; that "
             "owner is dropped when the block ends.",
             "(let v (begin (let b (bytes.lit hi)) (bytes.view b)))",
             "Return an owned copy (view.to_bytes) or bind the owner outside the block."),
    CodeInfo("CUS-RESULT-0001", "result or option never consumed",
             "A result_* or option_bytes value was computed and never looked at. Errors carried by it "
             "are silently lost.",
             "(let r (std.str.from_bytes_v1 raw)) 0",
             "Consume it: try, *_unwrap_or, *_is_ok / *_err_code."),
    SHARED["CUS-SYNTAX-0001"],
    SHARED["CUS-SYNTAX-0002"],
    CodeInfo("CUS-INPUT-0001", "not UTF-8", "X07 sources are UTF-8; this file has an invalid byte.", "",
             "Re-save the file as UTF-8."),
    SHARED["CUS-INPUT-0002"],
    CodeInfo("CUS-AST-0001", "not an X07 module", "The document is not an x07AST module map, or repeats a key. An empty file, or one "
             "with nothing but comments, is not a module either (so it is not reported as clean).",
             "", "Start from {:kind module :module_id m :imports () :decls (...)}."),
    CodeInfo("CUS-AST-0002", "a name X07 does not accept",
             "X07 refuses a declaration whose name breaks its identifier rules, so the file would not "
             "build with X07. Function, record and enum names (and exported names) are dot-separated "
             "segments, each an ASCII letter or _ followed by ASCII letters, digits, _ or -. Parameter, "
             "record field and enum variant names are an ASCII letter or _ followed by ASCII letters, "
             "digits or _ (and a parameter may not be called input). A let or for binding may be any "
             "atom without whitespace.",
             '{:kind defn :name "main.f */ x" :params ({:name "my param" :ty i32}) :result i32 :body 0}',
             "Rename it within the rules, e.g. main.f_x and my_param."),
)
