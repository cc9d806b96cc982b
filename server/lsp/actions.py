"""Code actions: every fix the engine proposes for the findings under the cursor, preferred
fixes marked, and "Fix all custody problems in file" (one fix at a time, re-checked)."""
from __future__ import annotations

from typing import Callable

from lsprotocol import types

from custody.analysis.findings import Finding, Fix
from custody.analysis.fix_all import chosen_fix, fix_all
from custody.analysis.source import LineIndex, Span

from .diagnostics import span_range, to_diagnostic
from .service import Snapshot

FIX_ALL_KIND = "source.fixAll.custody"
FIX_ALL_TITLE = "Fix all custody problems in file"


def _overlaps(snap: Snapshot, f: Finding, rng: types.Range) -> bool:
    r = span_range(snap.index, f.span)
    before = (r.end.line, r.end.character) < (rng.start.line, rng.start.character)
    after = (r.start.line, r.start.character) > (rng.end.line, rng.end.character)
    return not before and not after


def _wanted(only, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def quick_fixes(snap: Snapshot, rng: types.Range, only=None) -> list[types.CodeAction]:
    if not _wanted(only, types.CodeActionKind.QuickFix):
        return []
    out = []
    for f in snap.findings:
        if not f.fixes or not _overlaps(snap, f, rng):
            continue
        diag = to_diagnostic(f, snap)
        for fix in f.fixes:
            edits = [types.TextEdit(span_range(snap.index, e.span), e.new_text) for e in fix.edits]
            out.append(types.CodeAction(
                title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
                is_preferred=fix.preferred or None,
                edit=types.WorkspaceEdit(changes={snap.uri: edits})))
    return out


def whole_edit(index: LineIndex, old: bytes, new: bytes) -> types.TextEdit:
    """One edit turning old into new: the differing middle stretch only."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    while 0 < start < len(old) and (old[start] & 0xC0) == 0x80:    # not inside a UTF-8 sequence
        start -= 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    while end_old < len(old) and (old[end_old] & 0xC0) == 0x80:
        end_old += 1
        end_new += 1
    return types.TextEdit(span_range(index, Span(start, end_old)), new[start:end_new].decode("utf-8"))


def fix_all_action(snap: Snapshot, check: Callable[[bytes], list[Finding]], kind: str = FIX_ALL_KIND,
                   compute: bool = True) -> types.CodeAction | None:
    """None when nothing in the file can be fixed. With compute=False the edit is left for
    codeAction/resolve (see `resolve_fix_all`)."""
    if not any(chosen_fix(f, lambda x: True) for f in snap.findings):
        return None
    action = types.CodeAction(title=FIX_ALL_TITLE, kind=kind,
                              data={"uri": snap.uri, "version": snap.version, "fixAll": True})
    if compute:
        resolve_fix_all(action, snap, check)
    return action


def fix_all_edit(snap: Snapshot, check: Callable[[bytes], list[Finding]],
                 accept: Callable[[Fix], bool] = lambda fix: True) -> tuple[bytes, list[str], types.TextEdit | None]:
    """Fix all: (the fixed text, the titles of the fixes applied in order, one edit turning the
    document's text into it, or None when nothing was applied). The editor's "Fix all custody
    problems in file" and the MCP `fix` tool's `all`."""
    new, applied = fix_all(check, snap.data, accept)
    return new, applied, whole_edit(snap.index, snap.data, new) if applied else None


def resolve_fix_all(action: types.CodeAction, snap: Snapshot, check: Callable[[bytes], list[Finding]]) -> types.CodeAction:
    _, _, edit = fix_all_edit(snap, check)
    if edit is not None:
        action.edit = types.WorkspaceEdit(changes={snap.uri: [edit]})
    return action


def code_actions(snap: Snapshot, rng: types.Range, only, check: Callable[[bytes], list[Finding]],
                 lazy_fix_all: bool) -> list[types.CodeAction]:
    out = quick_fixes(snap, rng, only)
    if _wanted(only, FIX_ALL_KIND) or (out and _wanted(only, types.CodeActionKind.QuickFix)):
        # offered next to the quick fixes (as a quick fix) and on request as source.fixAll
        kind = FIX_ALL_KIND if only and _wanted(only, FIX_ALL_KIND) else types.CodeActionKind.QuickFix
        fa = fix_all_action(snap, check, kind, compute=not lazy_fix_all)
        if fa is not None:
            out.append(fa)
    return out
