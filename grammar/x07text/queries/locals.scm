; Scopes and bindings of x07 bodies written as x07text.

; A `begin` block, a loop and each declaration open a scope.
(list
  head: (atom) @_head
  (#any-of? @_head "begin" "for" "while")) @local.scope

(map
  (pair
    key: (key) @_kind_key
    (#eq? @_kind_key ":kind"))) @local.scope

; `(let name value)` and `(for name start end body)` bind `name`.
(list
  head: (atom) @_head
  .
  (atom) @local.definition
  (#any-of? @_head "let" "for"))

; Parameters: `{:name x :ty bytes}` inside `:params (...)`.
(pair
  key: (key) @_params
  value: (list
    (map
      (pair
        key: (key) @_name
        value: (atom) @local.definition
        (#eq? @_name ":name"))))
  (#eq? @_params ":params"))

(atom) @local.reference
