"""The ownership map (states per occurrence, drop points), module resolution and robustness,
through the JSON form (which needs no generated grammar)."""
from __future__ import annotations

import json
import random

from custody.analysis.engine import Engine


def module(decls=(), solve=None, imports=(), kind="entry", module_id="main"):
    m = {"schema_version": "x07.x07ast@0.8.0", "kind": kind, "module_id": module_id,
         "imports": list(imports), "decls": list(decls)}
    if solve is not None:
        m["solve"] = solve
    return json.dumps(m, indent=1)


def check(text, path="m.x07.json", engine=None):
    return (engine or Engine()).check(path, text.encode())


def offset_of(text: str, needle: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return len(text[:at].encode()) + 1   # inside the token, past the opening quote


def test_states_along_a_body():
    solve = ["begin",
             ["let", "b", ["bytes.lit", "hi"]],
             ["let", "v", ["bytes.view", "b"]],
             ["let", "n", ["view.len", "v"]],
             ["let", "c", "b"],
             ["view.to_bytes", ["bytes.view", "c"]]]
    text = module(solve=solve)
    r = check(text)
    # this program is wrong: b is moved into c while v borrows it
    assert [f.code for f in r.analysis.findings] == ["X07-MOVE-0902"]
    m = r.analysis.model
    p = m.point_at(offset_of(text, '"b"', 1))          # b inside (bytes.view b)
    assert p.name == "b" and p.ty == "bytes" and p.action == "a view of it is taken here"
    pv = m.point_at(offset_of(text, '"v"', 0))         # definition of v
    assert pv.is_definition and pv.state == "view" and "view of b" in pv.action
    pb = m.point_at(offset_of(text, '"b"', 2))         # b in (let c b): borrowed by v, then moves
    assert pb.state == "borrowed" and any("borrowed by v" in n.label for n in pb.notes)
    assert pb.action.startswith('moves into "c"')
    drops = {d.name for d in m.drops()}
    assert "c" in drops and "b" not in drops            # b was moved, c is dropped at the end


def test_moved_and_maybe_moved_states():
    solve = ["begin",
             ["let", "b", ["bytes.lit", "hi"]],
             ["if", ["=", 1, 1], ["let", "c", "b"], 0],
             ["bytes.len", "b"],
             ["bytes.lit", "x"]]
    text = module(solve=solve)
    r = check(text)
    p = r.analysis.model.point_at(offset_of(text, '"b"', 2))
    assert p.state == "maybe-moved"
    assert any("moved here" in n.label for n in p.notes)


def test_imported_module_signature_moves_and_unknown_callee_stays_silent(tmp_path):
    (tmp_path / "lib").mkdir()
    lib = module(decls=[{"kind": "defn", "name": "lib.util.take", "params": [{"name": "b", "ty": "bytes"}],
                         "result": "i32", "body": ["bytes.len", "b"]}], kind="module", module_id="lib.util")
    (tmp_path / "lib" / "util.x07.json").write_text(lib)
    main = module(imports=["lib.util"], solve=["begin",
                                                ["let", "b", ["bytes.lit", "hi"]],
                                                ["lib.util.take", "b"],
                                                ["other.unknown", "b"],
                                                ["view.to_bytes", ["bytes.view", "b"]]])
    p = tmp_path / "main.x07.json"
    p.write_text(main)
    r = Engine().check(str(p), p.read_bytes())
    codes = [(f.code, f.message) for f in r.analysis.findings]
    assert codes and codes[0][0] == "X07-MOVE-0901"   # passed to other.unknown after the move
    # remove the import target: the callee becomes unknown and nothing is reported
    (tmp_path / "lib" / "util.x07.json").unlink()
    r = Engine().check(str(p), p.read_bytes())
    assert r.analysis.findings == []


def test_stdlib_root_is_searched(tmp_path):
    std = tmp_path / "stdlib"
    (std / "std").mkdir(parents=True)
    (std / "std" / "extra.x07.json").write_text(module(
        decls=[{"kind": "defn", "name": "std.extra.eat", "params": [{"name": "b", "ty": "bytes"}],
                "result": "i32", "body": ["bytes.len", "b"]}], kind="module", module_id="std.extra"))
    src = tmp_path / "app" / "main.x07.json"
    src.parent.mkdir()
    src.write_text(module(imports=["std.extra"], solve=["begin", ["let", "b", ["bytes.lit", "x"]],
                                                        ["std.extra.eat", "b"], "b"]))
    assert Engine().check(str(src), src.read_bytes()).analysis.findings == []
    r = Engine(stdlib_root=str(std)).check(str(src), src.read_bytes())
    assert [f.code for f in r.analysis.findings] == ["X07-MOVE-0901"]


def test_cache_reuses_untouched_functions_and_follows_signature_changes():
    f = {"kind": "defn", "name": "main.f", "params": [{"name": "b", "ty": "bytes"}], "result": "i32",
         "body": ["bytes.len", "b"]}
    g = {"kind": "defn", "name": "main.g", "params": [], "result": "i32",
         "body": ["begin", ["let", "x", ["bytes.lit", "a"]], ["main.f", "x"], ["bytes.len", "x"]]}
    e = Engine()
    r1 = check(module(decls=[f, g]), engine=e)
    assert [x.code for x in r1.analysis.findings] == ["X07-MOVE-0901"]
    f2 = dict(f, params=[{"name": "b", "ty": "bytes_view"}])   # now f only borrows
    r2 = check(module(decls=[f2, g]), engine=e)
    assert r2.analysis.findings == []                           # g re-analysed: its callee changed
    assert r2.analysis.analysed == 2
    r3 = check("\n\n" + module(decls=[f2, g]), engine=e)        # shifted, nothing changed
    assert r3.analysis.reused == 2 and r3.analysis.analysed == 0


def test_random_bytes_and_truncations_never_raise():
    rng = random.Random(7)
    base = module(solve=["begin", ["let", "b", ["bytes.lit", "hi"]], ["let", "c", "b"], "c"]).encode()
    e = Engine()
    for i in range(300):
        if i % 2:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        else:
            data = base[: rng.randrange(len(base))]
        r = e.check("r.x07.json", data)
        assert isinstance(r.analysis.findings, list)


def test_reused_function_keeps_callee_signature_location():
    f = {"kind": "defn", "name": "main.f", "params": [{"name": "b", "ty": "bytes_view"}], "result": "i32",
         "body": ["bytes.len", "b"]}
    g = {"kind": "defn", "name": "main.g", "params": [], "result": "i32", "body": ["main.f", "input"]}
    e = Engine()
    text = module(decls=[f, g])
    r1 = check(text, engine=e)
    r2 = check(text.replace('"main.f",', '"main.f",  ', 1), engine=e)   # f's declaration grows by 2 bytes
    call1 = next(c for fr in r1.analysis.functions if fr.name == "main.g" for c in fr.calls)
    call2 = next(c for fr in r2.analysis.functions if fr.name == "main.g" for c in fr.calls)
    assert r2.analysis.reused == 1                              # main.g itself did not change
    assert call2.span.start == call1.span.start + 2             # its call moved with it
    assert call2.sig.span.start == call1.sig.span.start         # main.f's name did not move
