/**
 * @file Kea: custody's tree-sitter grammar for the Kea language.
 *
 * Kea is indentation-sensitive.  The external scanner (src/scanner.c) turns
 * line breaks into three hidden tokens, following the layout pass of Kea's
 * own lexer (`lex_layout`):
 *
 *   _indent   the next line is indented deeper than the current block
 *   _dedent   one block ends (one per indentation level closed)
 *   _newline  the next line starts a sibling at the same level
 *
 * They are zero-width and sit at the end of the line they follow.  A block is
 * `_indent item (_newline item)* _dedent`; a line that starts with `.` or
 * `else` continues the line before it.  The scanner only makes a token the
 * parser can use here, so inside brackets (where none is valid) line breaks
 * are plain whitespace, as in Kea.  `doc` blocks are one scanner token too,
 * because their body is free text indented under the keyword.
 */

const PREC = {
  lambda: -1,
  when: 1,
  cast: 2,
  or: 3,
  and: 5,
  membership: 7,
  equality: 9,
  comparison: 11,
  range: 12,
  additive: 13,
  unary: 14,
  multiplicative: 15,
  update: 17,
  postfix: 19,
};

const commaSep1 = rule => seq(rule, repeat(seq(',', rule)));
// A comma-separated list that may end with a comma (Kea allows that in
// brackets).
const commaList = rule => optional(seq(commaSep1(rule), optional(',')));

module.exports = grammar({
  name: 'kea',

  externals: $ => [
    $._indent,
    $._dedent,
    $._newline,
    $.doc_comment,
  ],

  extras: $ => [/\s/, $.comment],

  word: $ => $.identifier,

  supertypes: $ => [$._expression, $._pattern, $._type],

  conflicts: $ => [
    // `with x <- f(a)` vs `with f(a)`; `then r -> ..` vs `then r`.
    [$._primary_expression, $._binding],
    [$._type_constructor, $._type_term],
    [$.type_parameters],
  ],

  rules: {
    source_file: $ => optional(seq(
      $._item,
      repeat(seq($._newline, $._item)),
      optional($._newline),
    )),

    _item: $ => choice($._declaration, $.doc_comment),

    _declaration: $ => choice(
      $.function_declaration,
      $.use_declaration,
      $.type_alias_declaration,
      $.enum_declaration,
      $.struct_declaration,
      $.trait_declaration,
      $.impl_declaration,
      $.effect_declaration,
      $.test_declaration,
    ),

    comment: _ => token(choice(
      seq('--', /[^\n]*/),
      seq('//', /[^\n]*/),
    )),

    // ── declarations ─────────────────────────────────────────────────

    visibility: _ => 'pub',

    _annotations: $ => repeat1(seq(field('annotation', $.annotation), optional($._newline))),

    annotation: $ => seq(
      '@',
      field('name', choice(
        $.identifier,
        alias($.upper_identifier, $.identifier),
        alias('with', $.identifier),
        alias('unsafe', $.identifier),
      )),
      optional(field('arguments', alias($._annotation_arguments, $.argument_list))),
    ),

    // `@name(args)`: the `(` touches the name (`@with (a, b): T` is a
    // parameter pattern after a bare annotation).
    _annotation_arguments: $ => seq(
      token.immediate('('),
      commaList(choice($._expression, $.labeled_argument)),
      ')',
    ),

    function_declaration: $ => prec.right(seq(
      optional($._annotations),
      optional(field('visibility', $.visibility)),
      choice('fn', 'expr'),
      field('name', $.identifier),
      field('parameters', $.parameter_list),
      optional($._return),
      optional(field('where', $.where_clause)),
      optional(field('body', $.block)),
    )),

    _return: $ => choice(
      seq('->', field('return_type', $._type)),
      seq('-', field('effects', $.effect_row), '>', field('return_type', $._type)),
    ),

    parameter_list: $ => seq('(', commaList($.parameter), ')'),

    parameter: $ => seq(
      repeat(field('annotation', $.annotation)),
      optional(choice(
        field('modifier', $.borrow_modifier),
        field('label', choice($.identifier, $.wildcard_pattern)),
      )),
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      optional(seq('=', field('default', $._expression))),
    ),

    borrow_modifier: _ => 'borrow',

    where_clause: $ => prec.right(seq('where', commaSep1($.type_constraint))),

    type_constraint: $ => seq(
      field('type', $._type),
      choice(':', '='),
      field('bound', $._type),
      repeat(seq('+', field('bound', $._type))),
    ),

    use_declaration: $ => seq(
      choice('use', 'import'),
      field('module', $.module_path),
      optional(field('items', $.use_list)),
      optional(seq('as', field('alias', $.upper_identifier))),
    ),

    module_path: $ => seq($.upper_identifier, repeat(seq('.', $.upper_identifier))),

    // `.{` is one token so that `use A.B` and `use A.{f}` part after `A`.
    use_list: $ => seq('.{', commaList($.identifier), '}'),

    type_alias_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      choice('type', 'alias', 'opaque'),
      field('name', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      '=',
      field('type', $._type),
    ),

    type_parameters: $ => choice(
      seq(token.immediate('('), commaList(choice($._type_parameter, $.kinded_type_parameter)), ')'),
      repeat1($._type_parameter),
    ),

    _type_parameter: $ => choice($._type_variable, $._type_identifier),

    kinded_type_parameter: $ => seq(
      field('name', choice($._type_variable, $._type_identifier)),
      ':',
      field('kind', choice($._type_identifier, '*')),
    ),

    enum_declaration: $ => seq(
      optional($._annotations),
      optional(field('visibility', $.visibility)),
      'enum',
      field('name', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      choice(
        seq('=', field('body', alias($._inline_variants, $.variant_list))),
        field('body', $.variant_list),
      ),
    ),

    _inline_variants: $ => seq(optional('|'), $.variant, repeat(seq('|', $.variant))),

    variant_list: $ => seq(
      $._indent,
      $._variant_item,
      repeat(seq($._newline, $._variant_item)),
      $._dedent,
    ),

    _variant_item: $ => choice(
      seq(optional('|'), $.variant),
      $.function_declaration,
      $.doc_comment,
    ),

    variant: $ => seq(
      optional($._annotations),
      field('name', $.upper_identifier),
      optional(field('fields', $.variant_fields)),
      optional(seq(':', field('return_type', $._type))),
    ),

    variant_fields: $ => seq(
      '(',
      commaList(choice($._type, $.variant_field)),
      ')',
    ),

    variant_field: $ => seq(
      repeat(field('annotation', $.annotation)),
      field('name', $.identifier),
      ':',
      field('type', $._type),
    ),

    struct_declaration: $ => seq(
      optional($._annotations),
      optional(field('visibility', $.visibility)),
      'struct',
      field('name', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      field('body', $.field_declaration_list),
    ),

    field_declaration_list: $ => seq(
      $._indent,
      $._struct_item,
      repeat(seq($._newline, $._struct_item)),
      $._dedent,
    ),

    _struct_item: $ => choice(
      $.field_declaration,
      $.function_declaration,
      $.doc_comment,
    ),

    field_declaration: $ => seq(
      optional($._annotations),
      optional('const'),
      field('name', $.identifier),
      ':',
      field('type', $._type),
      optional(seq('=', field('default', $._expression))),
    ),

    trait_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'trait',
      field('name', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      optional(seq(':', field('supertraits', $._type), repeat(seq(choice('+', ','), field('supertraits', $._type))))),
      optional(field('body', $.declaration_list)),
    ),

    impl_declaration: $ => seq(
      field('type', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      'as',
      field('trait', $._type_identifier),
      optional(field('where', $.where_clause)),
      optional(field('body', $.declaration_list)),
    ),

    effect_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'effect',
      field('name', $._type_identifier),
      optional(field('parameters', $.type_parameters)),
      optional(field('body', $.declaration_list)),
    ),

    declaration_list: $ => seq(
      $._indent,
      $._member,
      repeat(seq($._newline, $._member)),
      $._dedent,
    ),

    _member: $ => choice(
      $.function_declaration,
      $.associated_type,
      $.doc_comment,
    ),

    associated_type: $ => seq(
      'type',
      field('name', $._type_identifier),
      optional(seq('where', commaSep1($.type_constraint))),
      optional(seq('=', field('type', $._type))),
    ),

    test_declaration: $ => seq(
      'test',
      optional('property'),
      optional(seq('(', $.identifier, ':', $.integer, ')')),
      field('name', $.string),
      optional(seq('tags', '[', commaList(seq(':', $.identifier)), ']')),
      field('body', $.block),
    ),

    // ── types ────────────────────────────────────────────────────────

    _type: $ => choice(
      $._type_term,
      $.function_type,
    ),

    _type_term: $ => choice(
      $._type_identifier,
      $._type_variable,
      $.applied_type,
      $.tuple_type,
      $.parenthesized_type,
      $.record_type,
      $.effect_row,
      $.projection_type,
      $.optional_type,
      $.existential_type,
      alias($.integer, $.dimension),
    ),

    _type_constructor: $ => choice($._type_identifier, $._type_variable),

    // `Unique Int`, `Unique(Int)`, `Result(a, e)`, `List (Int, Int)`. A space-applied
    // constructor takes one argument, which takes the rest of the line's arguments itself
    // (`Option Unique Int` is `Option (Unique Int)`), as Kea's parser reads it; one reading
    // only, so an incremental reparse cannot pick another tree than a fresh parse.
    applied_type: $ => choice(
      prec(2, seq(
        field('constructor', $._type_constructor),
        token.immediate('('),
        commaList(field('argument', $._type)),
        ')',
      )),
      prec.right(1, seq(
        field('constructor', $._type_constructor),
        field('argument', $._type_term),
      )),
    ),

    function_type: $ => prec.right(choice(
      seq(
        'fn',
        field('parameters', alias($._type_list, $.type_list)),
        $._type_arrow,
      ),
      seq(
        field('parameters', $._type_term),
        $._type_arrow,
      ),
    )),

    _type_list: $ => seq('(', commaList($._type), ')'),

    _type_arrow: $ => choice(
      seq('->', field('return_type', $._type)),
      seq('-', field('effects', $.effect_row), '>', field('return_type', $._type)),
    ),

    tuple_type: $ => seq('(', $._type, ',', commaList($._type), ')'),

    parenthesized_type: $ => seq('(', $._type, ')'),

    record_type: $ => seq(
      '{',
      commaList($.record_type_field),
      optional(seq('|', field('tail', $._type_variable))),
      '}',
    ),

    record_type_field: $ => seq(field('name', $.identifier), ':', field('type', $._type)),

    effect_row: $ => seq(
      '[',
      commaList($._type),
      optional(seq('|', field('tail', $._type_variable))),
      ']',
    ),

    projection_type: $ => seq(
      field('type', $._type_constructor),
      token.immediate('.'),
      field('name', $._type_identifier),
    ),

    optional_type: $ => seq(field('type', $._type_constructor), token.immediate('?')),

    existential_type: $ => prec.right(seq(
      'any',
      choice($._type_identifier, seq('(', commaSep1($._type_identifier), ')')),
    )),

    _type_identifier: $ => alias($.upper_identifier, $.type_identifier),

    _type_variable: $ => alias($.identifier, $.type_variable),

    // ── blocks and statements ────────────────────────────────────────

    block: $ => seq($._indent, $._statements, $._dedent),

    _statements: $ => seq(
      repeat(seq($._statement, $._newline)),
      choice($._statement, $.with_expression),
    ),

    _statement: $ => choice(
      $._expression,
      $.let_expression,
    ),

    let_expression: $ => seq(
      'let',
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      '=',
      field('value', $._expression),
    ),

    // `with x <- f(a)` + the rest of the block, which is its body.
    with_expression: $ => seq(
      'with',
      optional(seq(field('pattern', $._binding), '<-')),
      field('value', $._expression),
      $._newline,
      field('body', alias($._statements, $.block)),
    ),

    // ── expressions ──────────────────────────────────────────────────

    _expression: $ => choice(
      $._primary_expression,
      $.binary_expression,
      $.unary_expression,
      $.cast_expression,
      $.if_expression,
      $.case_expression,
      $.cond_expression,
      $.handle_expression,
      $.lambda_expression,
      $.resume_expression,
      $.unsafe_expression,
      $.catch_expression,
      $.fail_expression,
      $.for_expression,
    ),

    _primary_expression: $ => choice(
      $.identifier,
      $.upper_identifier,
      $._literal,
      $.call_expression,
      $.field_expression,
      $.try_expression,
      $.record_expression,
      $.update_expression,
      $.tuple_expression,
      $.parenthesized_expression,
      $.list_expression,
      $.unit,
    ),

    _literal: $ => choice(
      $.integer,
      $.float,
      $.string,
      $.char,
      $.boolean,
      $.none,
    ),

    call_expression: $ => prec(PREC.postfix, seq(
      field('function', $._expression),
      field('arguments', $.argument_list),
    )),

    argument_list: $ => seq('(', commaList(choice($._expression, $.labeled_argument)), ')'),

    labeled_argument: $ => seq(field('label', $.identifier), ':', field('value', $._expression)),

    field_expression: $ => prec(PREC.postfix, seq(
      field('value', $._expression),
      '.',
      field('field', choice($.identifier, $.upper_identifier, $.integer)),
    )),

    try_expression: $ => prec(PREC.postfix, seq(field('value', $._expression), '?')),

    cast_expression: $ => prec.left(PREC.cast, seq(
      field('value', $._expression),
      'as',
      field('type', $._type_term),
    )),

    record_expression: $ => seq(
      field('name', $.upper_identifier),
      '{',
      commaList($.field_initializer),
      '}',
    ),

    update_expression: $ => prec(PREC.update, seq(
      field('value', $._expression),
      '~',
      '{',
      commaList($.field_initializer),
      '}',
    )),

    field_initializer: $ => seq(
      field('name', $.identifier),
      optional(seq(':', field('value', $._expression))),
    ),

    tuple_expression: $ => seq('(', $._expression, ',', commaList($._expression), ')'),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    list_expression: $ => seq('[', commaList($._expression), ']'),

    unit: _ => seq('(', ')'),

    binary_expression: $ => {
      const table = [
        [PREC.when, 'when'],
        [PREC.or, 'or'],
        [PREC.and, 'and'],
        [PREC.membership, choice('in', seq('not', 'in'))],
        [PREC.equality, choice('==', '!=')],
        [PREC.comparison, choice('<', '<=', '>', '>=')],
        [PREC.range, choice('..', '..=')],
        [PREC.additive, choice('+', '++', '<>', '-')],
        [PREC.multiplicative, choice('*', '/', '%')],
      ];
      return choice(...table.map(([p, op]) => prec.left(p, seq(
        field('left', $._expression),
        field('operator', op),
        field('right', $._expression),
      ))));
    },

    unary_expression: $ => prec(PREC.unary, seq(
      field('operator', choice('-', 'not')),
      field('operand', $._expression),
    )),

    // Branch bodies: an indented block, or an expression on the same line.
    _body: $ => choice($.block, $._expression),

    if_expression: $ => prec.right(seq(
      'if',
      field('condition', $._expression),
      choice(
        seq('then', field('consequence', $._expression)),
        field('consequence', $.block),
      ),
      optional(seq('else', field('alternative', $._body))),
    )),

    case_expression: $ => seq(
      'case',
      field('value', $._expression),
      $._indent,
      $.case_arm,
      repeat(seq($._newline, $.case_arm)),
      $._dedent,
    ),

    case_arm: $ => seq(
      field('pattern', $._pattern),
      optional(seq('when', field('guard', $._expression))),
      '->',
      field('body', $._body),
    ),

    cond_expression: $ => seq(
      'cond',
      $._indent,
      $.cond_arm,
      repeat(seq($._newline, $.cond_arm)),
      $._dedent,
    ),

    cond_arm: $ => seq(
      field('condition', choice($._expression, $.wildcard_pattern)),
      '->',
      field('body', $._body),
    ),

    lambda_expression: $ => prec.right(PREC.lambda, seq(
      field('parameters', $.lambda_parameters),
      field('body', $._body),
    )),

    lambda_parameters: $ => seq(
      '|',
      optional(seq(
        alias($.lambda_parameter, $.parameter),
        repeat(seq(',', alias($.lambda_parameter, $.parameter))),
      )),
      '|',
    ),

    lambda_parameter: $ => seq(
      field('pattern', $._pattern_atom),
      optional(seq(':', field('type', $._type_term))),
    ),

    handle_expression: $ => seq(
      'handle',
      field('value', $._expression),
      $._indent,
      $._handler_clause,
      repeat(seq($._newline, $._handler_clause)),
      $._dedent,
    ),

    _handler_clause: $ => choice($.operation_clause, $.then_clause),

    operation_clause: $ => seq(
      field('effect', $.upper_identifier),
      '.',
      field('operation', $.identifier),
      '(',
      commaList(field('parameter', $._pattern)),
      ')',
      optional(seq('with', field('continuation', $.identifier))),
      '->',
      field('body', $._body),
    ),

    then_clause: $ => seq(
      'then',
      optional(seq(field('pattern', $._binding), '->')),
      field('body', $._body),
    ),

    resume_expression: $ => prec.right(seq('resume', field('value', $._expression))),

    unsafe_expression: $ => prec.right(seq('unsafe', field('body', $._body))),

    catch_expression: $ => prec.right(seq('catch', field('value', $._expression))),

    fail_expression: $ => prec.right(seq('fail', field('value', $._expression))),

    for_expression: $ => seq(
      'for',
      field('pattern', $._pattern),
      'in',
      field('value', $._expression),
      field('body', $.block),
    ),

    // ── patterns ─────────────────────────────────────────────────────

    // The patterns `with` and `then` take (a name, as in Kea).
    _binding: $ => choice($.identifier, $.wildcard_pattern),

    _pattern: $ => choice(
      $._pattern_atom,
      $.or_pattern,
      $.as_pattern,
    ),

    _pattern_atom: $ => choice(
      $.identifier,
      $.wildcard_pattern,
      $._literal_pattern,
      $.constructor_pattern,
      $.tuple_pattern,
      $.parenthesized_pattern,
      $.list_pattern,
      $.record_pattern,
      $.unit_pattern,
      alias($.negative_literal, $.integer_pattern),
    ),

    _literal_pattern: $ => choice(
      $.integer,
      $.float,
      $.string,
      $.char,
      $.boolean,
      $.none,
    ),

    negative_literal: $ => seq('-', choice($.integer, $.float)),

    wildcard_pattern: _ => '_',

    constructor_pattern: $ => prec.right(seq(
      field('constructor', $._constructor_path),
      optional(seq(
        '(',
        commaList(field('argument', choice($._pattern, alias($._labeled_pattern, $.field_pattern)))),
        ')',
      )),
    )),

    _constructor_path: $ => choice($.upper_identifier, $.qualified_constructor),

    qualified_constructor: $ => seq($.upper_identifier, repeat1(seq('.', $.upper_identifier))),

    _labeled_pattern: $ => seq(field('name', $.identifier), ':', field('pattern', $._pattern)),

    tuple_pattern: $ => seq('(', $._pattern, ',', commaList($._pattern), ')'),

    parenthesized_pattern: $ => seq('(', $._pattern, ')'),

    unit_pattern: _ => seq('(', ')'),

    list_pattern: $ => seq(
      '[',
      commaList(choice($._pattern, $.rest_pattern)),
      ']',
    ),

    rest_pattern: $ => seq('..', optional(field('name', $.identifier))),

    record_pattern: $ => seq(
      optional(field('name', $.upper_identifier)),
      '{',
      commaList(choice($.field_pattern, alias('..', $.rest_pattern))),
      '}',
    ),

    field_pattern: $ => seq(
      field('name', $.identifier),
      optional(seq(':', field('pattern', $._pattern))),
    ),

    or_pattern: $ => prec.left(seq($._pattern, '|', $._pattern)),

    as_pattern: $ => prec.left(seq(field('pattern', $._pattern), 'as', field('name', $.identifier))),

    // ── tokens ───────────────────────────────────────────────────────

    // A lone `_` is the wildcard, never an identifier.
    identifier: _ => /[a-z][A-Za-z0-9_]*|_[A-Za-z0-9_]+/,

    upper_identifier: _ => /[A-Z][A-Za-z0-9_]*/,

    integer: _ => token(choice(
      /0[xX][0-9a-fA-F][0-9a-fA-F_]*/,
      /0[bB][01][01_]*/,
      /0[oO][0-7][0-7_]*/,
      /[0-9][0-9_]*/,
    )),

    float: _ => token(choice(
      /[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?/,
      /[0-9][0-9_]*[eE][+-]?[0-9]+/,
    )),

    string: _ => token(choice(
      seq('"""', repeat(choice(/[^"\\]/, /\\./, /"[^"]/, /""[^"]/)), '"""'),
      seq('"', repeat(choice(/[^"\\\n]/, /\\./)), '"'),
    )),

    char: _ => token(seq("'", choice(/[^'\\\n]/, /\\[^u]/, /\\u\{[0-9a-fA-F]+\}/), "'")),

    boolean: _ => choice('true', 'false', 'True', 'False'),

    none: _ => 'None',
  },
});
