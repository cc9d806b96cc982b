; Kea syntax highlighting for custody's grammar.

(comment) @comment
(doc_comment) @comment.documentation

[
  "fn" "expr" "let" "if" "then" "else" "case" "cond" "when" "handle" "resume"
  "with" "use" "import" "as" "type" "alias" "opaque" "enum" "struct" "trait"
  "effect" "test" "property" "tags" "where" "for" "in" "unsafe" "catch" "fail"
  "const" "any"
] @keyword

(visibility) @keyword.modifier
(borrow_modifier) @keyword.modifier

["and" "or" "not"] @keyword.operator

[
  "+" "++" "-" "*" "/" "%" "<>" "==" "!=" "<" "<=" ">" ">=" ".." "..=" "~" "?"
  "->" "<-" "=" "|"
] @operator

["(" ")" "[" "]" "{" "}" ".{"] @punctuation.bracket
["," "." ":"] @punctuation.delimiter

(annotation "@" @attribute name: (identifier) @attribute)

(function_declaration name: (identifier) @function)
(operation_clause operation: (identifier) @function)
(call_expression function: (identifier) @function.call)
(call_expression function: (field_expression field: (identifier) @function.call))

(parameter pattern: (identifier) @variable.parameter)
(parameter label: (identifier) @variable.parameter)
(labeled_argument label: (identifier) @variable.parameter)

(field_declaration name: (identifier) @property)
(field_initializer name: (identifier) @property)
(field_pattern name: (identifier) @property)
(record_type_field name: (identifier) @property)
(field_expression field: (identifier) @property)

(type_identifier) @type
(type_variable) @type
(module_path (upper_identifier) @module)
(use_declaration alias: (upper_identifier) @module)
(operation_clause effect: (upper_identifier) @type)
(variant name: (upper_identifier) @constructor)
(constructor_pattern constructor: (upper_identifier) @constructor)
(upper_identifier) @constructor

(integer) @number
(float) @number.float
(string) @string
(char) @character
(boolean) @boolean
(none) @constant.builtin
(wildcard_pattern) @variable.builtin

(identifier) @variable
