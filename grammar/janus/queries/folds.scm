; Foldable regions: bodies and multi-line bracketed lists.

[
  (function_declaration)
  (struct_declaration)
  (enum_declaration)
  (union_declaration)
  (error_declaration)
  (trait_declaration)
  (impl_declaration)
  (test_declaration)
  (block)
  (match_block)
  (field_declaration_list)
  (variant_list)
  (declaration_list)
  (argument_list)
  (parameter_list)
  (array_expression)
  (field_initializer_list)
] @fold
