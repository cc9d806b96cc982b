"""`custody` command line: check, explain, run, lsp. A thin layer: all analysis is in custody.analysis."""
from __future__ import annotations

import argparse
import json
import os
import sys

from custody.analysis.catalog import CATALOG, lookup
from custody.analysis.forked import usable_cpus
from custody.analysis.languages import LANGUAGES
from custody.batch import Options, check_files, collect, dump_json
from custody.quantities import parse_count, parse_duration, parse_size
from custody.run_request import RunRefused, refusal, run_program

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130      # 128 + SIGINT, as a shell reports a command Ctrl-C stopped


def cmd_check(args) -> int:
    files, errors = collect(args.paths)
    for e in errors:
        print(e, file=sys.stderr)
    opts = Options(format=args.format, fix=args.fix, module_roots=tuple(args.module_root or ()),
                   stdlib=args.stdlib)
    jobs = args.jobs if args.jobs is not None else usable_cpus()
    writer, finished = check_files(files, opts, jobs, progress=not args.no_progress)
    if args.format == "json":
        dump_json(writer.records, args.compact)
    elif finished and not errors and not writer.failed and writer.errors == 0:
        # the exit status follows errors; the summary must not call warnings "no problems"
        if writer.warnings:
            print(f"custody: {len(files)} file(s) checked, {writer.warnings} warning(s), no errors")
        else:
            print(f"custody: {len(files)} file(s) checked, no ownership problems")
    if not finished:
        return EXIT_INTERRUPTED
    if errors or writer.failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if writer.errors else EXIT_CLEAN


def _jobs(text: str) -> int:
    """A number of worker processes, >= 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (a whole number >= 1), got {text!r}")
    return n


def cmd_explain(args) -> int:
    info = lookup(args.code)
    if info is None:
        print(f"custody: unknown code {args.code!r}; known codes: {', '.join(sorted(CATALOG))}", file=sys.stderr)
        return EXIT_USAGE
    print(info.text())
    return EXIT_CLEAN


def cmd_mcp(args) -> int:
    from custody.mcp_server import serve  # the MCP SDK is imported only when the server runs

    return serve(args)


def cmd_lsp(args) -> int:
    try:
        from custody.lsp import serve  # the language server (separate issue)
    except ImportError:
        print("custody: the language server is not part of this build yet", file=sys.stderr)
        return EXIT_USAGE
    return serve(args)


# What the user can do about a trap, by trap code (the trap's message says what happened).
_TRAP_HINTS = {
    "fuel": "the program used its whole evaluation budget where shown (an endless loop?); if it "
            "just needs more, raise --fuel (e.g. --fuel 1e10 or --fuel inf)",
    "timeout": "raise --timeout (e.g. --timeout 60, or inf for no limit) to let it finish; a lower "
               "--fuel stops a runaway loop sooner and shows where it was",
    "oom": "the program went over its heap cap; raise --mem-cap (e.g. --mem-cap 1G) if it needs more",
}


def _where(report, loc) -> str:
    line, col = report.source_map.line_col(loc)
    return f"{report.source_map.display_path(loc)}:{line}:{col}"


def _print_run_text(report, out, debug_borrows: bool = False) -> None:
    if report.ran and report.trap is None:
        try:
            text = report.output.decode("utf-8")
        except UnicodeDecodeError:
            text = f"(output is not UTF-8; hex) {report.output.hex()}"
        out.write(text if text.endswith("\n") or not text else text + "\n")
    for f in report.findings:
        if not f.code.startswith("CUS-RUN-"):
            continue
        if f.code in ("CUS-RUN-0001", "CUS-RUN-0005") or (f.code == "CUS-RUN-0006" and not report.ran):
            path = report.finding_path(f)
            line, col = report.source_map.index(path).line_col(f.span.start)
            out.write(f"{path}:{line}:{col}: {f.severity}[{f.code}]: {f.message}\n")
    if not report.ran:
        out.write("custody run: the program was not run\n")
        return
    static_errors = [f for f in report.findings if f.severity == "error" and not f.code.startswith("CUS-RUN-")]
    if static_errors:
        hint = "" if debug_borrows else "; --debug-borrows shows where the run breaks them"
        out.write(f"custody run: note: custody check reports {len(static_errors)} error(s) in this program "
                  f"(see `custody check`); it ran with X07's run-time semantics (a moved value reads "
                  f"as empty){hint}\n")
    stats = report.mem_stats or {}
    if report.mem_stats is not None:
        out.write(f"custody run: fuel used {report.fuel_used if report.fuel_used is not None else '?'}; "
                  f"peak memory {stats.get('peak_live_bytes', '?')} bytes in "
                  f"{stats.get('peak_live_allocs', '?')} allocation(s)\n")
    if report.leak_free is True:
        out.write("custody run: leak-free\n")
    elif report.leak_free is False:
        out.write(f"custody run: LEAKED {stats.get('live_bytes', 0)} bytes in "
                  f"{stats.get('live_allocs', 0)} allocation(s) still live at exit\n")
    for v in report.borrow_violations:
        out.write(f"{_where(report, v.location or report.source_map.entry)}: borrow violation "
                  f"({v.kind}): {v.message}\n")
    if report.trap is not None:
        t = report.trap
        out.write(f"{_where(report, t.location or report.source_map.entry)}: trap ({t.code}): {t.message}\n")
        hint = _TRAP_HINTS.get(t.code)
        if hint:
            out.write(f"custody run: hint: {hint}\n")
    elif not report.borrow_violations and report.leak_free:
        out.write("custody run: ok\n")


def cmd_run(args) -> int:
    lang = LANGUAGES.pick(args.file)
    why = refusal(lang, suffixes=True)
    if why is not None:
        print(f"custody: {args.file}: {why}; `custody check` checks it", file=sys.stderr)
        return EXIT_USAGE
    try:
        data = open(args.file, "rb").read()
    except OSError as e:
        print(f"custody: {args.file}: {e.strerror}", file=sys.stderr)
        return EXIT_USAGE
    if args.input is not None:
        try:
            input_bytes = open(args.input, "rb").read()
        except OSError as e:
            print(f"custody: {args.input}: {e.strerror}", file=sys.stderr)
            return EXIT_USAGE
    else:
        input_bytes = (args.input_text or "").encode("utf-8")
    limits = {k: v for k, v in (("fuel", args.fuel), ("mem_cap", args.mem_cap),
                                ("timeout_s", args.timeout)) if v is not None}
    try:
        report = run_program(lang, args.file, data, input=input_bytes, debug_borrows=args.debug_borrows,
                             entry=args.entry, limits=limits, unconfined=args.unconfined)
    except RunRefused as e:
        print(f"custody: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        _print_run_text(report, sys.stdout, args.debug_borrows)
    if not report.built or not report.ran:
        return EXIT_USAGE
    return EXIT_CLEAN if report.ok else EXIT_FINDINGS


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


def _pid(text: str) -> int:
    """A process id, > 0."""
    try:
        pid = int(text)
    except ValueError:
        pid = 0
    if pid <= 0:
        raise argparse.ArgumentTypeError(f"expected a process id (a whole number > 0), got {text!r}")
    return pid


def _languages_and_suffixes() -> tuple[str, str]:
    """("X07 and C", "X07: .x07t, .x07.json; C: .c, .h") from the registered front-ends."""
    langs = LANGUAGES.languages
    titles = [lang.title for lang in langs]
    names = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
    return names, "; ".join(f"{lang.title}: " + ", ".join(lang.suffixes) for lang in langs)


def build_parser() -> argparse.ArgumentParser:
    names, suffixes = _languages_and_suffixes()
    ap = argparse.ArgumentParser(
        prog="custody", description=f"Ownership diagnostics for {names}: moves, transfers, borrows, "
        "leaks, checked statically (check), at run time (run, X07), in an editor (lsp) or by an "
        "agent (mcp).",
        epilog="`custody <command> --help` describes each command. Exit status: 0 clean, "
        "1 problems found, 2 usage or build error.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="<command>")
    c = sub.add_parser("check", help=f"check source files or directories ({suffixes})",
                       description=f"Check {names} sources for ownership problems (use after move "
                                   "or transfer, borrow conflicts, views that outlive their owner, "
                                   "leaks, double destroys, ...).")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help=f"a source file ({suffixes}), or a directory searched for them")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: one line per finding (default); json: a list of LSP-style diagnostics")
    c.add_argument("--compact", action="store_true", help="JSON on one line")
    c.add_argument("--fix", action="store_true", help="apply the fixes marked safe, then re-check")
    c.add_argument("--stdlib", metavar="DIR", help="X07 stdlib root (default: $X07_STDLIB)")
    c.add_argument("--module-root", metavar="DIR", action="append", help="extra module root (repeatable)")
    c.add_argument("-j", "--jobs", metavar="N", type=_jobs,
                   help="check files in N worker processes; the output is the same as with -j 1, in "
                        "the same order (default: the number of usable CPUs; -j 1 checks in this "
                        "process; --fix always uses one)")
    c.add_argument("--no-progress", action="store_true",
                   help="no 'checked N/M files' line on stderr (it only appears on a terminal, for "
                        "runs over a second, and never with --format json)")
    c.set_defaults(func=cmd_check)
    e = sub.add_parser("explain", help="explain a diagnostic code",
                       description="Explain a diagnostic code: what it means, an example and the fix.")
    e.add_argument("code", metavar="CODE", help="a code as printed by check or run, e.g. X07-MOVE-0901")
    e.set_defaults(func=cmd_explain)
    r = sub.add_parser("run", help="run a program on the bundled C runtime: output, leaks, borrow violations",
                       description="Translate an X07 program to C, build it against custody's runtime, "
                                   "run it with limits and report its output, memory use, leaks, "
                                   "traps and (with --debug-borrows) borrow violations.")
    r.add_argument("file", metavar="FILE", help="the .x07t or .x07.json program to run")
    src = r.add_mutually_exclusive_group()
    src.add_argument("--input", metavar="PATH", help="file whose bytes are the program's input")
    src.add_argument("--input-text", metavar="TEXT", help="the program's input, as UTF-8 text")
    r.add_argument("--debug-borrows", action="store_true",
                   help="check every move and borrow at run time and report where the run breaks them")
    r.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: the output and a summary (default); json: one report object")
    r.add_argument("--entry", metavar="NAME", help="the function to run (default: solve)")
    r.add_argument("--fuel", metavar="N", type=parse_count,
                   help="evaluation budget: one unit per evaluated expression; a whole number such as "
                        "1e9, 10M or 250000, or inf for the runtime's maximum (default 1e9)")
    r.add_argument("--mem-cap", metavar="BYTES", type=parse_size,
                   help="heap cap in bytes; K/M/G/T suffixes are powers of 1024, e.g. 64M, 1.5G, 512K "
                        "(default 64M; at most this machine's memory)")
    r.add_argument("--timeout", metavar="SECONDS", type=parse_duration,
                   help="wall-time limit: seconds such as 10 or 2.5, or 500ms, 2m, 1h; inf for none "
                        "(the fuel budget still ends the run) (default 10)")
    r.add_argument("--unconfined", action="store_true",
                   help="run even where this machine cannot sandbox the program (a kernel without "
                        "seccomp); only for code you trust. Where the sandbox is available it is "
                        "used anyway")
    r.set_defaults(func=cmd_run)
    lsp = sub.add_parser("lsp", help="run the language server on stdio",
                         description="Run the Language Server Protocol server on stdin/stdout, "
                                     "for editors (see editors/). Accepts the arguments LSP clients "
                                     "conventionally add (vscode-languageclient adds --stdio and "
                                     "--clientProcessId=PID).")
    transport = lsp.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true",
                           help="talk LSP on stdin/stdout (the default; accepted because clients pass it)")
    transport.add_argument("--tcp", metavar="HOST:PORT", type=host_port,
                           help="listen on a TCP socket instead (for debugging the server)")
    lsp.add_argument("--clientProcessId", "--client-process-id", dest="client_process_id", metavar="PID",
                     type=_pid, help="the editor's process id: the server exits (code 1 unless a "
                                     "shutdown request came, as LSP asks) when that process is gone")
    lsp.set_defaults(func=cmd_lsp)
    m = sub.add_parser("mcp", help="run the Model Context Protocol server on stdio, for agents",
                       description="Serve custody to agents over the Model Context Protocol on "
                                   "stdin/stdout: the tools check, ownership_at, explain, fix and "
                                   "run, and the resources custody://catalog and custody://languages "
                                   "(see the README's \"custody for agents (MCP)\").")
    m.add_argument("--stdlib", metavar="DIR", help="X07 stdlib root (default: $X07_STDLIB)")
    m.add_argument("--module-root", metavar="DIR", action="append", help="extra module root (repeatable)")
    m.set_defaults(func=cmd_mcp)
    return ap


def _leave(code: int) -> None:
    """End this `custody check` process now that its output is written: without freeing the
    checked files' values and results one by one (a 16 MiB file's millions of objects took
    ~0.2 s after the output was out). Only for the process's own command line (`argv` None):
    a caller of `main` in the same process gets its return value."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return                  # (the ordinary exit reports what it can)
    os._exit(code)


def main(argv=None) -> int:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_CLEAN
    try:
        code = args.func(args)
        if argv is None and args.command == "check":
            _leave(code)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception as e:  # a bug in custody must not look like a crash of the user's program
        print(f"custody: internal error ({type(e).__name__}: {e}); please report it", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
