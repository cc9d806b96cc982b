"""Consistency and spot checks for the X07 builtin signature table."""

import re

import pytest

from analysis.x07 import builtins as b
from analysis.x07.builtins import BUILTINS, MESSAGES, SPECIAL_FORMS, Sig

ALL = sorted(BUILTINS.items())


def _params(sig: Sig) -> tuple[str, ...]:
    if sig.params and sig.params[-1] == "...":
        assert len(sig.params) >= 2, "variadic marker needs a preceding type"
        return sig.params[:-1]
    return sig.params


def test_table_is_large_and_uses_sig():
    assert len(BUILTINS) >= 300
    assert all(isinstance(s, Sig) for s in BUILTINS.values())
    assert all(isinstance(k, str) and k and " " not in k for k in BUILTINS)


@pytest.mark.parametrize("name,sig", ALL)
def test_known_type_names(name, sig):
    for t in _params(sig) + (sig.result,):
        assert t in b.KNOWN_TYPES, f"{name}: unknown type {t!r}"
    assert "..." not in _params(sig), f"{name}: '...' only allowed last"
    # pseudo types for literals appear only in literal slots, never as results
    assert sig.result not in {"text", "symbol"}
    for i, t in enumerate(_params(sig)):
        if t in {"text", "symbol"}:
            assert i in sig.literal_args, f"{name}: literal type on a non-literal arg {i}"


@pytest.mark.parametrize("name,sig", ALL)
def test_indexes_in_range_and_consistent(name, sig):
    n = len(_params(sig))
    for field in ("view_of", "needs_ident_owner", "literal_args", "reads"):
        idxs = getattr(sig, field)
        assert isinstance(idxs, tuple)
        assert len(set(idxs)) == len(idxs), f"{name}.{field} repeats an index"
        assert all(isinstance(i, int) and 0 <= i < n for i in idxs), f"{name}.{field} out of range"
    if sig.view_of:
        assert b.is_view_type(sig.result), f"{name}: view_of on a non-view result"
        for i in sig.view_of:
            t = sig.params[i]
            assert b.is_view_type(t) or i in sig.needs_ident_owner, (
                f"{name}: borrows from arg {i} of type {t} without naming an owner"
            )
    if sig.mutates is not None:
        assert 0 <= sig.mutates < n, f"{name}.mutates out of range"
        assert b.is_owned_type(sig.params[sig.mutates]), f"{name}: mutates a non-owned arg"
        assert sig.mutates not in sig.reads
    for i in sig.reads:
        assert b.is_owned_type(sig.params[i]), f"{name}: reads on a non-owned arg {i}"
    for i in sig.needs_ident_owner:
        assert i not in sig.literal_args
    if sig.auto_borrow:
        assert "bytes_view" in _params(sig), f"{name}: auto_borrow without a bytes_view param"


@pytest.mark.parametrize("name,sig", ALL)
def test_view_results_have_a_source(name, sig):
    if b.is_view_type(sig.result) and name not in b.RUNTIME_VIEWS and "any" not in sig.params:
        assert sig.view_of, f"{name}: view result with neither view_of nor runtime view"
    if name in b.RUNTIME_VIEWS:
        assert b.is_view_type(sig.result) and not sig.view_of


def test_runtime_views_exist():
    assert b.RUNTIME_VIEWS <= set(BUILTINS)
    assert b.INPUT_IDENT == "input"


def test_type_classes_are_disjoint_and_known():
    assert not (b.OWNED_TYPES & b.VIEW_TYPES)
    assert b.OWNED_TYPES <= b.KNOWN_TYPES and b.VIEW_TYPES <= b.KNOWN_TYPES
    # the compiler does not move-track these
    for t in ("i32", "option_i32", "result_i32", "iface", "task_slot_v1"):
        assert not b.is_owned_type(t) and not b.is_view_type(t)


# --- spot checks against the facts read in the X07 sources --------------------------


def test_bytes_view_borrows_a_named_owner():
    s = BUILTINS["bytes.view"]
    assert s == Sig(("bytes",), "bytes_view", view_of=(0,), needs_ident_owner=(0,))
    s = BUILTINS["bytes.subview"]
    assert s.params == ("bytes", "i32", "i32") and s.result == "bytes_view"
    assert s.view_of == (0,) and s.needs_ident_owner == (0,)
    s = BUILTINS["vec_u8.as_view"]
    assert s.params == ("vec_u8",) and s.view_of == (0,) and s.needs_ident_owner == (0,)
    s = BUILTINS["std.brand.view_v1"]
    assert s.view_of == (0,) and s.needs_ident_owner == (0,)


def test_view_to_bytes_copies_a_strict_view():
    s = BUILTINS["view.to_bytes"]
    assert s == Sig(("bytes_view",), "bytes")  # no auto-borrow: owned bytes is a type error
    s = BUILTINS["view.slice"]
    assert s.params == ("bytes_view", "i32", "i32") and s.result == "bytes_view"
    assert s.view_of == (0,) and not s.auto_borrow


def test_literals():
    assert BUILTINS["bytes.lit"] == Sig(("text",), "bytes", literal_args=(0,))
    s = BUILTINS["bytes.view_lit"]
    assert s.result == "bytes_view" and s.literal_args == (0,) and not s.view_of
    assert "bytes.view_lit" in b.RUNTIME_VIEWS


def test_vec_u8_mutators_and_readers():
    for op in ("push", "set", "reserve_exact", "clear", "extend_bytes", "extend_bytes_range",
               "extend_zeroes", "into_bytes"):
        s = BUILTINS[f"vec_u8.{op}"]
        assert s.mutates == 0, op
        assert s.params[0] == "vec_u8"
    assert BUILTINS["vec_u8.push"] == Sig(("vec_u8", "i32"), "vec_u8", mutates=0)
    assert BUILTINS["vec_u8.into_bytes"].result == "bytes"
    s = BUILTINS["vec_u8.extend_bytes"]
    assert s.params == ("vec_u8", "bytes_view") and s.auto_borrow
    s = BUILTINS["vec_u8.extend_bytes_range"]
    assert s.params == ("vec_u8", "bytes_view", "i32", "i32") and s.auto_borrow
    for op in ("len", "get", "cap"):
        s = BUILTINS[f"vec_u8.{op}"]
        assert s.reads == (0,) and s.mutates is None and s.result == "i32"
    assert BUILTINS["vec_u8.with_capacity"] == Sig(("i32",), "vec_u8")
    assert BUILTINS["bytes.set_u8"] == Sig(("bytes", "i32", "i32"), "bytes", mutates=0)


def test_bytes_concat_consumes_both_but_std_bytes_concat_borrows():
    assert BUILTINS["bytes.concat"] == Sig(("bytes", "bytes"), "bytes")
    assert all(b.is_owned_type(t) for t in BUILTINS["bytes.concat"].params)
    s = BUILTINS["std.bytes.concat"]
    assert s.params == ("bytes_view", "bytes_view") and s.result == "bytes" and s.auto_borrow


def test_std_vec_wrappers_take_the_vector_by_value():
    assert BUILTINS["std.vec.as_bytes"] == Sig(("vec_u8",), "bytes")
    for name in ("std.vec.len", "std.vec.get", "std.vec.push", "std.vec.extend_bytes"):
        s = BUILTINS[name]
        assert s.params[0] == "vec_u8" and not s.reads and s.mutates is None, name
    assert BUILTINS["std.vec.with_capacity"] == Sig(("i32",), "vec_u8")


def test_option_result_inspectors():
    assert BUILTINS["result_bytes.is_ok"].reads == (0,)
    assert BUILTINS["result_bytes.err_code"].reads == (0,)
    assert BUILTINS["option_bytes.is_some"].reads == (0,)
    assert BUILTINS["result_bytes.unwrap_or"] == Sig(("result_bytes", "bytes"), "bytes")
    assert BUILTINS["option_bytes_view.unwrap_or"].view_of == (0, 1)
    assert BUILTINS["result_bytes_view.ok"].view_of == (0,)
    assert BUILTINS["std.brand.cast_view_v1"].view_of == (2,)


def test_stdlib_view_returns_borrow_their_first_param():
    for name in ("std.view.slice_v1", "std.bytes.trim_ascii_view", "std.bytes.strip_prefix_view",
                 "std.text.slices.view_at_v1"):
        assert BUILTINS[name].view_of == (0,), name
    assert BUILTINS["std.io.bufread.fill"].result == "bytes_view"
    assert "std.io.bufread.fill" in b.RUNTIME_VIEWS


def test_unsafe_and_operators():
    assert BUILTINS["memcpy"].unsafe and BUILTINS["ptr.add"].unsafe
    assert BUILTINS["std.brand.assume_bytes_v1"].unsafe
    assert not BUILTINS["bytes.as_ptr"].unsafe
    for op in ("+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "<u", ">=u", "<<u",
               ">>u", "&", "|", "^", "&&", "||"):
        assert BUILTINS[op] == Sig(("i32", "i32"), "i32"), op
    assert "<<" not in BUILTINS and ">>" not in BUILTINS
    assert BUILTINS["f64.div"] == Sig(("f64", "f64"), "f64")


def test_special_forms_are_not_calls():
    for head in ("begin", "let", "set", "set0", "if", "for", "while", "return", "unsafe",
                 "match", "try", "budget.scope_v1", "task.scope_v1"):
        assert head in SPECIAL_FORMS and SPECIAL_FORMS[head].strip()
    assert not (set(SPECIAL_FORMS) & set(BUILTINS))


def test_messages():
    for code in ("X07-MOVE-0001", "X07-MOVE-0002", "X07-BORROW-0001", "X07-BORROW-0002",
                 "X07-MOVE-0901", "X07-MOVE-0902"):
        assert MESSAGES[code].code == code
    assert MESSAGES["use_after_move"].template.startswith("use after move: ")
    assert MESSAGES["set_while_borrowed"].template.startswith('set while borrowed: "{name}"')
    assert MESSAGES["op_while_borrowed"].template == '{op} while borrowed: "{name}"'
    assert "single borrow source across branches" in MESSAGES["single_borrow_source"].template
    assert "requires an identifier owner" in MESSAGES["requires_ident_owner"].template
    assert "borrowed from local owned buffer" in MESSAGES["returns_view_from_local"].template
    for key, msg in MESSAGES.items():
        assert msg.template and msg.explanation, key
        # every placeholder is a plain name usable with str.format
        for field in re.findall(r"{([^{}]*)}", msg.template):
            assert re.fullmatch(r"[a-z_]+", field), (key, field)
