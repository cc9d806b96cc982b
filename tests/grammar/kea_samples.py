"""Kea texts written for custody's tests (not taken from Kea's repository)."""

SAMPLES = [
    b"""doc
  Ownership examples.

use Alpha.{forward, touch}
use Helper as H

enum Unique a
  Unique(a)

type UniqueInt = Unique(Int)

struct Pair
  left: Unique Int
  right: Int

effect Echo A
  fn echo(value: A) -> A

@fip
pub fn keep(x: Unique Int, borrow v: Unique Int) -> Unique Int
  let y = x
  if H.check(v)
    forward(y)
  else
    case y
      Unique(n) when n > 0 -> Unique(n)
      other -> other
""",
    b"""fn run(u: Unique Int) -[Echo UniqueInt]> Int
  let (g, w) = (touch, u)
  handle g(w)
    Echo.echo(v) -> resume v
    then r ->
      let s = r
      s
  with k <- wrap(u)
  let total = List.fold(items, 0, |acc, it|
    acc + it.size)
  xs
    .List.map(|x| x * 2)
    .List.reverse()
  -- done
  total
""",
    b"""test "pairs"
  let p = Pair { left: Unique(1), right: 2 }
  let q = p~{ right: 3 }
  State.with_state(0, ||
    State.put(1)
    State.get()
  )
  Test.assert(q.right == 3)

trait Show a
  fn show(_ self: a) -> String

Pair as Show
  fn show(_ self: Pair) -> String
    "pair {self.right}"
""",
]

# Bits of Kea that random edits are made of: layout, brackets, keywords.
PIECES = [
    b"\n", b"\n  ", b"\n    ", b"  ", b" ", b"\t", b"\r\n", b"(", b")", b"[", b"]", b"{", b"}",
    b",", b":", b"->", b"-[E]>", b"|", b"|x| ", b"|| ", b"=", b"<-", b".", b"'", b'"', b"--",
    b"doc ", b"doc\n  text\n", b"let ", b"if ", b"else", b"case ", b"with ", b"handle ",
    b"then ", b"fn ", b"@fip\n", b"borrow ", b"Unique ", b"x", b"1", b"Some(", b"\xc3\xa9",
]
