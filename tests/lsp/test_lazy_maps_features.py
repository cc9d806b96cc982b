"""What the editor features answer on a file whose functions' maps are made when first read
(analysis/x07/check.py, LAZY_MIN_FUNCTIONS; the open of a big file) must be exactly what they
answer when every map is made at once: diagnostics, hovers, the ownership at the cursor,
definition and references, semantic tokens and inlay hints; also after an edit above every
function (the lazy results reused, moved) and with the open's findings split among forked
workers."""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest
from lsprotocol import converters, types

from custody.analysis.x07 import check
from custody.lsp import cursor, diagnostics, hover, inlay_hints, navigation, semantic_tokens
from custody.lsp.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from test_batch_mode import generated_module  # noqa: E402

_CONVERTER = converters.get_converter()


def _js(x) -> str:
    return json.dumps(_CONVERTER.unstructure(x), sort_keys=True, default=str)


def answers(monkeypatch, lazy_min: int, text: str, offsets: list, calls: list, split: bool = False) -> dict:
    monkeypatch.setattr(check, "LAZY_MIN_FUNCTIONS", lazy_min)
    monkeypatch.setattr(check, "LAZY_PARALLEL_MIN_FUNCTIONS", 20 if split else 10 ** 9)
    monkeypatch.setattr(check, "_spare_cpus", lambda: 2 if split else 1)
    svc = Service()
    uri = "file:///tmp/custody-lazy-features/gen.x07t"
    svc.open(uri, 1, text)
    out = {}
    for step, edit in enumerate((None, "\n\n")):
        if edit is not None:            # an edit above every function: every result moves
            text = edit + text
            svc.change(uri, 2, [types.TextDocumentContentChangeWholeDocument(text=text)])
            offsets = [o + len(edit) for o in offsets]
            calls = [o + len(edit) for o in calls]
        snap = svc.snapshot(uri)
        if step == 0:
            assert any(fr.map_pending for fr in snap.result.analysis.functions) == (lazy_min <= 8)
        got = {"diagnostics": _js(diagnostics.diagnostics(snap, svc.settings, None))}
        # before the edit, only some hovers (some maps made before the move, the rest after it)
        got["hover"] = [(_js(hover.hover(snap, o)), _js(cursor.ownership_at(snap, o)))
                        for o in (offsets[::3] if step == 0 else offsets)]
        if step == 0:
            out[step] = got
            continue
        got["navigation"] = [(_js(navigation.definition(snap, o)), _js(navigation.references(snap, o, True)))
                             for o in calls]
        got["tokens"] = _js(semantic_tokens.semantic_tokens(snap))
        whole = types.Range(types.Position(0, 0), types.Position(text.count("\n") + 1, 0))
        got["inlay"] = _js(inlay_hints.inlay_hints(snap, whole, {}))
        out[step] = got
    return out


@pytest.mark.parametrize("split", [False, True])
def test_features_answer_the_same_with_maps_made_on_first_read(monkeypatch, split):
    text = generated_module(40, 21).decode()
    rng = random.Random(3)
    offsets = sorted(rng.randrange(len(text)) for _ in range(60))
    offsets += [m.start() + 1 for m in re.finditer(r"\(let ", text)][:20]
    calls = [m.start() + 2 for m in re.finditer(r"\((?:bytes|view|vec_u8)\.", text)][:10]
    eager = answers(monkeypatch, 10 ** 9, text, offsets, calls)
    lazy = answers(monkeypatch, 8, text, offsets, calls, split)
    for step in eager:
        for k in eager[step]:
            assert lazy[step][k] == eager[step][k], (step, k)
    assert json.loads(eager[0]["diagnostics"])         # the module has findings to compare
