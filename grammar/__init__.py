"""Tree-sitter grammars and the parser generator."""
