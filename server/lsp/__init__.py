"""custody's language server: `custody lsp` (stdio, or --tcp HOST:PORT)."""


def serve(args) -> int:
    from .protocol import serve as _serve  # pygls is imported only when the server runs

    return _serve(args)
