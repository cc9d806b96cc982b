"""Definition and references of C functions across workspace files (analysis/c/navigation.py),
through the LSP's in-process Service: the files sit in a tmp dir that is the workspace root."""
from __future__ import annotations

from pathlib import Path

from custody.lsp.navigation import definition, references
from custody.lsp.service import Service

HEADER = """typedef struct ar_box_s ar_box_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_box_t *ar_box__make(int n);
/** @note Ownership: Takes ownership of own_box and destroys it. */
void ar_box__destroy(ar_box_t *own_box);
"""
IMPL = """#include "ar_box.h"
#include <stdlib.h>
struct ar_box_s { int n; };
ar_box_t *ar_box__make(int n) { ar_box_t *own_box = malloc(sizeof(ar_box_t)); if (own_box) own_box->n = n; return own_box; }
void ar_box__destroy(ar_box_t *own_box) { free(own_box); }
ar_box_t *ar_box__twice(int n) { ar_box__destroy(ar_box__make(n)); return ar_box__make(n * 2); }
"""
USER = """#include "ar_box.h"
/* ar_box__make in a comment is not a call */
static void _helper(void) { const char *ref_s = "ar_box__make"; (void)ref_s; }
int ar_user__run(void) {
    ar_box_t *own_a = ar_box__make(1);
    ar_box__destroy(own_a);
    ar_box_t *own_b = ar_box__make(2);
    ar_box__destroy(own_b);
    _helper();
    return 0;
}
"""
OTHER = """static int ar_box__make(int n) { return n; }
int ar_other__run(void) { return ar_box__make(3); }
"""


def _project(tmp_path: Path):
    (tmp_path / "ar_box.h").write_text(HEADER)
    (tmp_path / "ar_box.c").write_text(IMPL)
    (tmp_path / "ar_user.c").write_text(USER)
    (tmp_path / "ar_other.c").write_text(OTHER)
    svc = Service(workspace_roots=[str(tmp_path)])
    uri = (tmp_path / "ar_user.c").as_uri()
    svc.open(uri, 1, USER, language_id="c")
    return svc, svc.snapshot(uri)


def _where(loc, tmp_path: Path):
    name = Path(loc.uri.replace("file://", "")).name
    text = (tmp_path / name).read_text().split("\n")
    line = text[loc.range.start.line]
    return name, line[loc.range.start.character:loc.range.end.character], loc.range.start.line


def test_references_include_calls_in_other_files(tmp_path):
    svc, snap = _project(tmp_path)
    at = USER.index("ar_box__make(1)")
    got = [_where(l, tmp_path) for l in references(snap, at, False)]
    assert got == [("ar_user.c", "ar_box__make", 4), ("ar_user.c", "ar_box__make", 6),
                   ("ar_box.c", "ar_box__make", 5), ("ar_box.c", "ar_box__make", 5)]
    # ar_other.c has its own static ar_box__make: its call is not to this one
    with_decl = [_where(l, tmp_path) for l in references(snap, at, True)]
    assert ("ar_box.h", "ar_box__make", 2) in with_decl and ("ar_box.c", "ar_box__make", 3) in with_decl
    assert not any(n == "ar_other.c" for n, _, _ in with_decl)
    assert with_decl[-4:] == got
    # from the header's declaration: the same calls
    hdr_uri = (tmp_path / "ar_box.h").as_uri()
    svc.open(hdr_uri, 1, HEADER, language_id="c")
    hsnap = svc.snapshot(hdr_uri)
    from_decl = [_where(l, tmp_path) for l in references(hsnap, HEADER.index("ar_box__make"), False)]
    assert sorted(from_decl) == sorted(got)


def test_definition_goes_to_the_other_file_and_the_header(tmp_path):
    svc, snap = _project(tmp_path)
    at = USER.index("ar_box__destroy(own_a)")
    got = [_where(l, tmp_path) for l in definition(snap, at, svc.engine.resolver(snap.path))]
    assert got == [("ar_box.c", "ar_box__destroy", 4), ("ar_box.h", "ar_box__destroy", 4)]
    # without a resolver (the summaries of the check are used)
    assert [_where(l, tmp_path) for l in definition(snap, at)] == got
    # a static function: only its own file
    got = [_where(l, tmp_path) for l in references(snap, USER.index("_helper();"), True)]
    assert got == [("ar_user.c", "_helper", 2), ("ar_user.c", "_helper", 8)]
