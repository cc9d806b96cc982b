"""`custody` command line: check, explain, lsp. A thin layer: all analysis is in custody.analysis."""
from __future__ import annotations

import argparse
import json
import os
import sys

from custody.analysis.catalog import CATALOG, lookup
from custody.analysis.engine import Engine, is_source
from custody.analysis.fix_all import fix_all

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _collect(paths: list[str]) -> tuple[list[str], list[str]]:
    files, errors = [], []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                files.extend(os.path.join(root, n) for n in sorted(names) if is_source(n))
        elif os.path.isfile(p):
            files.append(p)
        else:
            errors.append(f"custody: {p}: no such file or directory")
    return files, errors


def _print_text(path, parsed, findings, out):
    idx = parsed.index
    for f in findings:
        line, col = idx.line_col(f.span.start)
        out.write(f"{path}:{line}:{col}: {f.severity}[{f.code}]: {f.message}\n")
        for r in f.related:
            rl, rc = idx.line_col(r.span.start)
            out.write(f"  {r.path or path}:{rl}:{rc}: note: {r.message}\n")
        for fx in f.fixes:
            out.write(f"  fix{' (safe)' if fx.safe else ''}: {fx.title}\n")


def cmd_check(args) -> int:
    files, errors = _collect(args.paths)
    for e in errors:
        print(e, file=sys.stderr)
    engine = Engine(module_roots=args.module_root or (), stdlib_root=args.stdlib)
    worst = EXIT_CLEAN
    records = []
    for path in files:
        try:
            data = open(path, "rb").read()
        except OSError as e:
            print(f"custody: {path}: {e.strerror}", file=sys.stderr)
            errors.append(path)
            continue
        result = engine.check(path, data)
        findings = result.analysis.findings
        if args.fix:
            new, applied = fix_all(lambda d: engine.check(path, d).analysis.findings, data, lambda fx: fx.safe)
            if applied:
                with open(path, "wb") as fh:
                    fh.write(new)
                print(f"custody: {path}: applied {len(applied)} fix(es): {'; '.join(applied)}", file=sys.stderr)
                result = engine.check(path, new)
                findings = result.analysis.findings
        if any(f.severity == "error" for f in findings):
            worst = EXIT_FINDINGS
        if args.format == "json":
            records.extend(f.to_json(path, result.parsed.index) for f in findings)
        else:
            _print_text(path, result.parsed, findings, sys.stdout)
    if args.format == "json":
        json.dump(records, sys.stdout, indent=None if args.compact else 1, ensure_ascii=False)
        sys.stdout.write("\n")
    elif worst == EXIT_CLEAN and not errors:
        print(f"custody: {len(files)} file(s) checked, no ownership problems")
    if errors:
        return EXIT_USAGE
    return worst


def cmd_explain(args) -> int:
    info = lookup(args.code)
    if info is None:
        print(f"custody: unknown code {args.code!r}; known codes: {', '.join(sorted(CATALOG))}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{info.code}: {info.title}\n\n{info.explanation}\n")
    if info.example:
        print(f"Example:\n    {info.example}\n")
    print(f"Fix: {info.fix}")
    return EXIT_CLEAN


def cmd_lsp(args) -> int:
    try:
        from custody.lsp import serve  # the language server (separate issue)
    except ImportError:
        print("custody: the language server is not part of this build yet", file=sys.stderr)
        return EXIT_USAGE
    return serve(args)


def host_port(text: str) -> tuple[str, int]:
    """`HOST:PORT` (or `:PORT`, or `PORT`, for 127.0.0.1) -> (host, port)."""
    host, _, port = text.rpartition(":")
    try:
        number = int(port)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT with a port number 0-65535, got {text!r}")
    return host or "127.0.0.1", number


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="custody", description="Ownership diagnostics for X07.")
    sub = ap.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check .x07t / .x07.json files or directories")
    c.add_argument("paths", nargs="+")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--compact", action="store_true", help="JSON on one line")
    c.add_argument("--fix", action="store_true", help="apply the fixes marked safe, then re-check")
    c.add_argument("--stdlib", metavar="DIR", help="X07 stdlib root (default: $X07_STDLIB)")
    c.add_argument("--module-root", metavar="DIR", action="append", help="extra module root (repeatable)")
    c.set_defaults(func=cmd_check)
    e = sub.add_parser("explain", help="explain a diagnostic code")
    e.add_argument("code")
    e.set_defaults(func=cmd_explain)
    lsp = sub.add_parser("lsp", help="run the language server on stdio")
    lsp.add_argument("--tcp", metavar="HOST:PORT", type=host_port,
                     help="listen on a TCP socket instead (for debugging the server)")
    lsp.set_defaults(func=cmd_lsp)
    return ap


def main(argv=None) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_CLEAN
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as e:  # a bug in custody must not look like a crash of the user's program
        print(f"custody: internal error ({type(e).__name__}: {e}); please report it", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
