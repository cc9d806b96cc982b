"""Child process of test_fuzz: parse many inputs with one grammar.

Usage: python fuzz_child.py GRAMMAR INPUTS_FILE

INPUTS_FILE holds the inputs, each as a 4-byte big-endian length and the
bytes.  Before parsing input i the child prints `i` (flushed), so when it dies
from a signal the parent knows which input killed it.  It exits 1 with a
message when a tree does not span its input, 0 when all went well.
"""

from __future__ import annotations

import struct
import sys


def read_inputs(path: str) -> list[bytes]:
    data = open(path, "rb").read()
    inputs, pos = [], 0
    while pos < len(data):
        (size,) = struct.unpack_from(">I", data, pos)
        inputs.append(data[pos + 4 : pos + 4 + size])
        pos += 4 + size
    return inputs


def write_inputs(path: str, inputs: list[bytes]) -> None:
    with open(path, "wb") as out:
        for item in inputs:
            out.write(struct.pack(">I", len(item)) + item)


def check(parser, text: bytes) -> str | None:
    tree = parser.parse(text)
    root = tree.root_node
    if root.end_byte != len(text) or root.start_byte > root.end_byte:
        return f"root spans {root.start_byte}..{root.end_byte} of {len(text)} bytes"
    # Touch every node, as an editor would.
    cursor = root.walk()
    while True:
        if not cursor.goto_first_child():
            while not cursor.goto_next_sibling():
                if not cursor.goto_parent():
                    str(root)
                    return None


def main(argv: list[str]) -> int:
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import tree_sitter

    from corpus_runner import load_language

    language = load_language(argv[1])
    if language is None:
        print(f"grammar {argv[1]} is not built", file=sys.stderr)
        return 2
    parser = tree_sitter.Parser(language)
    for i, text in enumerate(read_inputs(argv[2])):
        print(i, flush=True)
        problem = check(parser, text)
        if problem:
            print(f"input {i}: {problem}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
