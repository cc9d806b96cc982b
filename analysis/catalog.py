"""Every diagnostic code custody emits, defined once: title, explanation, example, fix.

The CLI (`custody explain`), the LSP's codeDescription and the README's code list all read this.
X07 codes keep X07's numbering and wording so users recognise them; CUS- codes are custody's own.
"""
from __future__ import annotations

from dataclasses import dataclass

DOCS_BASE = "https://github.com/custody-lsp/custody/blob/main/docs/codes.md"


@dataclass(frozen=True)
class CodeInfo:
    code: str
    title: str
    explanation: str
    example: str
    fix: str

    @property
    def url(self) -> str:
        return f"{DOCS_BASE}#{self.code.lower()}"


_ENTRIES = [
    CodeInfo("X07-MOVE-0901", "use after move",
             "An owned value (bytes, vec_u8, option_bytes, result_*) was used after it was moved: passed "
             "to a parameter of owned type, bound with let to another name, or returned. On some paths "
             "only is enough: a move in one branch of an if counts after the if.",
             '(begin (let b (bytes.lit hi)) (let c b) (bytes.len b))   ; b moved into c',
             "Copy before the move: replace the moving occurrence with (view.to_bytes (bytes.view b)), "
             "or borrow instead of moving (pass a bytes_view)."),
    CodeInfo("CUS-MOVE-0001", "moved in an earlier loop iteration",
             "A value declared outside a loop is moved inside the loop body, so the second iteration "
             "sees a moved (empty) value. The X07 compiler analyses loop bodies once and does not "
             "report this; at run time the value is silently empty.",
             "(for i 0 3 (begin (let y x) 0))   ; x moved on the first iteration",
             "Copy inside the loop (view.to_bytes (bytes.view x)), or re-initialise x with set before "
             "the next iteration."),
    CodeInfo("X07-MOVE-0902", "borrow conflict",
             "An owner was moved, re-assigned with set, mutated (bytes.set_u8, vec_u8.push/extend_*/"
             "reserve_exact/clear/set/into_bytes) or dropped while a view still borrows it; or a moved "
             "value was borrowed; or a function returns a view of something it owns; or the branches "
             "of an if yield views of different owners. Borrows are lexical: a let-bound view keeps "
             "its owner borrowed until the end of the enclosing begin, used or not.",
             "(let v (vec_u8.as_view h)) (set h (vec_u8.push h 1))   ; h borrowed by v",
             "End the borrow early: put the let of the view (and its uses) in its own begin, or finish "
             "mutating before taking the view."),
    CodeInfo("X07-MOVE-0001", "bytes.concat uses the same owner on both sides",
             "bytes.concat consumes both arguments; passing the same binding twice moves it twice.",
             "(bytes.concat x x)",
             "Insert a view copy on one side: (bytes.concat (view.to_bytes (bytes.view x)) x)."),
    CodeInfo("X07-MOVE-0002", "if borrows the same owner in its condition and a branch",
             "The condition of an if builds a view of an owner that a branch also borrows; X07 "
             "rejects this shape. custody matches bindings, not spellings: a shadowing let is a "
             "different owner.",
             "(if (= (view.len (bytes.view r)) 0) (bytes.alloc 0) (view.to_bytes (bytes.view r)))",
             "Insert a view copy for the condition: (begin (let r_copy (view.to_bytes (bytes.view r))) "
             "(if (= (view.len (bytes.view r_copy)) 0) ...))."),
    CodeInfo("X07-BORROW-0001", "view of a temporary",
             "bytes.view, bytes.subview, vec_u8.as_view and std.brand.view_v1 need a named local "
             "owner: a view of a temporary would dangle as soon as the temporary is dropped.",
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
    CodeInfo("CUS-SYNTAX-0001", "syntax error",
             "The file does not parse here. Only the declaration that holds the error goes unanalysed; "
             "the rest of the file keeps its diagnostics.",
             '{:kind module :decls ((defn}', "Fix the brackets or the string at the marked place."),
    CodeInfo("CUS-SYNTAX-0002", "nested too deeply",
             "The expression nests deeper than custody analyses (200 levels).", "", "Split the expression with let."),
    CodeInfo("CUS-INPUT-0001", "not UTF-8", "X07 sources are UTF-8; this file has an invalid byte.", "",
             "Re-save the file as UTF-8."),
    CodeInfo("CUS-INPUT-0002", "file too large", "custody analyses files up to 16 MiB.", "", "Split the module."),
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
    # ---- custody run: the program executed on the bundled runtime (diagnostic source custody-run)
    CodeInfo("CUS-RUN-0001", "not supported by custody run yet",
             "`custody run` translates X07 to C for its bundled runtime. This construct (a builtin, a "
             "stdlib module or a form) has no translation yet, so the program is not run rather than "
             "run wrongly. Static diagnostics are unaffected.",
             "(os.fs.read_file path)   ; world I/O is not part of the run sandbox",
             "Run the function that does not use it, or check the program with the X07 toolchain."),
    CodeInfo("CUS-RUN-0002", "the program trapped",
             "The run stopped at this node: fuel exhausted (a loop that does not end, or a budget too "
             "small), an allocation over the memory cap, an index out of range, an unwrap of none or "
             "err, a use of freed memory, or a crash. (Division by zero does not trap: as in X07, "
             "x / 0 is 0 and x % 0 is x.)",
             "(while 1 0)   ; never ends: stops at the fuel limit",
             "Fix the cause the message names; raise --fuel or --mem-cap only when the program really "
             "needs more."),
    CodeInfo("CUS-RUN-0003", "memory leaked",
             "When the program finished, memory allocated here was still live (live_bytes or "
             "live_allocs was not 0). Drop glue frees every owned value custody can see, so a leak "
             "comes from unsafe code or an unchecked build.",
             "", "Free the buffer on every path, or give it an owner whose scope ends."),
    CodeInfo("CUS-RUN-0004", "borrow broken at run time",
             "The debug borrow table (--debug-borrows) saw an access through a view whose borrow had "
             "ended or whose owner was freed, a mutation, move or drop of an owner while a view of it "
             "was live, or a use after move.",
             "", "Same fixes as the static diagnostics: copy the view (view.to_bytes), end the borrow "
             "before mutating the owner, or keep the owner alive as long as its views."),
    CodeInfo("CUS-RUN-0005", "the program could not be built",
             "The C compiler rejected the translation of this program (a custody bug), or no C "
             "compiler was found (custody run needs `cc`, `gcc` or `clang`, or $CC).",
             "", "Install a C compiler; if one is present, report the message as a custody bug."),
    CodeInfo("CUS-RUN-0006", "sandbox violation",
             "The program tried something the run sandbox forbids: once the runtime has read the "
             "input, the program may only compute, use memory and write its result. Opening a file, "
             "a network socket, starting a process or another program, signalling or tracing a "
             "process, making memory executable, or any other system call is stopped before it has "
             "an effect, and the run ends here. (Before that, the program already runs as a "
             "throwaway user without network and with every file system read-only.) Also reported, "
             "before anything is built, when this machine cannot provide the sandbox (a kernel "
             "without seccomp): then custody run refuses to run the program unless you pass "
             "--unconfined.",
             "", "Remove the I/O or process call: an X07 program gets its input as bytes and returns "
             "its output. If the message says the sandbox is unavailable, run on a kernel with seccomp "
             "or pass --unconfined for code you trust."),
]

CATALOG: dict[str, CodeInfo] = {e.code: e for e in _ENTRIES}


def markdown() -> str:
    """docs/codes.md: the page every codeDescription link points into (one heading per code)."""
    out = ["# custody diagnostic codes", "",
           "Generated from `analysis/catalog.py` (`python -m custody.analysis.catalog > docs/codes.md`); "
           "`custody explain CODE` prints the same text.", ""]
    for info in _ENTRIES:
        out += [f"## {info.code}", "", f"**{info.title}**", "", info.explanation, ""]
        if info.example:
            out += ["Example:", "", "```x07", info.example, "```", ""]
        out += [f"Fix: {info.fix}", ""]
    return "\n".join(out)


def table() -> str:
    """The README's code list: one row per code, linked to its docs/codes.md entry."""
    rows = ["| code | what |", "|---|---|"]
    rows += [f"| [{e.code}](docs/codes.md#{e.code.lower()}) | {e.title} |" for e in _ENTRIES]
    return "\n".join(rows) + "\n"


def lookup(code: str) -> CodeInfo | None:
    return CATALOG.get(code.upper())


if __name__ == "__main__":
    import sys

    print(table() if sys.argv[1:] == ["table"] else markdown(), end="")
