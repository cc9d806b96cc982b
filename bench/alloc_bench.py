"""Allocator benchmark: custody's runtime heap (rt_alloc / rt_realloc / rt_free) against glibc.

One C workload driver, compiled three times from the same source:
  rt      rt_alloc / rt_realloc / rt_free      (zeroed allocations, realloc always copies)
  malloc  glibc malloc / realloc / free        (the comparison the runtime targets)
  calloc  glibc calloc / realloc / free        (glibc doing the zeroing rt_alloc does)
Every variant performs the same operation sequence, drawn from a fixed xorshift PRNG:

  churn   many small buffers (1..256 bytes, most under 64) alive at once in a table of slots,
          freed and replaced in random (mixed) order, each touched at both ends
  vecs    a byte vector grown by doubling from 16 bytes to 1 MiB with realloc, the new half
          filled as pushes would, while small buffers keep churning between the doublings

The driver times itself (CLOCK_MONOTONIC around the workload only, not process start-up or the
arena reservation) and prints a checksum so the variants can be seen to do the same work.
Prints the machine, the median of several runs per variant and the ratios. No asserts.

    .venv/bin/python bench/alloc_bench.py [--runs 7] [--scale 1.0]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from custody.runtime.compile import BuildError, find_compiler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_bench import cpu_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RT = ROOT / "runtime_c"
RT_SOURCES = [RT / "src" / f for f in ("rt_heap.c", "rt_borrow.c", "rt_core.c")]
CFLAGS = ["-std=c99", "-O2", "-g0"]

DRIVER = r"""
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(USE_RT)
#include "custody_rt.h"
#define ALLOC(n) rt_alloc((uint32_t)(n), 1, 0)
#define REALLOC(p, o, n) rt_realloc((p), (uint32_t)(o), (uint32_t)(n), 1, 0)
#define FREE(p, n) rt_free((p), (uint32_t)(n), 1)
#elif defined(USE_CALLOC)
#define ALLOC(n) calloc(1, (n))
#define REALLOC(p, o, n) realloc((p), (n))
#define FREE(p, n) free(p)
#else
#define ALLOC(n) malloc(n)
#define REALLOC(p, o, n) realloc((p), (n))
#define FREE(p, n) free(p)
#endif

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void) {
    rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
    return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
}

#define SLOTS 8192
static unsigned char *slot[SLOTS];
static uint32_t slot_size[SLOTS];
static uint64_t checksum;

static void churn_op(void) {
    uint32_t r = next(), i = r % SLOTS, size;
    if (slot[i]) {
        checksum += slot[i][0] + slot[i][slot_size[i] - 1];
        FREE(slot[i], slot_size[i]);
        slot[i] = NULL;
    }
    if ((r >> 24) < 32) return;               /* 1 in 8: leave the slot empty for a while */
    size = (r >> 16) & 3 ? 1 + next() % 64 : 1 + next() % 256;
    slot[i] = (unsigned char *)ALLOC(size);
    slot[i][0] = (unsigned char)r;
    slot[i][size - 1] = (unsigned char)(r >> 8);
    slot_size[i] = size;
}

int main(int argc, char **argv) {
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    long churn_ops = (long)(4000000 * scale), vec_rounds = (long)(120 * scale), k;
    struct timespec t0, tm, t1;
    uint32_t i;
#if defined(USE_RT)
    rt_config cfg;
    cfg.mem_cap = (uint64_t)256 << 20;
    cfg.fuel = 1;
    cfg.debug_borrows = 0;
    rt_init(&cfg);
#endif
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (k = 0; k < churn_ops; k++) churn_op();
    clock_gettime(CLOCK_MONOTONIC, &tm);
    for (k = 0; k < vec_rounds; k++) {
        uint32_t cap = 16, len = 0, j;
        unsigned char *v = (unsigned char *)ALLOC(cap);
        while (cap < (1u << 20)) {
            uint32_t ncap = cap * 2;
            v = (unsigned char *)REALLOC(v, cap, ncap);
            cap = ncap;
            memset(v + len, (int)(k & 0xFF), cap - len);   /* the pushes that fill it */
            len = cap;
            for (j = 0; j < 64; j++) churn_op();
        }
        checksum += v[len / 2];
        FREE(v, cap);
    }
    for (i = 0; i < SLOTS; i++)
        if (slot[i]) { checksum += slot[i][0]; FREE(slot[i], slot_size[i]); slot[i] = NULL; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
#if defined(USE_RT)
    {
        rt_mem_stats s = rt_get_mem_stats();
        if (s.live_allocs != 0 || s.live_bytes != 0) { fprintf(stderr, "rt: leak\n"); return 1; }
    }
#endif
    printf("%.6f %.6f %llu\n",
           (double)(tm.tv_sec - t0.tv_sec) + (tm.tv_nsec - t0.tv_nsec) / 1e9,
           (double)(t1.tv_sec - tm.tv_sec) + (t1.tv_nsec - tm.tv_nsec) / 1e9,
           (unsigned long long)checksum);
    return 0;
}
"""

VARIANTS = {"rt": ["-DUSE_RT"], "malloc": [], "calloc": ["-DUSE_CALLOC"]}


def compiler() -> list[str]:
    """The compiler custody run uses ($CC, else cc / gcc / clang)."""
    try:
        return list(find_compiler().argv)
    except BuildError as e:
        sys.exit(str(e))


def machine(cc: list[str]) -> dict:
    cpu = cpu_model()
    version = subprocess.run([*cc, "--version"], capture_output=True, text=True).stdout
    libc = " ".join(platform.libc_ver()) or "?"
    return {"platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(),
            "compiler": (version.splitlines() or ["?"])[0], "libc": libc}


def build(cc: list[str], work: Path) -> dict[str, Path]:
    src = work / "driver.c"
    src.write_text(DRIVER)
    out = {}
    for name, defs in VARIANTS.items():
        exe = work / f"driver-{name}"
        extra = [f"-I{RT / 'include'}", *map(str, RT_SOURCES)] if name == "rt" else []
        subprocess.run([*cc, *CFLAGS, *defs, str(src), *extra, "-o", str(exe)], check=True)
        out[name] = exe
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    cc = compiler()
    for k, v in machine(cc).items():
        print(f"{k:9} {v}")
    print(f"flags     {' '.join(CFLAGS)}; workload scale {args.scale}, {args.runs} runs each")
    times: dict[str, list[float]] = {k: [] for k in VARIANTS}
    phases: dict[str, list[tuple[float, float]]] = {k: [] for k in VARIANTS}
    sums: dict[str, set[str]] = {k: set() for k in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="custody-alloc-bench-") as tmp:
        exes = build(cc, Path(tmp))
        for _ in range(args.runs):
            for name, exe in exes.items():     # interleaved, so drift hits every variant alike
                r = subprocess.run([str(exe), str(args.scale)], capture_output=True, text=True,
                                   check=True)
                churn, vecs, checksum = r.stdout.split()
                times[name].append(float(churn) + float(vecs))
                phases[name].append((float(churn), float(vecs)))
                sums[name].add(checksum)
    med = {k: statistics.median(v) for k, v in times.items()}
    for name in VARIANTS:
        spread = f"min {min(times[name]) * 1e3:.1f} max {max(times[name]) * 1e3:.1f}"
        churn = statistics.median(c for c, _ in phases[name]) * 1e3
        vecs = statistics.median(v for _, v in phases[name]) * 1e3
        print(f"{name:7} median {med[name] * 1e3:8.1f} ms   (churn {churn:.1f} + vecs {vecs:.1f}; "
              f"{spread}; checksum {','.join(sorted(sums[name]))})")
    print(f"ratio rt / malloc = {med['rt'] / med['malloc']:.2f}")
    print(f"ratio rt / calloc = {med['rt'] / med['calloc']:.2f}")


if __name__ == "__main__":
    main()
