"""What the per-language editor benchmarks (c_bench.py, kea_bench.py, janus_bench.py) share: a
cold `custody check` in a fresh process, and one editor session over stdio with a generated file
(open it, type digits into function bodies and delete them again, hover, read the server's
memory), timed the same way for every language.

- keystrokes: per round, three digits are typed after one of the given offsets and deleted again
  (lsp_bench.keystrokes), one didChange per keystroke, each timed from sending it to the
  publishDiagnostics of that version (the server's debounce included); the rounds go to the
  offsets in turn, so several functions are edited one after another;
- hovers: at the given offsets, after the typing (the text is then the same as opened).
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_bench import Session, keystrokes, ms, pct, position, rss_mb  # noqa: E402

CUSTODY = [sys.executable, "-c", "import sys; from custody.cli import main; sys.argv[0] = 'custody'; sys.exit(main())"]


def cold_check(path: Path, rounds: int = 3) -> tuple[float, str]:
    """(best wall time of `custody check PATH` in a fresh process, what it said: how many
    findings it printed, or its last line when none)."""
    best, said = float("inf"), ""
    for _ in range(rounds):
        t0 = time.perf_counter()
        r = subprocess.run(CUSTODY + ["check", str(path)], capture_output=True, text=True)
        best = min(best, time.perf_counter() - t0)
        lines = (r.stdout + r.stderr).strip().splitlines()
        found = sum(1 for x in lines if x[:1].strip() and ("error[" in x or "warning[" in x))
        said = f"{found} findings" if found else (lines[-1] if lines else "")
    return best, said


async def editor_session(name: str, language_id: str, text: str, sites: list[int], n_keys: int,
                         hovers: list[int] = (), files: dict | None = None) -> dict:
    """Opens `text` as `name` (with `files`, name -> text, beside it), types about `n_keys`
    keystrokes at `sites` (character offsets), hovers at `hovers`; returns the times (seconds)
    and the server's RSS (MB)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"custody-{language_id}-bench-"))
    for other, body in (files or {}).items():
        (tmp / other).write_text(body)
    uri = (tmp / name).as_uri()
    s = Session()
    await s.start(tmp)
    res: dict = {"lines": text.count("\n"), "rss_idle_mb": rss_mb(s.pid)}
    fut = s.expect(uri, 1)
    t0 = time.perf_counter()
    s.client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
    t1, diags = await asyncio.wait_for(fut, 120)
    res["first_open_s"] = t1 - t0
    res["diagnostics"] = len(diags)
    res["rss_after_open_mb"] = rss_mb(s.pid)
    version, lat, cur = 1, [], text
    rounds = (n_keys + 5) // 6
    for r in range(rounds):
        for off, ch in keystrokes(text, sites[r % len(sites)], 1):
            version += 1
            if ch is None:
                rng = types.Range(position(cur, off - 1), position(cur, off))
                cur, new = cur[:off - 1] + cur[off:], ""
            else:
                rng = types.Range(position(cur, off), position(cur, off))
                cur, new = cur[:off] + ch + cur[off:], ch
            fut = s.expect(uri, version)
            t0 = time.perf_counter()
            s.client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangePartial(range=rng, text=new)]))
            t1, _ = await asyncio.wait_for(fut, 120)
            lat.append(t1 - t0)
    res["keys"] = lat
    times = []
    for off in hovers:
        t0 = time.perf_counter()
        await asyncio.wait_for(s.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), position(cur, off))), 60)
        times.append(time.perf_counter() - t0)
    res["hovers"] = times
    res["rss_after_typing_mb"] = rss_mb(s.pid)
    await s.stop()
    return res


def report(what: str, r: dict) -> None:
    """Prints an editor session's numbers (`what`: "10,000-line .kea file")."""
    keys, hovers = r["keys"], r["hovers"]
    line = (f"{what}: first open {ms(r['first_open_s'])}, {r['diagnostics']} diagnostics; "
            f"keystroke -> diagnostics over stdio: p50 {ms(pct(keys, 50))}, p95 {ms(pct(keys, 95))}, "
            f"max {ms(max(keys))} ({len(keys)} keystrokes)")
    if hovers:
        line += f"; hover p50 {ms(pct(hovers, 50))}, p95 {ms(pct(hovers, 95))} ({len(hovers)} hovers)"
    print(line)
    print(f"server RSS: idle {r['rss_idle_mb']:.0f} MB, file open {r['rss_after_open_mb']:.0f} MB, "
          f"after typing {r['rss_after_typing_mb']:.0f} MB")
