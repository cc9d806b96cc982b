; Janus syntax highlighting for custody's grammar.

(comment) @comment

[
  "func" "fn" "let" "var" "const" "if" "else" "for" "in" "while" "loop" "match"
  "do" "end" "return" "fail" "defer" "using" "use" "import" "as" "struct" "enum"
  "union" "error" "trait" "impl" "type" "test" "requires" "ensures" "invariant"
  "async" "await" "spawn" "nursery" "extern" "export" "when" "unless" "dyn"
  "profile" "cap" "region" "with_scratchpad" "unsafe" "destructor" "move"
] @keyword

(break_statement) @keyword
(continue_statement) @keyword

(visibility) @keyword.modifier
(owned_modifier) @keyword.modifier
(mutable_specifier) @keyword.modifier
(shared_specifier) @keyword.modifier

["and" "or" "not" "catch"] @keyword.operator

[
  "+" "-" "*" "/" "%" "**" "==" "!=" "<" "<=" ">" ">=" "=" ":=" "+=" "-=" "*="
  "/=" "%=" "&" "|" "^" "~" "!" "<<" ">>" "??" "|>" ".." "..<" "..=" "->" "=>"
  "?" "?."
] @operator

["(" ")" "[" "]" "{" "}" ".{"] @punctuation.bracket
["," "." ":" ";"] @punctuation.delimiter

(function_declaration name: (identifier) @function)
(call_expression function: (identifier) @function.call)
(call_expression function: (field_expression field: (identifier) @function.call))
(builtin_identifier) @function.builtin

(parameter name: (identifier) @variable.parameter)
(named_argument name: (identifier) @variable.parameter)

(field_declaration name: (identifier) @property)
(field_initializer name: (identifier) @property)
(field_expression field: (identifier) @property)

(type_identifier) @type
(scoped_type_identifier name: (identifier) @type)
(variant name: (identifier) @constructor)
(enum_literal) @constant
(symbol) @constant
(profile_declaration name: (symbol) @attribute)
(cap_declaration name: (identifier) @type)

(module_path (identifier) @module)

(self) @variable.builtin
(integer) @number
(float) @number
(string) @string
(character) @character
(boolean) @boolean
(null) @constant.builtin
