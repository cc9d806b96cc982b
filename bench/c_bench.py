"""C front-end benchmark (AgeRun's conventions): a cold `custody check` of an AgeRun-sized tree,
and keystroke-to-diagnostics latency over stdio on a 2,000-line C file.

    .venv/bin/python bench/c_bench.py [--modules 75] [--lines 2000] [--keystrokes 120]

- the tree: `--modules` generated modules in AgeRun's style, each an `ar_<m>.h` with Doxygen
  ownership notes and an `ar_<m>.c` implementing it (creates, destroys, sinks that consume always
  or on success, getters, NULL-guarded exits, goto cleanup, loops), calling the modules before
  it; `custody check` runs on the directory in a fresh process (wall time, best of 3);
- keystrokes: one generated `.c` file of about `--lines` lines is opened in `custody lsp`
  (languageId `c`); then digits are typed into a number inside a function in the middle and
  deleted again (timed as editor_bench.py says). The first open of the file is the
  full-analysis yardstick of the same run.

Prints the machine and the numbers; nothing is asserted (targets are in the README).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from editor_bench import cold_check, editor_session, report  # noqa: E402
from lsp_bench import machine  # noqa: E402


def header(m: int) -> str:
    t = f"ar_m{m}_t"
    return f"""#ifndef AR_M{m}_H
#define AR_M{m}_H
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_m{m}_s {t};

/**
 * Creates a new m{m}.
 * @return A new m{m}, or NULL on failure
 * @note Ownership: Returns an owned value that caller must destroy
 */
{t}* ar_m{m}__create(int ref_size);

/**
 * Destroys an m{m}.
 * @param own_m The m{m} to destroy
 * @note Ownership: Takes ownership of own_m
 */
void ar_m{m}__destroy({t} *own_m);

/**
 * Stores an item.
 * @return true on success
 * @note Ownership: Takes ownership of own_item on success; on failure the caller must destroy it
 */
bool ar_m{m}__store({t} *mut_m, {t} *own_item);

/**
 * Gets the first item.
 * @return A borrowed reference, do not destroy
 */
const {t}* ar_m{m}__get_first(const {t} *ref_m);

#endif
"""


def module(m: int) -> str:
    t = f"ar_m{m}_t"
    prev = m - 1
    uses = ""
    if prev >= 0:
        uses = f"""
static bool _use_previous(int ref_n) {{
    ar_m{prev}_t *own_other = ar_m{prev}__create(ref_n);
    if (!own_other) {{
        return false;
    }}
    ar_m{prev}_t *own_item = ar_m{prev}__create(ref_n + 1);
    if (!own_item) {{
        ar_m{prev}__destroy(own_other);
        return false;
    }}
    if (!ar_m{prev}__store(own_other, own_item)) {{
        ar_m{prev}__destroy(own_item);
    }}
    ar_m{prev}__destroy(own_other);
    return true;
}}
"""
    return f"""#include "ar_m{m}.h"
{'#include "ar_m%d.h"' % prev if prev >= 0 else ''}
#include "ar_heap.h"

struct ar_m{m}_s {{
    int size;
    {t} *own_items[8];
    int count;
}};

{t}* ar_m{m}__create(int ref_size) {{
    {t} *own_m = AR__HEAP__MALLOC(sizeof({t}), "m{m}");
    if (!own_m) {{
        return NULL;
    }}
    own_m->size = ref_size;
    own_m->count = 0;
    return own_m; // Ownership transferred to caller
}}

void ar_m{m}__destroy({t} *own_m) {{
    if (!own_m) {{
        return;
    }}
    for (int i = 0; i < own_m->count; i++) {{
        ar_m{m}__destroy(own_m->own_items[i]);
    }}
    AR__HEAP__FREE(own_m);
}}

bool ar_m{m}__store({t} *mut_m, {t} *own_item) {{
    if (!mut_m || mut_m->count >= 8) {{
        return false;
    }}
    mut_m->own_items[mut_m->count++] = own_item;
    return true;
}}

const {t}* ar_m{m}__get_first(const {t} *ref_m) {{
    if (!ref_m || ref_m->count == 0) {{
        return NULL;
    }}
    return ref_m->own_items[0];
}}

static int _fill({t} *mut_m, int ref_n) {{
    int stored = 0;
    for (int i = 0; i < ref_n; i++) {{
        {t} *own_item = ar_m{m}__create(i * 48);
        if (!own_item) {{
            goto done;
        }}
        if (!ar_m{m}__store(mut_m, own_item)) {{
            ar_m{m}__destroy(own_item);
            goto done;
        }}
        stored++;
    }}
done:
    return stored;
}}
{uses}
int ar_m{m}__demo(int ref_n) {{
    {t} *own_m = ar_m{m}__create(ref_n);
    if (!own_m) {{
        return -1;
    }}
    int n = _fill(own_m, ref_n);
    switch (n) {{
    case 0:
        n = 1;
        /* fall through */
    case 1:
        n += 2;
        break;
    default:
        break;
    }}
    ar_m{m}__destroy(own_m);
    return n;
}}
"""


def make_tree(root: Path, n: int) -> int:
    (root / "ar_heap.h").write_text(
        "#ifndef AR_HEAP_H\n#define AR_HEAP_H\n#include <stddef.h>\n"
        "#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))\n"
        "#define AR__HEAP__FREE(ptr) ar_heap__free(ptr)\n"
        "void *ar_heap__malloc(size_t size, const char *ref_desc);\n"
        "void ar_heap__free(void *own_ptr);\n#endif\n")
    lines = 0
    for m in range(n):
        h, c = header(m), module(m)
        (root / f"ar_m{m}.h").write_text(h)
        (root / f"ar_m{m}.c").write_text(c)
        lines += h.count("\n") + c.count("\n")
    return lines


def big_file(lines: int) -> str:
    """One .c file of about `lines` lines: module 0's header inlined, then many modules' bodies
    renamed into one file (every function distinct)."""
    parts = [header(0).replace('#include <stdbool.h>', '#include <stdbool.h>\n#include "ar_heap.h"')]
    k = 0
    while sum(p.count("\n") for p in parts) < lines:
        body = module(0).replace('#include "ar_m0.h"\n', "").replace('#include "ar_heap.h"\n', "")
        if k:   # one definition of the struct
            start = body.index("struct ar_m0_s {")
            body = body[:start] + body[body.index("};", start) + 2:]
        for name in ("_fill", "ar_m0__demo", "ar_m0__create", "ar_m0__destroy", "ar_m0__store",
                     "ar_m0__get_first"):
            body = body.replace(name + "(", f"{name}_{k}(")
        parts.append(body)
        k += 1
    return "\n".join(parts)


HEAP_H = ("#define AR__HEAP__MALLOC(s, d) ar_heap__malloc((s), (d))\n"
          "#define AR__HEAP__FREE(p) ar_heap__free(p)\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modules", type=int, default=75)
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--keystrokes", type=int, default=120)
    a = ap.parse_args()
    print("machine:", machine())
    root = Path(tempfile.mkdtemp(prefix="custody-c-tree-"))
    lines = make_tree(root, a.modules)
    files = len(list(root.iterdir()))
    best, last = cold_check(root)
    print(f"cold `custody check` of {files} files ({lines} lines): {best:.2f} s best of 3 ({last})")
    text = big_file(a.lines)
    at = text.find("i * 48", len(text) // 2) + len("i * 48")
    r = asyncio.run(editor_session("big.c", "c", text, [at], a.keystrokes, files={"ar_heap.h": HEAP_H}))
    report(f"{r['lines']}-line C file", r)


if __name__ == "__main__":
    main()
