; Scopes, definitions and references for Kea.

[
  (function_declaration)
  (block)
  (lambda_expression)
  (case_arm)
  (operation_clause)
  (then_clause)
  (with_expression)
  (for_expression)
] @local.scope

(parameter pattern: (identifier) @local.definition)
(let_expression pattern: (identifier) @local.definition)
(let_expression pattern: (tuple_pattern (identifier) @local.definition))
(with_expression pattern: (identifier) @local.definition)
(then_clause pattern: (identifier) @local.definition)
(operation_clause parameter: (identifier) @local.definition)
(case_arm pattern: (identifier) @local.definition)
(constructor_pattern argument: (identifier) @local.definition)
(tuple_pattern (identifier) @local.definition)
(as_pattern name: (identifier) @local.definition)
(for_expression pattern: (identifier) @local.definition)

(function_declaration name: (identifier) @local.definition.function)

(identifier) @local.reference
