; Foldable regions: every indented body, and multi-line bracketed lists.

[
  (function_declaration)
  (enum_declaration)
  (struct_declaration)
  (trait_declaration)
  (impl_declaration)
  (effect_declaration)
  (test_declaration)
  (block)
  (case_expression)
  (cond_expression)
  (handle_expression)
  (case_arm)
  (operation_clause)
  (doc_comment)
  (argument_list)
  (list_expression)
  (parameter_list)
] @fold
