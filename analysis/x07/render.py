"""Rendering an x07AST expression (plain JSON value) in either source form, for fix edits."""
from __future__ import annotations

import json
import re

_ATOM = re.compile(r"[A-Za-z_+\-*/<>=!?&|%^~$.][A-Za-z0-9_+\-*/<>=!?&|%^~$.@]*\Z")
_INTLIKE = re.compile(r"-?[0-9]+\Z")


def render_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _text_string(s: str) -> str:
    if _ATOM.match(s) and s not in ("true", "false", "null") and not _INTLIKE.match(s):
        return s
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def render_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f'#num"{value!r}"'
    if isinstance(value, str):
        return _text_string(value)
    if isinstance(value, list):
        return "(" + " ".join(render_text(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + " ".join(f":{k} {render_text(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def renderer(form: str):
    return render_text if form == "x07text" else render_json


def list_separator(form: str) -> str:
    return " " if form == "x07text" else ","
