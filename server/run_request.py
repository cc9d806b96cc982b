"""One way to run a program, whoever asks: `custody run`, the editor's run command and the MCP
server's `run` tool all run code through `run_program`, that is through the document's front-end
and its sandboxed runner (`FrontEnd.run`; X07's is runtime_c/), and refuse a language that cannot
run in the same words (`refusal`).

Why a module of its own: the refusal, the input cap and the call into the runner lived in cli.py;
a second caller (the MCP server) must not grow a second way of executing user code, and which
languages can run is the registry's to say (`FrontEnd.can_run`), not any caller's.
"""
from __future__ import annotations

from custody.analysis.engine import Engine
from custody.analysis.frontend import FrontEnd
from custody.analysis.languages import LANGUAGES

MAX_INPUT = 1 << 32         # the runner hands the input over with a u32 length


class RunRefused(ValueError):
    """The program is not run (the language cannot run, the input is too large); says why."""


def runnable(suffixes: bool = False) -> str:
    """The languages custody can run: "X07", or with their suffixes "X07 (.x07.json, .x07t)"."""
    return " or ".join(f"{x.title} ({', '.join(x.suffixes)})" if suffixes else x.title
                       for x in LANGUAGES.languages if x.can_run)


def refusal(lang: FrontEnd, suffixes: bool = False) -> str | None:
    """Why `lang`'s programs cannot be run, or None when they can."""
    if lang.can_run:
        return None
    return f"custody runs {runnable(suffixes)} programs, not {lang.title} ones"


def run_program(lang: FrontEnd, path: str | None, data: bytes, *, input: bytes = b"",
                entry: str | None = None, debug_borrows: bool = False, limits: dict | None = None,
                unconfined: bool = False, engine: Engine | None = None, resolver=None):
    """Run `data` (the document at `path`) with its front-end's runner: its report (X07:
    runtime_c.report.RunReport). `limits`: fuel, mem_cap, timeout_s (the runner's defaults for
    those left out). Raises RunRefused before anything is built."""
    why = refusal(lang, suffixes=True)
    if why is not None:
        raise RunRefused(why)
    if len(input) >= MAX_INPUT:
        raise RunRefused("the input is over 4 GiB")
    options = dict(limits or {})
    if resolver is not None:
        options["resolver"] = resolver
    else:
        options["engine"] = engine if engine is not None else Engine()
    return lang.run(path, data, input=input, debug_borrows=debug_borrows, entry=entry,
                    unconfined=unconfined, **options)
