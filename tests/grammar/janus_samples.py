"""Janus texts written for custody's tests (not taken from Janus's repository)."""

SAMPLES = [
    b"""// Ownership syntax of the planned memory model.
profile :sovereign

import std.io
import "./alloc.jan" as Alloc

struct Buffer {
    data: []u8,
    len: usize = 0,

    destructor() {
        free(self.data)
    }
}

func fill(owned buf: Buffer, out: &mut Buffer, view: &Buffer, raw: *u8) -> ~Buffer do
    with_scratchpad |scratch| do
        let tmp = scratch.alloc(buf.len)
        out.len = view.len + tmp.len
    end
    region r do
        var cell := r.alloc(8)
        cell += 1
    end
    unsafe {
        @memset(raw, 0, 16)
    }
    return move buf
end

func main() {
    cap SharedMemory
    let b = Buffer { data: make(16), len: 0 }
    defer release(b)
    let moved = fill(move b, &mut other, &other, null)
    using f = open("x.txt") do
        f.write(moved)
    end
}
""",
    b"""enum Color { Red, Green, Blue }

trait Shape {
    func area(self) -> f64
}

impl Shape for Circle {
    func area(self) -> f64 {
        return 3.14 * self.r ** 2
    }
}

func classify(n: i32) -> string do
    if n < 0 do
        return "negative"
    else if n == 0 do
        return "zero"
    else
        let big = n > 100
        if big { return "big" } else { return "small" }
    end
end

func walk(items: []i32) -> i32 {
    var total = 0;
    for x in items {
        total += x
    }
    var i = 0
    while i < 10 do
        i = i + 1
        continue when i % 2 == 0
    end
    match total {
        0 => return 0,
        n when n > 10 => { log("many"); n }
        _ => total,
    }
    let f = |a, b| a + b
    let s = name[1:]
    return f(total, 1)
}

test "walk sums" {
    assert(walk([1, 2, 3]) == 6)
}
""",
]

# Bits of Janus that random edits are made of: brackets, block words, operators.
PIECES = [
    b"\n", b"\n    ", b" ", b"\t", b"\r\n", b"(", b")", b"[", b"]", b"{", b"}", b",", b":", b";",
    b"->", b"=>", b"|", b"|s| ", b"=", b":=", b".", b"'", b'"', b"//", b"/*", b"*/",
    b"do", b" do\n", b"end", b"\nend\n", b"else", b"else if ", b"if ", b"let ", b"var ",
    b"func ", b"return ", b"match ", b"move ", b"owned ", b"&mut ", b"~", b"*", b"&",
    b"profile :core\n", b"with_scratchpad ", b"region ", b"unsafe ", b"cap ", b"defer ",
    b"using ", b"x", b"1", b"f(", b"\xc3\xa9", b"\xff",
]
