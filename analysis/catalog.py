"""Every diagnostic code custody emits, defined once: title, explanation, example, fix.

The CLI (`custody explain`), the LSP's codeDescription and the README's code list all read this.
Each language front-end supplies its own catalog of codes (`FrontEnd.codes`, e.g.
analysis/x07/codes.py); this module holds `CodeInfo`, custody's shared, language-neutral entries
(`SHARED`), and assembles the full catalog from the front-ends registered in
analysis/languages.py (it names no front-end itself).

Shared here: a syntax error (CUS-SYNTAX-0001, reported by analysis/syntax_errors.py for any
tree-sitter front-end), nesting deeper than custody analyses (CUS-SYNTAX-0002), a file larger than
custody analyses (CUS-INPUT-0002), and `custody run`'s codes (CUS-RUN-*: the command, its sandbox
and its report are custody's, in runtime_c/ and server/; their wording names X07 because X07 is the
only language custody runs today). A front-end lists the shared entries it reports in its `codes`,
in place; codes about one language only (X07's names, its module map, its types) live with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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

    def to_json(self) -> dict:
        """The entry as JSON (the MCP server's `explain` tool and catalog resource)."""
        return {"code": self.code, "title": self.title, "explanation": self.explanation,
                "example": self.example, "fix": self.fix, "url": self.url}

    def text(self) -> str:
        """What `custody explain CODE` prints (without the last newline)."""
        out = f"{self.code}: {self.title}\n\n{self.explanation}\n\n"
        if self.example:
            example = "\n".join("    " + line if line.strip() else "" for line in self.example.split("\n"))
            out += f"Example:\n{example}\n\n"
        return out + f"Fix: {self.fix}"


_SHARED_ENTRIES = [
    CodeInfo("CUS-SYNTAX-0001", "syntax error",
             "The file does not parse here. Only the declaration that holds the error goes unanalysed; "
             "the rest of the file keeps its diagnostics.",
             '{:kind module :decls ((defn}', "Fix the brackets or the string at the marked place."),
    CodeInfo("CUS-SYNTAX-0002", "nested too deeply",
             "The expression nests deeper than custody analyses (200 levels).", "", "Split the expression with let."),
    CodeInfo("CUS-INPUT-0002", "file too large", "custody analyses files up to 16 MiB.", "", "Split the module."),
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

SHARED: dict[str, CodeInfo] = {e.code: e for e in _SHARED_ENTRIES}


@lru_cache(maxsize=None)
def _assembled() -> tuple[tuple[CodeInfo, ...], dict[str, CodeInfo]]:
    """The full catalog: each registered front-end's `codes` in registration order, then the
    shared entries no front-end lists (custody run's). Built on first use, so that a front-end
    can import this module for `CodeInfo` and `SHARED` while the registry is being set up."""
    from .languages import LANGUAGES

    by_code: dict[str, CodeInfo] = {}
    for info in [*LANGUAGES.codes, *_SHARED_ENTRIES]:
        known = by_code.setdefault(info.code, info)
        if known is not info:
            raise ValueError(f"two catalog entries for {info.code}: a code is defined once")
    return tuple(by_code.values()), by_code


def __getattr__(name: str):
    """`CATALOG`: code -> entry, every code custody reports (assembled on first use)."""
    if name == "CATALOG":
        return _assembled()[1]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def markdown() -> str:
    """docs/codes.md: the page every codeDescription link points into (one heading per code)."""
    out = ["# custody diagnostic codes", "",
           "Generated from `analysis/catalog.py` (`python -m custody.analysis.catalog > docs/codes.md`); "
           "`custody explain CODE` prints the same text.", ""]
    from .languages import LANGUAGES

    fence: dict[str, str] = {}        # the first front-end listing a code writes its example
    for lang in LANGUAGES.languages:
        for info in lang.codes:
            fence.setdefault(info.code, lang.vocabulary.code_language)
    for info in _assembled()[0]:
        out += [f"## {info.code}", "", f"**{info.title}**", "", info.explanation, ""]
        if info.example:
            out += ["Example:", "", "```" + fence.get(info.code, ""), info.example, "```", ""]
        out += [f"Fix: {info.fix}", ""]
    return "\n".join(out)


def table() -> str:
    """The README's code list: one row per code, linked to its docs/codes.md entry."""
    rows = ["| code | what |", "|---|---|"]
    rows += [f"| [{e.code}](docs/codes.md#{e.code.lower()}) | {e.title} |" for e in _assembled()[0]]
    return "\n".join(rows) + "\n"


def lookup(code: str) -> CodeInfo | None:
    return _assembled()[1].get(code.upper())


if __name__ == "__main__":
    import sys

    from . import catalog   # the imported module, whose entries the front-ends reference (not __main__'s)

    print(catalog.table() if sys.argv[1:] == ["table"] else catalog.markdown(), end="")
