"""Parsing speed of our x07text parser against the official tree-sitter-json.

    python bench/parse_bench.py [--lines 25000] [--repeat 15] [--out bench/out]

Generates one realistic X07 module (many `defn` declarations with nested
begin/let/if/for/calls) as x07text (`.x07t`, exactly --lines lines) and as
pretty-printed x07AST JSON (`.x07.json`), both rendered here from the same
Python value, then measures:

* a full parse of the .x07t with `custody.grammar.language("x07text")` and of
  the .x07.json with the official `tree_sitter_json` parser (and with our own
  generated json parser when it is built): best and median of N, time per
  byte, and the ratio to the official parser per byte;
* an incremental reparse after a one-character edit inside one function in
  the middle of the file (`tree.edit` + `parser.parse(new, old_tree)`).

It prints a table and the machine.  Nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

import tree_sitter

from custody.analysis.x07.render import render_text as x07t_flat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_bench import machine as analysis_machine  # noqa: E402

WIDTH = 96
MODULE = "app.bench"

# --------------------------------------------------------------------------
# Rendering a Python value (x07AST) as x07text and as JSON.  Flat x07text
# (atoms, quoting, escapes) is analysis' renderer; the layout is ours.


def to_x07t(value, indent: int = 0) -> str:
    """Lisp-style layout: flat when it fits, else one element per line."""
    flat = x07t_flat(value)
    if indent + len(flat) <= WIDTH or not isinstance(value, (list, dict)) or not value:
        return flat
    pad = " " * (indent + 1)
    if isinstance(value, list):
        head = to_x07t(value[0], indent + 1)
        rest = [to_x07t(v, indent + 2) for v in value[1:]]
        return "(" + head + "".join("\n" + pad + " " + r for r in rest) + ")"
    pairs = [f":{k} " + to_x07t(v, indent + 2 + len(k) + 1) for k, v in value.items()]
    return "{" + ("\n" + pad).join(pairs) + "}"


def to_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------
# A realistic program.

OWNED = ["bytes", "vec_u8"]
TYPES = ["bytes", "bytes_view", "i32", "vec_u8", "i32"]


class ProgramGenerator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.count = 0

    def name(self, i: int) -> str:
        return f"{MODULE}.f{i}"

    def int_expr(self, env: dict[str, str], depth: int):
        rng = self.rng
        ints = [n for n, t in env.items() if t == "i32"]
        views = [n for n, t in env.items() if t == "bytes_view"]
        choice = rng.random()
        if depth <= 0 or choice < 0.3:
            return rng.choice(ints) if ints and rng.random() < 0.6 else rng.randint(-5, 300)
        if choice < 0.55:
            op = rng.choice(["+", "-", "*", "/", "%", "&", "|", "^", "<<u", ">>u"])
            return [op, self.int_expr(env, depth - 1), self.int_expr(env, depth - 1)]
        if choice < 0.75 and views:
            v = rng.choice(views)
            return rng.choice([["view.len", v], ["view.get_u8", v, self.int_expr(env, depth - 1)]])
        if choice < 0.9 and self.count > 1:
            callee = self.name(rng.randrange(self.count))
            return [callee, "input", self.int_expr(env, depth - 1)]
        return ["bytes.len", ["bytes.lit", rng.choice(["hello", "a b", 'say "hi"\n', "x07"])]]

    def cond(self, env, depth):
        op = self.rng.choice(["=", "!=", "<", "<=", ">", ">=", "<u", ">=u"])
        return [op, self.int_expr(env, depth - 1), self.int_expr(env, depth - 1)]

    def stmt(self, env: dict[str, str], depth: int, fresh: list[int]):
        rng = self.rng
        choice = rng.random()
        ints = [n for n, t in env.items() if t == "i32"]
        owned = [n for n, t in env.items() if t in OWNED]
        if choice < 0.35 or depth <= 0:
            fresh[0] += 1
            var = f"x{fresh[0]}"
            kind = rng.random()
            if kind < 0.6:
                env[var] = "i32"
                return ["let", var, self.int_expr(env, 2)]
            if kind < 0.8:
                env[var] = "vec_u8"
                return ["let", var, ["vec_u8.with_capacity", rng.randint(0, 64)]]
            env[var] = "bytes"
            return ["let", var, ["bytes.lit", rng.choice(["tmp", "data-1", "x"])]]
        if choice < 0.5 and ints:
            return ["set", rng.choice(ints), self.int_expr(env, 2)]
        if choice < 0.62 and owned:
            o = rng.choice(owned)
            if env[o] == "vec_u8":
                return ["set", o, ["vec_u8.push", o, self.int_expr(env, 1)]]
            fresh[0] += 1
            env[f"v{fresh[0]}"] = "bytes_view"
            return ["let", f"v{fresh[0]}", ["bytes.view", o]]
        if choice < 0.8:
            inner = dict(env)
            then = ["begin"] + [self.stmt(inner, depth - 1, fresh) for _ in range(rng.randint(1, 3))]
            other = ["begin"] + [self.stmt(dict(env), depth - 1, fresh) for _ in range(rng.randint(1, 2))]
            return ["if", self.cond(env, 2), then, other]
        if choice < 0.92:
            fresh[0] += 1
            i = f"i{fresh[0]}"
            body_env = dict(env, **{i: "i32"})
            body = ["begin"] + [self.stmt(body_env, depth - 1, fresh) for _ in range(rng.randint(1, 3))]
            return ["for", i, 0, self.int_expr(env, 1), body]
        return [self.name(rng.randrange(max(1, self.count))), "input", self.int_expr(env, 1)]

    def defn(self) -> dict:
        rng = self.rng
        params = []
        env: dict[str, str] = {"input": "bytes_view"}
        for k in range(rng.randint(1, 4)):
            ty = rng.choice(TYPES)
            params.append({"name": f"p{k}", "ty": ty})
            env[f"p{k}"] = ty
        fresh = [0]
        body = ["begin"] + [self.stmt(env, 3, fresh) for _ in range(rng.randint(3, 8))]
        ints = [n for n, t in env.items() if t == "i32"]
        body.append(rng.choice(ints) if ints else 0)
        decl = {"kind": "defn", "name": self.name(self.count), "params": params, "result": "i32",
                "body": body}
        if rng.random() < 0.1:
            decl["meta"] = {"doc": f"function {self.count}\twith a \"doc\"", "weight": 0.5,
                            "pure": rng.random() < 0.5, "owner": None}
        self.count += 1
        return decl


def module_header() -> list[str]:
    return ["{:kind module", f" :module_id {MODULE}", " :schema_version x07.x07ast@0.8.0",
            " :imports (std.vec std.bytes)", " :decls ("]


def generate_program(lines: int, seed: int = 7) -> tuple[dict, str]:
    """The module as a value, and as x07text of exactly `lines` lines."""
    gen = ProgramGenerator(seed)
    decls: list[dict] = []
    rendered: list[str] = []
    budget = lines - len(module_header()) - 1  # the closing ")}" line
    used = 0
    while True:
        decl = gen.defn()
        text = "  " + to_x07t(decl, 2)
        n = text.count("\n") + 1
        if used + n > budget:
            break
        decls.append(decl)
        rendered.append(text)
        used += n
    while used < budget:  # fill up with one-line declarations
        decl = {"kind": "defn", "name": gen.name(gen.count), "params": [], "result": "i32",
                "body": used % 97}
        gen.count += 1
        decls.append(decl)
        rendered.append("  " + x07t_flat(decl))
        used += 1
    value = {"kind": "module", "module_id": MODULE, "schema_version": "x07.x07ast@0.8.0",
             "imports": ["std.vec", "std.bytes"], "decls": decls}
    text = "\n".join(module_header() + rendered + [" )}"]) + "\n"
    return value, text


# --------------------------------------------------------------------------
# Measuring.


def timings(fn, repeat: int) -> list[float]:
    """Seconds per call; what fn returns is freed outside the timed region."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        result = fn()
        out.append((time.perf_counter_ns() - start) / 1e9)
        del result
    return out


def node_count(tree) -> int:
    """Visible nodes, named and anonymous."""
    cursor, count = tree.walk(), 0
    while True:
        count += 1
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return count


def point_at(text: bytes, offset: int) -> tuple[int, int]:
    row = text.count(b"\n", 0, offset)
    return row, offset - (text.rfind(b"\n", 0, offset) + 1)


def one_char_edit(text: bytes, function: str) -> tuple[int, bytes]:
    """Offset and new text after changing one digit inside `function`'s body."""
    markers = (f":name {function}".encode(), f'"name": "{function}"'.encode())
    at = max(text.find(marker) for marker in markers)
    body = text.index(b"body", at)
    digit = re.compile(rb"[0-9]").search(text, body)
    pos = digit.start()
    new_digit = b"7" if text[pos:pos + 1] != b"7" else b"3"
    return pos, text[:pos] + new_digit + text[pos + 1:]


def incremental(parser, text: bytes, function: str, repeat: int) -> tuple[list[float], str]:
    tree = parser.parse(text)
    pos, new = one_char_edit(text, function)
    fresh = parser.parse(new)
    # An editor knows the edit's points (LSP sends line/column), so they are
    # computed outside the timed region; tree.edit and the reparse are timed.
    points = point_at(text, pos), point_at(text, pos + 1), point_at(new, pos + 1)
    times = []
    for _ in range(repeat):
        old = tree.copy()
        start = time.perf_counter_ns()
        old.edit(pos, pos + 1, pos + 1, *points)
        reparsed = parser.parse(new, old)
        times.append((time.perf_counter_ns() - start) / 1e9)
        del old
    same = "same tree" if str(reparsed.root_node) == str(fresh.root_node) else "DIFFERENT tree"
    return times, same


def machine() -> str:
    import importlib.metadata as md

    return (f"{analysis_machine()}, "
            f"py-tree-sitter {md.version('tree-sitter')}, tree-sitter-json {md.version('tree-sitter-json')}")


def languages():
    import tree_sitter_json

    ours = {}
    for name in ("x07text", "json"):
        try:
            from custody.grammar import language

            ours[name] = language(name)
        except Exception as error:  # noqa: BLE001 - report and go on
            print(f"note: custody.grammar.language({name!r}) unavailable: {error}", file=sys.stderr)
    return ours, tree_sitter.Language(tree_sitter_json.language())


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--lines", type=int, default=25_000)
    args.add_argument("--repeat", type=int, default=15, help="full parses per parser (N)")
    args.add_argument("--inc-repeat", type=int, default=200, help="incremental reparses (N)")
    args.add_argument("--seed", type=int, default=7)
    args.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    opts = args.parse_args(argv)

    value, x07t = generate_program(opts.lines, opts.seed)
    x07t_bytes, json_bytes = x07t.encode(), to_json(value).encode()
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "bench.x07t").write_bytes(x07t_bytes)
    (opts.out / "bench.x07.json").write_bytes(json_bytes)
    decls = value["decls"]
    edits = {"first": decls[0]["name"], "middle": decls[len(decls) // 2]["name"],
             "last": decls[-1]["name"]}

    ours, official_json = languages()
    cases = []  # (label, input kind, bytes, parser)
    if "x07text" in ours:
        cases.append(("x07text (ours)", ".x07t", x07t_bytes, tree_sitter.Parser(ours["x07text"])))
    cases.append(("json (official tree-sitter-json)", ".x07.json", json_bytes,
                  tree_sitter.Parser(official_json)))
    if "json" in ours:
        cases.append(("json (ours, same grammar)", ".x07.json", json_bytes,
                      tree_sitter.Parser(ours["json"])))

    nodes, full = {}, {label: [] for label, *_ in cases}
    for label, _, data, parser in cases:
        tree = parser.parse(data)  # also warms up
        if tree.root_node.has_error:
            print(f"warning: {label} sees a syntax error in the benchmark input", file=sys.stderr)
        nodes[label] = node_count(tree)
    for _ in range(opts.repeat):  # round robin, so load changes hit every parser alike
        for label, _, data, parser in cases:
            full[label] += timings(lambda: parser.parse(data), 1)
    incr = {label: {where: incremental(parser, data, name, opts.inc_repeat)
                    for where, name in edits.items()}
            for label, _, data, parser in cases}

    official_label, _, official_data, _ = cases[1] if "x07text" in ours else cases[0]
    official_per_byte = min(full[official_label]) / len(official_data)
    official_per_node = min(full[official_label]) / nodes[official_label]

    x07t_lines, json_lines = x07t_bytes.count(b"\n"), json_bytes.count(b"\n")
    print(f"machine: {machine()}")
    print(f"input: {x07t_lines:,} lines / {len(x07t_bytes):,} bytes of x07text, "
          f"{json_lines:,} lines / {len(json_bytes):,} bytes of JSON; {len(decls)} decls")
    print(f"full parse: best and median of {opts.repeat} (tree freed outside the timing)\n")
    head = (f"{'parser':34} {'input':9} {'bytes':>10} {'nodes':>8} {'best ms':>8} {'median':>8} "
            f"{'ns/byte':>8} {'vs off.':>8} {'ns/node':>8} {'vs off.':>8}")
    print(head)
    print("-" * len(head))
    for label, kind, data, _ in cases:
        best = min(full[label])
        print(f"{label:34} {kind:9} {len(data):>10,} {nodes[label]:>8,} {best * 1e3:>8.2f} "
              f"{statistics.median(full[label]) * 1e3:>8.2f} {best / len(data) * 1e9:>8.2f} "
              f"{best / len(data) / official_per_byte:>7.2f}x {best / nodes[label] * 1e9:>8.1f} "
              f"{best / nodes[label] / official_per_node:>7.2f}x")

    print(f"\nincremental reparse after a one-digit edit in the body of the first, middle and "
          f"last decl ({', '.join(edits.values())}):")
    print(f"tree.edit + parse(new, old_tree), best / median of {opts.inc_repeat}, in ms\n")
    head = f"{'parser':34} " + " ".join(f"{where:>17}" for where in edits)
    print(head)
    print("-" * len(head))
    for label, *_ in cases:
        cells = []
        for where in edits:
            times, same = incr[label][where]
            mark = "" if same == "same tree" else " !"
            cells.append(f"{min(times) * 1e3:>7.3f} / {statistics.median(times) * 1e3:.3f}{mark}")
        print(f"{label:34} " + " ".join(f"{cell:>17}" for cell in cells))
    if any(same != "same tree" for per in incr.values() for _, same in per.values()):
        print("! the incremental reparse gave a different tree than a fresh parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
