"""What may follow the last syntax error (blanks and comments) is read in time linear in its
length: a comment full of blanks and carets after a broken declaration used to send the regular
expression into exponential backtracking, and `custody check` never finished."""
from __future__ import annotations

import subprocess
import sys

from custody.analysis.engine import Engine
from custody.analysis.syntax_errors import _ONLY_TRIVIA

BROKEN = (b'{\n:kind module\n:module_id app\n:schema_version x07.x07ast@0.8.0\n:imports ()\n'
          b':decls ({:kind export :names (app.first_two)}\n'
          b'{:kind defn :name app.first_tw"a":params ({:name b :ty bytes}) :result bytes_view '
          b':(beginody (bytes.subview b 0 2)}\n'
          b';' + b' ' * 61 + b'^\t' + b' ' * 24 + b'^' * 21 + b' X07-MOVE-0902\n)\n}\n')


def test_trivia_is_matched_whole():
    assert _ONLY_TRIVIA.match(b"  ; a comment\n\t// another\n /* and */ \n")
    assert not _ONLY_TRIVIA.match(b"  ; a comment\n x")
    assert not _ONLY_TRIVIA.match(b"/* a */ b */")          # a comment ends at its first `*/`
    # blanks and carets that end in something else: no match, and no backtracking to find out
    assert not _ONLY_TRIVIA.match(b";" + b" ^" * 5000 + b"\nx")
    assert not _ONLY_TRIVIA.match(b" " * 100000 + b"x")


def test_a_broken_file_with_a_long_comment_is_reported(tmp_path):
    path = tmp_path / "hang_input.x07t"
    path.write_bytes(BROKEN)
    codes = [f.code for f in Engine(batch=True).check(str(path), BROKEN).findings]
    assert "CUS-SYNTAX-0001" in codes
    # the CLI too, in its own process (a hang would end at the timeout and fail the test)
    out = subprocess.run([sys.executable, "-m", "custody.cli", "check", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert "CUS-SYNTAX-0001" in out.stdout
