"""The LSP base protocol (`Content-Length` framing) as custody reads it.

Why custody has its own reader: pygls's loop trusts the stream. A `Content-Length` larger than
the body makes it wait for bytes that never come (every later request, `shutdown` and `exit`
included, is swallowed as "body"); a header it does not understand makes it skip the next
valid message. An editor that sends one bad frame then hangs on a server that will never
answer again. This reader treats every frame as untrusted and always finds its way back:

* headers are parsed strictly: `Name: value` lines ending in CRLF (a bare LF is tolerated),
  `Content-Length` required and a non-negative decimal no larger than `MAX_LENGTH` (so a
  huge length cannot make the server allocate), `Content-Type` optional, other headers ignored;
* on any fault (a bad or missing length, garbage, a body that is not UTF-8 JSON, ...) it
  looks for the next `Content-Length:` and carries on from there, so the next well-formed
  message is never lost;
* a body that the next header starts inside of (a length too large or too small) is noticed
  as soon as that header has arrived, without waiting for the rest of the promised body: a
  complete header line cannot occur in valid JSON (JSON strings cannot hold a raw newline, and
  outside a string `Content-Length` is not a JSON token), so its presence proves the frame
  broken. If what came before that header is a whole JSON message, it is still delivered;
* at end of input it reports what was left over and stops.

`Framer` is the pure byte-level state machine (no I/O; easy to test); `decode` turns a body
into JSON; `pump` drives both from an async byte source and hands results to a sink.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Protocol

MAX_LENGTH = 64 * 1024 * 1024        # the largest body accepted (a 16 MiB document, JSON-escaped, fits)
MAX_HEADER = 64 * 1024               # the largest header block: beyond this it is garbage
_MARK = b"content-length:"            # where a frame can start; matched case-insensitively
_HEADER_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*")
# A complete Content-Length line, anchored at its line break: proof that whatever contains it is
# not a JSON body. Only raw line breaks are looked at (memchr-fast; compact JSON has none).
_EMBEDDED = re.compile(rb"content-length:[ \t]*\d+[ \t]*\r?\n\Z", re.IGNORECASE)
_EMBEDDED_REACH = 100                 # how far before its line break such a header may start
# The id of a request whose body does not parse, when it is plainly there: `{"id": 7, "method": ...`
# (optionally after "jsonrpc"). Anything less certain is not answered; it might be a response.
_REQUEST_ID = re.compile(
    rb'\A\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\\x00-\x1f]|\\.){0,200}")'
    rb'\s*,\s*"method"\s*:\s*"')


@dataclass
class Body:
    """One message: its JSON value, parsed once."""

    obj: Any
    note: str | None = None          # set when the message was salvaged from a broken frame


@dataclass
class Fault:
    """Something on the wire that is not a message. `request_id` is set when the bytes are
    recognisably a request, so that it can be answered with an error instead of hanging."""

    message: str
    request_id: int | str | None = None
    code: int = -32700               # ParseError


class Framer:
    """Splits a byte stream into message bodies. feed() the bytes as they arrive; it returns
    the Bodies and Faults they complete, in stream order. end() at end of input."""

    def __init__(self, max_length: int = MAX_LENGTH):
        self.max_length = max_length
        self.buf = bytearray()
        self.length: int | None = None   # body length when a header block has been read
        self.body_at = 0                 # where that body starts in buf
        self.scanned = 0                 # body bytes already searched for an embedded header
        self.seeking = False             # after a fault: skipping to the next Content-Length

    # ---- input ----
    def feed(self, data: bytes) -> list[Body | Fault]:
        self.buf += data
        out: list[Body | Fault] = []
        while self._step(out):
            pass
        return out

    def end(self) -> list[Body | Fault]:
        """End of input: what is left cannot become a message any more."""
        out: list[Body | Fault] = []
        if self.length is not None:
            partial = bytes(self.buf[self.body_at:])
            salvaged = _whole_json(partial)
            if salvaged is not _INVALID:
                out.append(Body(salvaged, f"input ended {self.length - len(partial)} bytes short of the "
                                          f"Content-Length {self.length}; the message before that was read"))
            else:
                out.append(Fault(f"input ended inside a message: {len(partial)} of the {self.length} "
                                 f"bytes its Content-Length promised had arrived"))
        elif self.buf.strip() and not self.seeking:     # (when seeking, the fault was reported)
            out.append(Fault(f"input ended inside a header ({len(self.buf)} bytes ignored)"))
        self.buf.clear()
        self.length = None
        self.seeking = False
        return out

    # ---- the state machine ----
    def _step(self, out: list) -> bool:
        """Make one move; False when more input is needed."""
        if self.seeking:
            return self._seek(out, 0)
        if self.length is None:
            return self._header(out)
        return self._body(out)

    def _seek(self, out: list, start: int) -> bool:
        """Drop bytes up to the next `Content-Length:` at or after `start`."""
        at = self.buf.lower().find(_MARK, start) if len(self.buf) > start else -1
        if at < 0:
            keep = len(_MARK) - 1            # a header may be cut after its first few letters
            if len(self.buf) > keep:
                del self.buf[:len(self.buf) - keep]
            self.seeking = True
            return False
        del self.buf[:at]
        self.seeking = False
        return True

    def _fault(self, out: list, message: str, resume_from: int, **kw) -> bool:
        out.append(Fault(message, **kw))
        self.length = None
        self._seek(out, resume_from)
        return True

    def _header(self, out: list) -> bool:
        buf = self.buf
        pos = 0
        while pos < len(buf) and buf[pos] in b"\r\n":   # blank lines between messages are harmless
            pos += 1
        if pos:
            del buf[:pos]
            pos = 0
        if not buf:
            return False
        length: int | None = None
        while True:
            nl = buf.find(b"\n", pos)
            if nl < 0:
                if len(buf) > MAX_HEADER:
                    return self._fault(out, f"{len(buf)} bytes without a line break where a header "
                                            f"was expected; skipped to the next Content-Length", 1)
                return False                          # the line is still arriving
            line = bytes(buf[pos:nl])
            if line.endswith(b"\r"):
                line = line[:-1]
            pos = nl + 1
            if not line:
                break                                 # the blank line that ends the header block
            if pos > MAX_HEADER:
                return self._fault(out, "a header block longer than 64 KiB; skipped to the next "
                                        "Content-Length", 1)
            m = _HEADER_LINE.fullmatch(line)
            if m is None:
                return self._fault(out, f"not a header line: {_show(line)}; skipped to the next "
                                        f"Content-Length", 1)
            name, value = m.group(1).lower(), m.group(2)
            if name != b"content-length":
                if _MARK in line.lower():             # a frame cut off mid-header; the next one starts here
                    return self._fault(out, f"a header line with another header inside it: {_show(line)}; "
                                            f"skipped to the next Content-Length", 1)
                continue                              # Content-Type and unknown headers: ignored
            if not value.isdigit():
                return self._fault(out, f"Content-Length {_show(value)} is not a non-negative whole "
                                        f"number; skipped to the next Content-Length", 1)
            n = int(value) if len(value) <= 20 else self.max_length + 1
            if n > self.max_length:
                return self._fault(out, f"Content-Length {_show(value)} is larger than the "
                                        f"{self.max_length >> 20} MiB limit; skipped to the next "
                                        f"Content-Length", 1)
            if length is not None and n != length:
                return self._fault(out, "two different Content-Length headers in one message; "
                                        "skipped to the next Content-Length", 1)
            length = n
        if length is None:
            return self._fault(out, "a header block without Content-Length; skipped to the next "
                                    "Content-Length", 1)
        self.length, self.body_at, self.scanned = length, pos, pos
        return True

    def _body(self, out: list) -> bool:
        buf, n, at = self.buf, self.length, self.body_at
        assert n is not None
        if len(buf) - at >= n:
            with memoryview(buf) as view, view[at:at + n] as part:   # no copy of a large body
                obj = _parse(part)
            if obj is not _INVALID:
                del buf[:at + n]
                self.length = None
                out.append(Body(obj))
                return True
            # Not a message. Did the next frame start inside it (a wrong length)?
            body = bytes(buf[at:at + n])
            inner = body.lower().find(_MARK)
            if inner >= 0:
                if not self._salvage(out, body[:inner], n):
                    out.append(Fault(f"a message was cut short: the next header began {inner} bytes "
                                     f"into a body whose Content-Length is {n}", **_attribution(body[:inner])))
                self.length = None
                return self._seek(out, at + inner)
            return self._fault(out, _why_not_json(body), at, **_attribution(body))
        # Still arriving. A complete header line in it proves the length wrong: resynchronise
        # now rather than wait for bytes that may never come.
        header_at = -1
        nl = buf.find(b"\n", max(at, self.scanned))
        while nl >= 0:
            lo = max(at, nl - _EMBEDDED_REACH)
            m = _EMBEDDED.search(bytes(buf[lo:nl + 1]))
            if m is not None:
                header_at = lo + m.start()
                break
            nl = buf.find(b"\n", nl + 1)
        self.scanned = len(buf)
        if header_at < 0:
            return False
        inner = header_at - at
        head = bytes(buf[at:header_at])
        if not self._salvage(out, head, n):
            out.append(Fault(f"a message was cut short: the next header began {inner} bytes into a "
                             f"body whose Content-Length is {n}", **_attribution(head)))
        del buf[:header_at]
        self.length = None
        return True

    @staticmethod
    def _salvage(out: list, head: bytes, n: int) -> bool:
        """A whole JSON object before the header that cut its frame short is still delivered."""
        whole = _whole_json(head)
        if whole is _INVALID:
            return False
        out.append(Body(whole, f"a message's Content-Length was {n} but the next header began "
                               f"{len(head)} bytes into it; read the message up to that header"))
        return True


def _show(raw: bytes, limit: int = 40) -> str:
    text = raw[:limit].decode("utf-8", errors="replace")
    text = "".join(c if c.isprintable() else "?" for c in text)
    return repr(text + ("..." if len(raw) > limit else ""))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def decode(body: bytes | memoryview) -> Any:
    """A body as JSON: strict UTF-8, strict JSON (no NaN or Infinity). Raises ValueError."""
    text = str(body, "utf-8")                       # UnicodeDecodeError is a ValueError
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None


_INVALID = object()


def _parse(body: bytes) -> Any:
    try:
        return decode(body)
    except ValueError:
        return _INVALID


def _whole_json(head: bytes) -> Any:
    """The JSON object `head` is, or _INVALID."""
    if not head.lstrip().startswith(b"{"):
        return _INVALID
    return _parse(head)


def _why_not_json(body: bytes) -> str:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"a message body is not UTF-8 (byte {e.start}); ignored"
    try:
        decode(body)
    except json.JSONDecodeError as e:
        return f"a message body is not JSON ({e.msg} at byte {e.pos}); ignored"
    except ValueError as e:
        return f"a message body is not JSON ({e}); ignored"
    return "a message body could not be read; ignored"


def _attribution(body: bytes) -> dict:
    m = _REQUEST_ID.match(body)
    if m is None:
        return {}
    raw = m.group(1)
    try:
        rid = json.loads(raw)
    except ValueError:
        return {}
    return {"request_id": rid, "code": -32700}


class Sink(Protocol):
    """Where pump() delivers what it reads."""

    stopped: bool

    def message(self, obj: Any, note: str | None) -> None: ...

    def fault(self, fault: Fault) -> None: ...


async def pump(read: Callable[[], Awaitable[bytes]], sink: Sink, framer: Framer | None = None) -> bool:
    """Read chunks until end of input (b"") or until the sink says stop; hand every message and
    fault to the sink in order. True if the input ended, False if the sink stopped reading."""
    framer = framer or Framer()
    while not sink.stopped:
        chunk = await read()
        items = framer.feed(chunk) if chunk else framer.end()
        for item in items:
            if sink.stopped:
                break
            if isinstance(item, Fault):
                sink.fault(item)
                continue
            sink.message(item.obj, item.note)
        if not chunk:
            return True
    return False
