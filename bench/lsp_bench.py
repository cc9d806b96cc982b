"""Language server benchmark: drives `custody lsp` over stdio with pygls's LanguageClient and
measures what an editor user feels.

    .venv/bin/python bench/lsp_bench.py [--lines 25000] [--forms x07text,json] [--keystrokes 120]
                                        [--hovers 150] [--modules 200]

- keystroke to diagnostics: a generated module (bench/analysis_bench.make_module) is opened; then
  single-character edits inside one function in the middle (typing three digits after a number
  and deleting them again), one didChange per keystroke, each timed from sending the didChange
  to receiving the publishDiagnostics of that version (the server's debounce included);
- full analysis of the same text in the same run: the first open (time to first diagnostics)
  and the open of a copy under another URI in which every function differs (so the server's
  per-function cache cannot help); p95 keystroke latency is compared with the faster of the two;
- hover latency at binding occurrences spread over the whole file;
- the server's resident memory (VmRSS of its process) with the big module open, and in a
  fresh server whose workspace holds a chain of generated modules (indexed in the background
  after `initialized`) with a few of them open.

Prints the machine and the numbers; nothing is asserted (targets are in the README).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_bench import machine as analysis_machine  # noqa: E402
from analysis_bench import make_module  # noqa: E402

SERVER = [sys.executable, "-c", "import sys; from custody.cli import main; sys.exit(main(['lsp']))"]
TIMEOUT = 120.0


def machine() -> str:
    return f"{platform.platform()}, {os.cpu_count()} CPUs, {analysis_machine()}"


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def position(text: str, offset: int) -> types.Position:
    """LSP position (UTF-16) of a character offset."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line, len(text[start:offset].encode("utf-16-le")) // 2)


class Session:
    """One `custody lsp` process under pygls's LanguageClient, with publishDiagnostics collected
    per (uri, version) and the time each arrived."""

    def __init__(self):
        self.client = LanguageClient("custody-bench", "0")
        self.waiters: dict[tuple[str, int | None], asyncio.Future] = {}
        self.arrived: dict[tuple[str, int | None], tuple[float, list]] = {}
        self.logs: list[str] = []

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams):
            key = (params.uri, params.version)
            self.arrived[key] = (time.perf_counter(), list(params.diagnostics))
            fut = self.waiters.pop(key, None)
            if fut is not None and not fut.done():
                fut.set_result(self.arrived[key])

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params: types.LogMessageParams):
            self.logs.append(params.message)

    async def start(self, root: Path | None = None):
        await self.client.start_io(*SERVER)
        self.pid = self.client._server.pid
        self._drain = asyncio.create_task(self._drain_stderr())
        folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root else None
        caps = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)))
        await asyncio.wait_for(self.client.initialize_async(types.InitializeParams(
            capabilities=caps, process_id=os.getpid(), root_uri=root.as_uri() if root else None,
            workspace_folders=folders)), TIMEOUT)
        self.client.initialized(types.InitializedParams())

    async def _drain_stderr(self):
        stream = self.client._server.stderr
        while await stream.readline():
            pass

    def expect(self, uri: str, version: int) -> asyncio.Future:
        """A future for the diagnostics of this version; create it before sending the change."""
        key = (uri, version)
        fut = asyncio.get_running_loop().create_future()
        if key in self.arrived:
            fut.set_result(self.arrived[key])
        else:
            self.waiters[key] = fut
        return fut

    async def open(self, uri: str, text: str, version: int = 1) -> tuple[float, list]:
        """-> (seconds from didOpen to its diagnostics, the diagnostics)."""
        fut = self.expect(uri, version)
        t0 = time.perf_counter()
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="x07", version=version, text=text)))
        t1, diags = await asyncio.wait_for(fut, TIMEOUT)
        return t1 - t0, diags

    async def stop(self):
        try:
            await asyncio.wait_for(self.client.shutdown_async(None), 30)
            self.client.exit(None)
            await asyncio.wait_for(self.client.stop(), 30)
        except Exception:
            if self.client._server.returncode is None:
                self.client._server.kill()
        self._drain.cancel()


def keystrokes(text: str, at: int, rounds: int) -> list[tuple[int, str | None]]:
    """Edits at character offsets: per round, type three digits after offset `at`, then delete
    them again (None = delete the character before the offset)."""
    out = []
    for r in range(rounds):
        digits = f"{(r * 7 + 123) % 1000:03d}"
        for i, ch in enumerate(digits):
            out.append((at + i, ch))
        for i in range(3, 0, -1):
            out.append((at + i, None))
    return out


async def bench_form(form: str, lines: int, n_keys: int, n_hovers: int) -> dict:
    data = make_module(lines, form).decode()
    ext = ".x07t" if form == "x07text" else ".x07.json"
    tmp = Path(tempfile.mkdtemp(prefix="custody-lsp-bench-"))
    uri = (tmp / f"main{ext}").as_uri()
    s = Session()
    await s.start()
    res: dict = {"form": form, "lines": data.count("\n"), "bytes": len(data.encode())}
    rss_before = rss_mb(s.pid)
    cold, diags = await s.open(uri, data)
    res["first_open_s"] = cold
    res["diagnostics"] = len(diags)
    res["rss_after_open_mb"] = rss_mb(s.pid)
    res["rss_idle_mb"] = rss_before

    # the function in the middle, and its first `48` (a number literal inside the body)
    nfun = data.count(":name main.f") if form == "x07text" else data.count('"name": "main.f')
    mid = data.find(":name main.f%d\n" % (nfun // 2)) if form == "x07text" else data.find('"main.f%d"' % (nfun // 2))
    at = data.find("48", mid) + 2
    res["functions"] = nfun
    text, version, lat = data, 1, []
    for off, ch in keystrokes(data, at, (n_keys + 5) // 6):
        version += 1
        if ch is None:
            rng = types.Range(position(text, off - 1), position(text, off))
            text = text[:off - 1] + text[off:]
            new = ""
        else:
            rng = types.Range(position(text, off), position(text, off))
            text = text[:off] + ch + text[off:]
            new = ch
        fut = s.expect(uri, version)
        t0 = time.perf_counter()
        s.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangePartial(range=rng, text=new)]))
        t1, d = await asyncio.wait_for(fut, TIMEOUT)
        lat.append(t1 - t0)
    assert text == data
    res["keys"] = lat
    res["diagnostics_after_typing"] = len(d)
    res["rss_after_typing_mb"] = rss_mb(s.pid)

    # full analysis of (nearly) the same text under another URI: every function's `48` becomes
    # `47`, so no function is found in the server's per-function cache
    other = data.replace("48", "47")
    full_warm, _ = await s.open((tmp / f"copy{ext}").as_uri(), other)
    res["full_other_uri_s"] = full_warm
    res["rss_two_open_mb"] = rss_mb(s.pid)

    # hovers at binding occurrences across the file (`out` where it is bound by `let`)
    needle = "(let out " if form == "x07text" else '"let",\n'
    sites = []
    i = data.find(needle)
    while i != -1:
        if form == "x07text":
            sites.append(i + len("(let "))
        else:
            j = data.find('"out"', i)
            if j != -1:
                sites.append(j + 1)
        i = data.find(needle, i + 1)
    step = max(1, len(sites) // max(1, n_hovers))
    sites = sites[::step][:n_hovers]
    hov, empty = [], 0
    for off in sites:
        t0 = time.perf_counter()
        h = await asyncio.wait_for(s.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), position(data, off + 1))), TIMEOUT)
        hov.append(time.perf_counter() - t0)
        empty += h is None
    res["hovers"] = hov
    res["hover_empty"] = empty
    res["server_errors"] = [m for m in s.logs if "internal error" in m]
    await s.stop()
    return res


MODULE = """\
{{
:kind module
:module_id app.m{i}
:schema_version x07.x07ast@0.8.0
:imports ({imports})
:decls ({{:kind export :names (app.m{i}.wrap app.m{i}.pad app.m{i}.count)}}
{{
:kind defn
:name app.m{i}.wrap
:params ({{:name b :ty bytes}} {{:name sep :ty bytes_view}})
:result bytes
:body (begin
  (let out (vec_u8.with_capacity (+ (bytes.len b) (view.len sep))))
  (set out (vec_u8.extend_bytes out sep))
  (set out (vec_u8.extend_bytes out (bytes.view b)))
  (vec_u8.into_bytes out))
}}
{{
:kind defn
:name app.m{i}.pad
:params ({{:name b :ty bytes}} {{:name width :ty i32}})
:result bytes
:body (begin
  (let n (bytes.len b))
  (let out (vec_u8.with_capacity width))
  (for i 0 (- width n) (set out (vec_u8.push out 32)))
  (set out (vec_u8.extend_bytes out (bytes.view b)))
  (vec_u8.into_bytes out))
}}
{{
:kind defn
:name app.m{i}.count
:params ({{:name v :ty bytes_view}} {{:name c :ty i32}})
:result i32
:body (begin
  (let k 0)
  (for j 0 (view.len v) (if (= (view.get_u8 v j) c) (set k (+ k 1)) 0))
  k)
}}
{{
:kind defn
:name app.m{i}.run
:params ({{:name b :ty bytes}})
:result bytes
:body (begin
{body}
  )
}})
}}
"""


def make_workspace(root: Path, n: int) -> list[Path]:
    """n modules app.m0..app.m{n-1}; each imports the next two and calls into them."""
    (root / "app").mkdir(parents=True)
    (root / "x07.json").write_text('{"name": "bench"}\n')
    paths = []
    for i in range(n):
        deps = [j for j in (i + 1, i + 2) if j < n]
        if deps:
            body = "\n".join([f"  (let w (app.m{deps[0]}.wrap b (bytes.view_lit sep)))",
                              f"  (let p (app.m{deps[-1]}.pad w 16))",
                              f"  (let c (app.m{deps[-1]}.count (bytes.view p) 32))",
                              "  p"])
        else:
            body = "  (app.m{0}.wrap b (bytes.view_lit end))".format(i)
        p = root / "app" / f"m{i}.x07t"
        p.write_text(MODULE.format(i=i, imports=" ".join(f"app.m{j}" for j in deps), body=body))
        paths.append(p)
    return paths


async def bench_workspace(n_modules: int, n_open: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="custody-lsp-ws-"))
    paths = make_workspace(root, n_modules)
    s = Session()
    t0 = time.perf_counter()
    await s.start(root)
    res: dict = {"modules": n_modules, "open": n_open}
    opened = paths[:: max(1, n_modules // n_open)][:n_open]
    diags = 0
    for p in opened:
        _, d = await s.open(p.as_uri(), p.read_text())
        diags += len(d)
    res["diagnostics_in_open"] = diags
    # the index is built in the background, between requests: answer requests and sample RSS
    # until it has not moved for a second (at most a minute)
    prev, stable, samples = -1.0, 0, 0
    while stable < 20 and samples < 1200:
        await asyncio.wait_for(s.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(opened[0].as_uri()), types.Position(0, 0))), TIMEOUT)
        cur = rss_mb(s.pid)
        stable = stable + 1 if abs(cur - prev) < 0.05 else 0
        prev, samples = cur, samples + 1
        await asyncio.sleep(0.05)
    res["settle_s"] = time.perf_counter() - t0
    res["rss_mb"] = rss_mb(s.pid)
    res["server_errors"] = [m for m in s.logs if "internal error" in m]
    await s.stop()
    return res


def reparse_cost(text: str, at: int, rounds: int) -> float:
    """tree-sitter's own incremental reparse of the same one-character edits (in this process,
    median seconds): the floor a keystroke's analysis is compared with."""
    from custody.analysis.x07.text_form import new_parser
    parser = new_parser()
    data = text.encode()
    tree = parser.parse(data)
    times = []
    for off, ch in keystrokes(text, at, rounds):
        b = len(text[:off].encode())
        row = data.count(b"\n", 0, b)
        col = b - (data.rfind(b"\n", 0, b) + 1)
        if ch is None:
            new = data[:b - 1] + data[b:]
            t0 = time.perf_counter()
            tree.edit(start_byte=b - 1, old_end_byte=b, new_end_byte=b - 1, start_point=(row, col - 1),
                      old_end_point=(row, col), new_end_point=(row, col - 1))
        else:
            new = data[:b] + ch.encode() + data[b:]
            t0 = time.perf_counter()
            tree.edit(start_byte=b, old_end_byte=b, new_end_byte=b + 1, start_point=(row, col),
                      old_end_point=(row, col), new_end_point=(row, col + 1))
        tree = parser.parse(new, tree)
        times.append(time.perf_counter() - t0)
        data = new
        text = data.decode()
    return statistics.median(times)


async def growth(sizes: list[int], n_keys: int) -> None:
    """Keystroke cost against file size (x07text): p50 and p95 over stdio per size, tree-sitter's
    reparse of the same edits, and the growth exponent (least squares of log p50 on log lines)."""
    import math
    rows = []
    for lines in sizes:
        r = await bench_form("x07text", lines, n_keys, 0)
        data = make_module(lines, "x07text").decode()
        nfun = data.count(":name main.f")
        at = data.find("48", data.find(":name main.f%d\n" % (nfun // 2))) + 2
        ts = reparse_cost(data, at, (n_keys + 5) // 6)
        rows.append((r["lines"], pct(r["keys"], 50), pct(r["keys"], 95), ts, r["first_open_s"], r["rss_after_typing_mb"]))
        print(f"{r['lines']:>7,} lines: keystroke p50 {ms(rows[-1][1])}, p95 {ms(rows[-1][2])}; tree-sitter reparse "
              f"{ts * 1000:.2f} ms (p95 / reparse = {rows[-1][2] / ts:.1f}x); first open {ms(r['first_open_s'])}; "
              f"RSS after typing {r['rss_after_typing_mb']:.0f} MB", flush=True)
    if len(rows) < 2:
        return
    xs = [math.log(n) for n, *_ in rows]
    ys = [math.log(p50) for _, p50, *_ in rows]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"growth exponent of keystroke p50 over {', '.join(f'{n:,}' for n, *_ in rows)} lines: {slope:.2f}")


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


async def main_async(a) -> None:
    print(f"machine: {machine()}")
    print(f"server: {' '.join(SERVER[:1])} -c ... custody lsp (stdio), client: pygls LanguageClient")
    if a.growth:
        await growth([int(x) for x in a.growth.split(",")], a.keystrokes)
        return
    for form in a.forms.split(","):
        r = await bench_form(form, a.lines, a.keystrokes, a.hovers)
        keys = r["keys"]
        full = min(r["first_open_s"], r["full_other_uri_s"])
        p50, p95 = pct(keys, 50), pct(keys, 95)
        print(f"\n== {form}: {r['lines']:,} lines, {r['bytes']:,} bytes, {r['functions']:,} functions "
              f"({r['diagnostics']} diagnostics on open)")
        print(f"full analysis: first open -> diagnostics {ms(r['first_open_s'])}; "
              f"changed copy under another URI {ms(r['full_other_uri_s'])}")
        print(f"keystroke -> diagnostics over {len(keys)} keystrokes: p50 {ms(p50)}, p95 {ms(p95)}, "
              f"max {ms(max(keys))}, mean {ms(statistics.mean(keys))}")
        slow = [f"#{i + 1}: {ms(x)}" for i, x in enumerate(keys) if x > 4 * p50]
        print(f"  p95 / full analysis (faster of the two) = {p95 / full:.3f}; keystrokes over 4x p50: "
              f"{', '.join(slow) or 'none'}")
        hov = r["hovers"]
        print(f"hover over {len(hov)} binding occurrences: p50 {ms(pct(hov, 50))}, p95 {ms(pct(hov, 95))}, "
              f"max {ms(max(hov))} ({r['hover_empty']} empty)")
        print(f"server RSS: idle {r['rss_idle_mb']:.0f} MB, module open {r['rss_after_open_mb']:.0f} MB, "
              f"after typing {r['rss_after_typing_mb']:.0f} MB, with the second copy open {r['rss_two_open_mb']:.0f} MB")
        if r["server_errors"]:
            print(f"server internal errors: {len(r['server_errors'])}: {r['server_errors'][0][:300]}")
    if a.modules:
        w = await bench_workspace(a.modules, a.open)
        print(f"\n== workspace: {w['modules']} modules (app/m*.x07t, each importing the next two), "
              f"{w['open']} open ({w['diagnostics_in_open']} diagnostics)")
        print(f"server RSS after indexing: {w['rss_mb']:.0f} MB (settled {w['settle_s']:.1f} s after start)")
        if w["server_errors"]:
            print(f"server internal errors: {len(w['server_errors'])}: {w['server_errors'][0][:300]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=25000)
    ap.add_argument("--forms", default="x07text,json", help="comma-separated: x07text, json")
    ap.add_argument("--keystrokes", type=int, default=120)
    ap.add_argument("--hovers", type=int, default=150)
    ap.add_argument("--modules", type=int, default=200)
    ap.add_argument("--open", type=int, default=5)
    ap.add_argument("--growth", default="", help="comma-separated line counts (e.g. 2000,6000,25000,100000): "
                    "keystroke cost per size and its growth exponent, instead of the other measures")
    a = ap.parse_args()
    asyncio.run(main_async(a))


if __name__ == "__main__":
    main()
