"""What custody knows about a callee (docs/c.md "Summaries"): per parameter whether it is an
`own_` sink and whether it consumes `always`, `on_success` or `never` (and whether it destroys),
and whether the returned pointer is owned, borrowed, conditional or unknown — each fact with the
source that decided it (custody.toml > implementation > doc comment > const > name verb >
unknown), so hovers and messages can say why.

Why learned and not listed: AgeRun has ~650 declarations whose docs and implementations disagree
in known ways (agerun.md 4.3: `ar_agency__send_to_agent` says "on success" and always consumes).
The implementation, when custody can read it, is the truth; the doc comes next; the name last.

The workspace index (`Workspace`) reads every `.h`/`.c` next to the checked file and under the
module roots once, keeps each file's declarations, and re-reads a file when its stamp changes
(the editor's overlay wins over the disk). Learned summaries are memoised until any indexed file
changes; a cached unit is re-validated by looking its callees up again and comparing.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from ..source import LineIndex, Span
from ..source import file_stamp
from .config import CConfig, ConfigCache
from .syntax import CFunction, ParsedC, new_parser, parse, prefix_of

MAX_DIR_FILES = 5000

# ---- the facts --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamFact:
    name: str
    ty: str
    depth: int
    const: bool
    fnptr: bool = False
    consumes: str = ""         # "" (not a sink) | always | on_success | never
    destroys: bool = False
    origin: str = ""           # where `consumes` comes from

    @property
    def prefix(self) -> str:
        return prefix_of(self.name)

    @property
    def sink(self) -> bool:
        return self.consumes in ("always", "on_success")


@dataclass(frozen=True)
class Summary:
    name: str
    params: tuple[ParamFact, ...]
    variadic: bool
    returns: str               # owned | borrowed | conditional | unknown | none (not a pointer)
    returns_origin: str
    ret_type: str
    signature: str
    origin: str                # where the declaration was read ("ar_agency.h", "this file", "builtin")
    path: str | None = field(default=None, compare=False)
    name_span: Span | None = field(default=None, compare=False)   # where it was when summarised

    def param(self, i: int) -> ParamFact | None:
        return self.params[i] if 0 <= i < len(self.params) else None

    @property
    def on_success(self) -> bool:
        return any(p.consumes == "on_success" for p in self.params)


def _builtin(name, params, returns, ret="void *", variadic=False) -> Summary:
    ps = tuple(ParamFact(n, t, d, c, consumes=cons, destroys=des, origin="builtin")
               for n, t, d, c, cons, des in params)
    sig = f"{ret}{'' if ret.endswith('*') else ' '}{name}({', '.join(p.ty + ('' if p.ty.endswith('*') else ' ') + p.name for p in ps)})"
    return Summary(name, ps, variadic, returns, "allocator" if returns == "owned" else "builtin", ret, sig, "builtin")


_FREE = ("own_ptr", "void *", 1, False, "always", True)
_N = ("size", "size_t", 0, False, "", False)
_DESC = ("description", "const char *", 1, True, "", False)
BUILTINS: dict[str, Summary] = {
    "AR__HEAP__MALLOC": _builtin("AR__HEAP__MALLOC", [_N, _DESC], "owned"),
    "AR__HEAP__CALLOC": _builtin("AR__HEAP__CALLOC", [("count", "size_t", 0, False, "", False), _N, _DESC], "owned"),
    "AR__HEAP__STRDUP": _builtin("AR__HEAP__STRDUP", [("ref_str", "const char *", 1, True, "", False), _DESC], "owned",
                                 "char *"),
    "AR__HEAP__REALLOC": _builtin("AR__HEAP__REALLOC", [("mut_ptr", "void *", 1, False, "", False), _N, _DESC], "owned"),
    "AR__HEAP__FREE": _builtin("AR__HEAP__FREE", [_FREE], "none", "void"),
    "malloc": _builtin("malloc", [_N], "owned"),
    "calloc": _builtin("calloc", [("count", "size_t", 0, False, "", False), _N], "owned"),
    "realloc": _builtin("realloc", [("mut_ptr", "void *", 1, False, "", False), _N], "owned"),
    "strdup": _builtin("strdup", [("ref_str", "const char *", 1, True, "", False)], "owned", "char *"),
    "free": _builtin("free", [_FREE], "none", "void"),
}
REALLOCS = frozenset({"AR__HEAP__REALLOC", "realloc"})
RAW_ALLOCATORS = frozenset({"malloc", "calloc", "realloc", "strdup", "free"})
# the C library and AgeRun's assertion macros: they read their arguments and keep nothing
LENDING = frozenset("""strlen strcmp strncmp strchr strrchr strstr strcpy strncpy strcat strncat memcpy memmove
memset memcmp printf fprintf sprintf snprintf vsnprintf vfprintf puts fputs fputc putchar fwrite fread fgets
fflush sscanf atoi atol atoll strtol strtoll strtoul strtoull strtod isdigit isalpha isalnum isspace toupper
tolower assert AR_ASSERT sizeof abs labs fabs floor ceil qsort bsearch perror strerror strtok getenv
AR_ASSERT_OWNERSHIP AR_ASSERT_TRANSFERRED AR_ASSERT_NOT_USED_AFTER_FREE""".split())

# ---- reading a doc comment --------------------------------------------------------------

_OWNED_DOC = re.compile(r"owned by (the )?caller|returns? an? (new(ly)? )?owned|caller (must|should) (destroy|free)"
                        r"|caller owns|caller takes ownership|newly allocated|OWNER:|^\s*@return\s+owned", re.I)
_BORROWED_DOC = re.compile(r"borrow|do not (free|destroy)|must not (free|destroy)|should not (free|destroy)"
                           r"|not transfer any ownership for the return|BORROW:|fixture (owns|manages)", re.I)
_ON_SUCCESS_DOC = re.compile(r"on success|only if returning true|caller must destroy (it )?on failure"
                             r"|transferred on success", re.I)
_ALWAYS_DOC = re.compile(r"fails?, (the )?function will destroy|even (on|if|when) .{0,20}fail", re.I)
_DOC_LINE = re.compile(r"^\s*(/\*+|\*+/?|//+)?\s?", re.M)


def _doc_lines(doc: str) -> list[str]:
    """The doc's lines without comment markers; a line continuing an `@tag` line is joined to it."""
    lines: list[str] = []
    for raw in doc.splitlines():
        line = _DOC_LINE.sub("", raw, count=1).strip()
        if line.endswith("*/"):
            line = line[:-2].strip()
        if not line:
            continue
        if lines and not line.startswith("@") and lines[-1].startswith("@"):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def doc_returns(doc: str) -> str | None:
    """owned / borrowed from the doc's return and ownership wording (parameters' lines excluded)."""
    if not doc:
        return None
    owned = borrowed = False
    for line in _doc_lines(doc):
        if line.startswith("@param"):
            continue
        if line.startswith("@note") and "ownership" not in line.lower() and "OWNER" not in line and "BORROW" not in line:
            continue
        if _OWNED_DOC.search(line):
            owned = True
        # a clause naming a parameter is about that parameter, unless it says what is returned
        # ("@return A borrowed pointer into mut_buffer"; "Returns an owned value; ref_log is borrowed")
        for clause in re.split(r"[;.]\s", line):
            if _BORROWED_DOC.search(clause) and (
                    line.startswith("@return") and re.search(r"\bborrowed\b.*\b(into|from|of)\b", clause)
                    or re.search(r"\breturns?\b", clause, re.I)
                    or not re.search(r"(parameter|argument|own_|ref_|mut_)", clause)):
                borrowed = True
    if owned and not borrowed:
        return "owned"
    if borrowed and not owned:
        return "borrowed"
    return None


def doc_consumes(doc: str, sinks: list[str]) -> dict[str, str]:
    """Per `own_` parameter: on_success / always when the doc says so."""
    out: dict[str, str] = {}
    if not doc or not sinks:
        return out
    for line in _doc_lines(doc):
        if line.startswith("@return"):
            continue
        always = bool(_ALWAYS_DOC.search(line))
        on_success = bool(_ON_SUCCESS_DOC.search(line))
        if not (always or on_success):
            continue
        if line.startswith("@param"):
            words = line.split()
            named = [words[1]] if len(words) > 1 and words[1] in sinks else []
        else:
            named = [s for s in sinks if re.search(rf"\b{re.escape(s)}\b", line)]
            if not named and re.search(r"ownership|takes|transfer|consume", line, re.I):
                named = list(sinks)
        for s in named:
            if always:
                out[s] = "always"
            elif out.get(s) != "always":
                out[s] = "on_success"
    return out


_OWNED_VERBS = frozenset("create make copy take parse build format read extract join normalize items refs "
                         "claim".split())
_BORROWED_VERBS = frozenset({"get", "find", "lookup"})


# the verbs AgeRun's naming rule itself gives to functions returning owned values (the others
# above are custody's inference for bodiless declarations)
_CONVENTION_OWNED_VERBS = frozenset({"create", "make", "copy", "take"})


def _verb(name: str) -> str | None:
    if "__" in name:
        return name.split("__", 1)[1]
    if name.startswith("_"):
        return name.lstrip("_")
    return None


def convention_says_owned(name: str) -> bool:
    """Does AgeRun's naming rule itself (create/make/copy/take) say `name` returns an owned value?"""
    verb = _verb(name)
    if verb is None:
        return False
    words = verb.split("_")
    return words[0] in _CONVENTION_OWNED_VERBS or words[-1] == "copy"


def verb_returns(name: str) -> str | None:
    verb = _verb(name)
    if verb is None:
        return None
    if name.startswith("ar_data__list_remove"):
        return "owned"
    words = verb.split("_")
    if words[0] in _OWNED_VERBS or words[-1] == "copy":
        return "owned"
    if words[0] in _BORROWED_VERBS:
        return "borrowed"
    return None


_DESTROYS_FIRST = re.compile(r"__destroy(_if_owned)?\Z")


def is_destroy_name(name: str) -> bool:
    return bool(re.match(r"ar_\w+__destroy", name))


# ---- the workspace index ------------------------------------------------------------------


@dataclass
class FileFacts:
    path: str
    stamp: object
    parsed: ParsedC

    @property
    def index(self) -> LineIndex:
        return self.parsed.index


class Recording:
    """Summaries looked up through it are remembered with what they said: what a result read,
    so a cached result can tell it still stands (`still_read`). Callable as a plain lookup."""

    def __init__(self, summaries: "Summaries"):
        self.summaries = summaries
        self.read: dict = {}       # (name, file asked from) -> Summary | None

    def lookup(self, name: str, ctx: str | None = None):
        s = self.summaries.lookup(name, ctx)
        self.read[(name, self.summaries.path if ctx is None else ctx)] = s
        return s

    __call__ = lookup


def still_read(summaries: "Summaries", reads) -> bool:
    """Do these (name, file) -> summary reads still hold? (Identity first: a summary carried over
    from the previous check is the very object read then.)"""
    lookup = summaries.lookup
    for (name, ctx), s in reads:
        now = lookup(name, ctx)
        if now is not s and now != s:
            return False
    return True


LEARNED_CACHE_LIMIT = 50_000


class Workspace:
    """Every indexed C file's declarations, by function name; one per session."""

    def __init__(self, overlay: dict, module_roots=()):
        self.overlay = overlay
        self.module_roots = list(module_roots)
        self.files: dict[str, FileFacts] = {}
        self.by_name: dict[str, list[tuple[str, CFunction]]] = {}
        self.dirs: set[str] = set()
        self.generation = 0
        self.memo: dict = {}
        self.learned: dict = {}    # (path, name, body digest) -> (what the body says, summaries it read)
        self.configs = ConfigCache(overlay)
        self._parser = new_parser()
        self._overlay_seen: dict[str, object] = {}

    def _stamp(self, path: str):
        return file_stamp(self.overlay, path)

    def index_file(self, path: str) -> None:
        path = os.path.abspath(path)
        if not path.endswith((".c", ".h")):
            return
        stamp = self._stamp(path)
        old = self.files.get(path)
        if old is not None and old.stamp == stamp:
            return
        if old is not None:
            self._forget(old)
        if stamp is None:
            self.generation += 1
            self.memo.clear()
            return
        try:
            data = self.overlay[path][1] if path in self.overlay else open(path, "rb").read()
        except OSError:
            return
        try:
            parsed = parse(path, data, parser=self._parser)
        except Exception:
            return
        facts = FileFacts(path, stamp, parsed)
        self.files[path] = facts
        for fn in parsed.functions:
            if fn.spoiled:
                continue
            self.by_name.setdefault(fn.name, []).append((path, fn))
        self.generation += 1
        self.memo.clear()

    def _forget(self, facts: FileFacts) -> None:
        del self.files[facts.path]
        for fn in facts.parsed.functions:
            lst = self.by_name.get(fn.name)
            if lst:
                lst[:] = [(p, f) for p, f in lst if p != facts.path]

    def index_dir(self, d: str, recursive: bool = False) -> None:
        d = os.path.abspath(d)
        key = (d, recursive)
        if key in self.dirs:
            return
        self.dirs.add(key)
        n = 0
        for root, subdirs, names in os.walk(d):
            subdirs[:] = [s for s in subdirs if not s.startswith(".")] if recursive else []
            for nm in sorted(names):
                full = os.path.join(root, nm)
                if nm.endswith((".h", ".c")) and not self.configs.for_file(full).is_mock(full):
                    self.index_file(full)
                    n += 1
                    if n >= MAX_DIR_FILES:
                        return

    def refresh_overlay(self, skip: str | None = None) -> None:
        """Open C documents whose editor copy changed are re-read (they win over the disk). `skip`:
        the document being checked (its own text is read from its parse, see `Summaries`)."""
        for path, (version, _data) in list(self.overlay.items()):
            if path == skip:
                continue
            if path.endswith((".h", ".c")) and self._overlay_seen.get(path) != version:
                self._overlay_seen[path] = version
                if path in self.files or os.path.dirname(os.path.abspath(path)) in {d for d, _ in self.dirs}:
                    self.index_file(path)
        for path in [p for p in self._overlay_seen if p not in self.overlay]:
            del self._overlay_seen[path]
            self.index_file(path)


# ---- looking a callee up ------------------------------------------------------------------


class Summaries:
    """The summary source of one document: its own functions first, then the workspace's."""

    def __init__(self, workspace: Workspace, path: str | None, parsed: ParsedC | None = None):
        self.workspace = workspace
        self.path = os.path.abspath(path) if path else None
        self.parsed = parsed
        self.config: CConfig = workspace.configs.for_file(path)
        self._local: dict[str, list[CFunction]] = {}
        if parsed is not None:
            for fn in parsed.functions:
                if not fn.spoiled:
                    self._local.setdefault(fn.name, []).append(fn)
        self._memo: dict = {}
        self._busy: set = set()

    def with_document(self, parsed: ParsedC) -> "Summaries":
        return Summaries(self.workspace, parsed.path, parsed)

    # -- where a function is declared and defined
    def _candidates(self, name: str, ctx: str | None):
        """(declaration, definition, data of the definition's file, its path, local?)."""
        local = self._local.get(name) if ctx == self.path else None
        decls: list[tuple[str | None, CFunction]] = []
        defs: list[tuple[str | None, CFunction]] = []
        if local:
            for fn in local:
                (defs if fn.body is not None else decls).append((self.path, fn))
        if ctx is not None and ctx != self.path:
            facts = self.workspace.files.get(ctx)
            if facts is not None:
                for fn in facts.parsed.functions:
                    if fn.name == name and fn.is_static:
                        (defs if fn.body is not None else decls).append((ctx, fn))
        if not defs or not any(f.is_static for _, f in defs + decls):
            for p, fn in self.workspace.by_name.get(name, ()):
                if p == self.path and self.parsed is not None:
                    continue            # the document's own text wins over its copy on disk
                if fn.is_static and p != ctx:
                    continue
                (defs if fn.body is not None else decls).append((p, fn))
        headers = [(p, f) for p, f in decls if p and p.endswith(".h")]
        decl = (headers or decls or defs or [(None, None)])[0]
        return decl, (defs[0] if defs else (None, None))

    def _data_of(self, path: str | None) -> bytes | None:
        if path == self.path and self.parsed is not None:
            return self.parsed.data
        facts = self.workspace.files.get(path) if path else None
        return facts.parsed.data if facts is not None else None

    def lookup(self, name: str, ctx: str | None = None) -> Summary | None:
        """The summary of `name` as called from file `ctx` (default: this document)."""
        ctx = self.path if ctx is None else ctx
        b = BUILTINS.get(name)
        if b is not None:
            return b
        key = (name, ctx)
        memo = self._memo if ctx == self.path else self.workspace.memo
        if key in memo:
            return memo[key]
        if key in self._busy:
            return self._summarise(name, ctx, learn=False)
        self._busy.add(key)
        try:
            s = self._summarise(name, ctx, learn=len(self._busy) <= 12)
        finally:
            self._busy.discard(key)
        memo[key] = s
        return s

    def declared(self, name: str, ctx: str | None = None) -> tuple[str | None, CFunction | None]:
        ctx = self.path if ctx is None else ctx
        return self._candidates(name, ctx)[0]

    def header_declaration(self, name: str) -> tuple[str | None, CFunction | None]:
        for p, fn in self.workspace.by_name.get(name, ()):
            if p.endswith(".h") and fn.body is None:
                return p, fn
        return None, None

    def _learned(self, impl: CFunction, data: bytes, ipath: str | None, learn):
        """What `impl`'s body says (lower.learn_implementation), reused while its text and the
        summaries of what it calls are unchanged: typing in one function must not re-read the
        bodies of all the others (each keystroke would cost a lowering per function)."""
        text = data[impl.span.start:impl.span.end]
        key = (ipath, impl.name, hashlib.blake2b(text, digest_size=16).digest())
        cache = self.workspace.learned
        hit = cache.get(key)
        if hit is not None:
            learned, deps = hit
            if still_read(self, deps):
                return learned
        rec = Recording(self)
        try:
            learned = learn(impl, data, rec, ipath)
        except RecursionError:
            return None
        if len(cache) >= LEARNED_CACHE_LIMIT:
            cache.clear()
        cache[key] = (learned, tuple(rec.read.items()))
        return learned

    def own_summary(self, fn: CFunction) -> Summary:
        """The summary of a function defined in this document, without its implementation (what
        the body itself is checked against: R2, L2's exits of a consume-on-success function)."""
        return self._summarise(fn.name, self.path, learn=False, decl_fn=fn)

    def _summarise(self, name: str, ctx: str | None, learn: bool, decl_fn: CFunction | None = None) -> Summary | None:
        (dpath, decl), (ipath, impl) = self._candidates(name, ctx)
        if decl_fn is not None and decl is None:
            dpath, decl = self.path, decl_fn
        if decl is None:
            return None
        override = self.config.function(name)
        sinks = [p.name for p in decl.params if p.prefix == "own" and p.depth == 1 and not p.fnptr]
        doc = decl.doc or (impl.doc if impl is not None else "")
        learned = None
        if learn and impl is not None and impl.body is not None:
            data = self._data_of(ipath)
            if data is not None:
                from .lower import learn_implementation   # lowering reads summaries: imported late
                learned = self._learned(impl, data, ipath, learn_implementation)
        doc_cons = doc_consumes(doc, sinks)
        ipos = {p.name: i for i, p in enumerate(impl.params)} if impl is not None else {}
        params = []
        destroy = is_destroy_name(name)
        for i, p in enumerate(decl.params):
            consumes, origin = "", ""
            if p.name in sinks:
                consumes, origin = "always", "its `own_` prefix"
                if p.name in doc_cons:
                    consumes, origin = doc_cons[p.name], "its doc comment"
                if learned is not None:
                    lc = learned.consumes.get(i)
                    if lc is not None:
                        consumes, origin = lc, "its implementation"
            if override is not None:
                for k, v in override.consumes:
                    if k == p.name or k == f"#{i + 1}":
                        consumes, origin = v, "custody.toml"
            # the first parameter of `ar_x__destroy` / `ar_x__destroy_if_owned` is destroyed whatever
            # its prefix (X6); other destroy-named functions destroy only `own_` parameters
            # (X13: `ar_interpreter_fixture__destroy_temp_agent(mut_fixture, agent_id)`)
            if destroy and i == 0 and p.depth == 1 and not p.fnptr and p.prefix in ("", "ref", "mut") \
                    and _DESTROYS_FIRST.search(name) and (override is None or not override.consumes):
                consumes, origin = "always", "a destroy function"    # ar_data__destroy_if_owned (X6)
            destroys = bool(destroy and i == 0 and p.depth == 1 and consumes == "always")
            params.append(ParamFact(p.name, p.ty, p.depth, p.const, p.fnptr, consumes, destroys, origin))
        if decl.ret_depth == 0:
            returns, rorigin = "none", "not a pointer"
        else:
            returns, rorigin = "unknown", "nothing says"
            if learned is not None and learned.returns in ("owned", "borrowed"):
                returns, rorigin = learned.returns, "its implementation"
            else:
                dr = doc_returns(doc)
                if dr is not None:
                    returns, rorigin = dr, "its doc comment"
                elif decl.ret_const:
                    returns, rorigin = "borrowed", "its `const` return type"
                else:
                    vr = verb_returns(name)
                    if vr is not None:
                        returns, rorigin = vr, "its name"
        if override is not None and override.returns is not None:
            returns, rorigin = override.returns, "custody.toml"
        where = "this file" if dpath == self.path else (os.path.basename(dpath) if dpath else "this file")
        return Summary(name, tuple(params), decl.variadic, returns, rorigin, decl.ret_type, decl.signature,
                       where, dpath, decl.name_span)


@dataclass
class SummaryCarry:
    """What one check of a document knew of its own functions' summaries, to start the next check
    of the same document from (`carry_summaries`)."""

    generation: int
    config: object
    keys: dict                 # name -> the text keys of its units (prototype, definition)
    memo: dict                 # the document's (name, path) -> Summary
    # id -> the summary reads (a unit's dependencies) that held in that check; while every summary
    # is carried over unchanged, they hold in the next check too, without looking them up again
    stood: dict = field(default_factory=dict)


def carry_summaries(last: dict, parsed: ParsedC, summaries: "Summaries") -> tuple[SummaryCarry, dict]:
    """Start `summaries` (of `parsed`) from what the previous check of the same document knew,
    when only some functions' text changed and nothing else did (no other file, no custody.toml):
    typing in one function re-derives that function's summary, not every summary of the file.

    The carried summaries stay valid only if every changed function's summary is what it was:
    another function's learned summary may have read it. So each changed function is summarised
    again first; if any differs (or appeared or went), nothing is carried.

    Returns this check's carry (whose `stood` the check fills) and the reads that stood in the
    previous check and still stand (empty unless everything was carried)."""
    path = parsed.path
    # what a function's summary is read from: its prototype's and definition's text and the doc
    # comments above them (a comment is not part of the unit's text)
    key_at = {u[2]: u[4] for u in parsed.units}
    keys: dict = {}
    for fn in parsed.functions:
        keys[fn.name] = keys.get(fn.name, ()) + (key_at.get(fn.span), fn.doc)
    ws = summaries.workspace
    prev = last.get(path)
    stood: dict = {}
    if prev is not None and prev.generation == ws.generation and prev.config == summaries.config:
        changed = {n for n in keys.keys() | prev.keys.keys() if keys.get(n) != prev.keys.get(n)}
        # the previous check is over: its memo is taken over as it is (nothing reads a summary's
        # name_span, which may now be stale for a function that moved; positions come from the
        # parsed document). Only the changed functions' entries go.
        carried = prev.memo
        old = {}
        for n in changed:
            k = (n, path)
            if k in carried:
                old[k] = carried.pop(k)
        summaries._memo = carried
        stood = prev.stood
        for k, was in old.items():
            if summaries.lookup(k[0]) != was:
                summaries._memo = {}
                stood = {}
                break
    carry = last[path] = SummaryCarry(ws.generation, summaries.config, keys, summaries._memo)
    if len(last) > 64:
        last.pop(next(iter(last)))
    return carry, stood
