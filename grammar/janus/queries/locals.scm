; Scopes, definitions and references for Janus.

[
  (function_declaration)
  (function_expression)
  (lambda_expression)
  (block)
  (for_statement)
  (match_arm)
  (using_statement)
  (region_statement)
  (scratchpad_statement)
] @local.scope

(parameter name: (identifier) @local.definition)
(let_declaration pattern: (identifier) @local.definition)
(var_declaration pattern: (identifier) @local.definition)
(const_declaration pattern: (identifier) @local.definition)
(tuple_pattern (identifier) @local.definition)
(for_statement pattern: (identifier) @local.definition)
(using_statement name: (identifier) @local.definition)
(region_statement name: (identifier) @local.definition)
(scratchpad_statement name: (identifier) @local.definition)

(function_declaration name: (identifier) @local.definition.function)

(identifier) @local.reference
