; x07text syntax highlighting.
; Later patterns win in most editors' tree-sitter highlighters (Neovim, Helix
; take the last match; the tree-sitter CLI the first), so the general
; captures come first and the specific ones after them.

(comment) @comment

(atom) @variable

(string) @string
(string_content) @string
(escape_sequence) @string.escape

(integer) @number
(rawnum) @number.float

[
  (true)
  (false)
] @boolean

(null) @constant.builtin

(key) @property

[
  "("
  ")"
  "{"
  "}"
] @punctuation.bracket

; The head of a list is the function being called ...
(list
  head: (atom) @function.call)

; ... unless it is a core form.
(list
  head: (atom) @keyword
  (#any-of? @keyword
    "begin" "let" "set" "set0" "if" "for" "while" "return" "unsafe" "match" "try"))

; Declaration kinds and the names a declaration introduces.
(pair
  key: (key) @_key
  value: (atom) @type
  (#any-of? @_key ":kind" ":ty" ":result"))

(pair
  key: (key) @_key
  value: (atom) @function
  (#eq? @_key ":name"))

(pair
  key: (key) @_key
  value: (atom) @module
  (#eq? @_key ":module_id"))
