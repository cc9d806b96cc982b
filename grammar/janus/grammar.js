/**
 * @file Janus: custody's tree-sitter grammar for the Janus language (.jan).
 *
 * Janus is not layout-sensitive.  Its own parser (janus_parser.zig) skips
 * line breaks between statements and before binary operators, and semicolons
 * are optional, so here line breaks are whitespace and `;` is an optional
 * statement separator; no external scanner is needed.  Blocks are `{ ... }`
 * or `do ... end`.  In the `do` form of `if`, the `else` part shares the one
 * `end` (`if a do x else if b do y else z end`), as in Janus's parser.
 *
 * Besides the syntax Janus's parser knows, this grammar reads the planned
 * ownership syntax of the memory-model roadmap: `profile :name`, `owned p: T`,
 * `~T`, `&mut T`, `move x`, `with_scratchpad |s| do ... end`,
 * `region r do ... end`, `unsafe { ... }`, `cap Name`.  Those words are
 * contextual: where the keyword cannot stand they are identifiers.
 */

const PREC = {
  assign: 1,
  lambda: 2,
  range: 3,
  pipeline: 4,
  coalesce: 5,
  or: 6,
  and: 7,
  compare: 8,
  bit_or: 9,
  bit_xor: 10,
  bit_and: 11,
  shift: 12,
  additive: 13,
  multiplicative: 14,
  power: 15,
  catch: 16,
  unary: 17,
  postfix: 18,
};

const commaSep1 = rule => seq(rule, repeat(seq(',', rule)));
const commaList = rule => optional(seq(commaSep1(rule), optional(',')));

module.exports = grammar({
  name: 'janus',

  extras: $ => [/\s/, $.comment],

  word: $ => $.identifier,

  supertypes: $ => [$._expression, $._type, $._statement],

  rules: {
    source_file: $ => repeat(choice($._statement, ';')),

    comment: _ => token(choice(
      seq('//', /[^\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),

    // ── statements ───────────────────────────────────────────────────

    _statement: $ => choice(
      $._statement_not_if,
      $.if_statement,
      // A bare `do ... end` opens a nested scope.
      alias($._do_block, $.block),
    ),

    _do_block: $ => seq('do', repeat(choice($._statement, ';')), 'end'),

    // Everything but `if` and a bare `do` block: the body of a `do`-form
    // `else` may start with neither (`else if` is a chain, `else do` opens
    // the else body), so each text has one reading.
    _statement_not_if: $ => choice(
      $.function_declaration,
      $.struct_declaration,
      $.enum_declaration,
      $.union_declaration,
      $.error_declaration,
      $.trait_declaration,
      $.impl_declaration,
      $.type_alias_declaration,
      $.import_declaration,
      $.use_declaration,
      $.test_declaration,
      $.module_declaration,
      $.switch_statement,
      $.profile_declaration,
      $.cap_declaration,
      $.let_declaration,
      $.var_declaration,
      $.const_declaration,
      $.return_statement,
      $.fail_statement,
      $.break_statement,
      $.continue_statement,
      $.defer_statement,
      $.while_statement,
      $.for_statement,
      $.loop_statement,
      $.using_statement,
      $.using_declaration,
      $.region_statement,
      $.scratchpad_statement,
      $.unsafe_block,
      $.contract_statement,
      $.nursery_statement,
      $.postfix_guard_statement,
      $._expression,
    ),

    _statements: $ => repeat1(choice($._statement, ';')),

    block: $ => choice(
      seq('{', repeat(choice($._statement, ';')), '}'),
      seq('do', repeat(choice($._statement, ';')), 'end'),
    ),

    visibility: _ => 'pub',

    function_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      optional(choice('async', 'extern', seq('export', optional($.string)))),
      choice('func', 'fn'),
      field('name', $.identifier),
      optional(field('type_parameters', $.type_parameters)),
      field('parameters', $.parameter_list),
      optional(choice(
        seq('->', field('return_type', $._type)),
        // Zig style, no arrow: `func f() !void do`, `func g() ?[]u8 {`.
        field('return_type', choice(
          alias($._bare_error_union_type, $.error_union_type),
          alias($._bare_optional_type, $.optional_type),
        )),
      )),
      repeat(field('contract', $.contract_clause)),
      optional(field('body', $.block)),
    )),

    contract_clause: $ => seq(
      choice('requires', 'ensures'),
      optional('cap'),
      field('condition', $._expression),
    ),

    type_parameters: $ => seq('<', commaList(alias($.identifier, $.type_identifier)), '>'),

    parameter_list: $ => seq('(', commaList($.parameter), ')'),

    parameter: $ => seq(
      optional(field('modifier', $.owned_modifier)),
      optional(field('reference', $.reference_modifier)),
      optional(field('mutable', $.mutable_specifier)),
      field('name', $.identifier),
      optional(seq(':', field('type', $._type))),
      optional(seq('=', field('default', $._expression))),
    ),

    owned_modifier: _ => 'owned',

    // `&self`, `&mut self`.
    reference_modifier: $ => prec.right(seq('&', optional(field('mutable', $.mutable_specifier)))),
    mutable_specifier: _ => 'mut',

    struct_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      'struct',
      field('name', alias($.identifier, $.type_identifier)),
      optional(field('type_parameters', $.type_parameters)),
      optional(field('body', $.field_declaration_list)),
    )),

    field_declaration_list: $ => choice(
      seq('{', repeat($._member), '}'),
      seq('do', repeat($._member), 'end'),
    ),

    _member: $ => choice(
      seq($.field_declaration, optional(choice(',', ';'))),
      $.function_declaration,
      $.destructor_declaration,
    ),

    field_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      field('name', $.identifier),
      ':',
      field('type', $._type),
      optional(seq('=', field('default', $._expression))),
    ),

    destructor_declaration: $ => seq(
      'destructor', '(', ')',
      field('body', $.block),
    ),

    enum_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      'enum',
      field('name', alias($.identifier, $.type_identifier)),
      optional(field('type_parameters', $.type_parameters)),
      optional(seq(':', field('tag_type', $._type))),
      optional(field('body', $.variant_list)),
    )),

    union_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'union',
      field('name', alias($.identifier, $.type_identifier)),
      optional(field('type_parameters', $.type_parameters)),
      field('body', $.variant_list),
    ),

    error_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'error',
      field('name', alias($.identifier, $.type_identifier)),
      field('body', $.variant_list),
    ),

    variant_list: $ => choice(
      seq('{', repeat(seq($.variant, optional(choice(',', ';')))), '}'),
      seq('do', repeat(seq($.variant, optional(choice(',', ';')))), 'end'),
    ),

    variant: $ => seq(
      field('name', $.identifier),
      optional(choice(
        seq('(', commaList(field('field', $._type)), ')'),
        seq('{', commaList(field('field', $.field_declaration)), '}'),
        seq(':', field('field', $._type)),
        seq('=', field('value', $._expression)),
      )),
    ),

    trait_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'trait',
      field('name', alias($.identifier, $.type_identifier)),
      optional(field('type_parameters', $.type_parameters)),
      field('body', $.declaration_list),
    ),

    impl_declaration: $ => seq(
      'impl',
      optional(field('type_parameters', $.type_parameters)),
      choice(
        seq(field('trait', $._type), 'for', field('type', $._type)),
        field('type', $._type),
      ),
      field('body', $.declaration_list),
    ),

    declaration_list: $ => choice(
      seq('{', repeat(choice($.function_declaration, $.destructor_declaration, ';')), '}'),
      seq('do', repeat(choice($.function_declaration, $.destructor_declaration, ';')), 'end'),
    ),

    type_alias_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'type',
      field('name', alias($.identifier, $.type_identifier)),
      optional(field('type_parameters', $.type_parameters)),
      '=',
      field('type', $._type),
    ),

    import_declaration: $ => prec.right(seq(
      'import',
      optional(field('kind', alias('c', $.foreign_kind))),
      field('path', choice($.module_path, $.string)),
      optional(choice(
        field('items', $.import_list),
        seq('as', field('alias', $.identifier)),
      )),
    )),

    // `.{a, b}` after the path: one token `.{`, so the path does not take the dot.
    import_list: $ => seq('.{', commaList($.identifier), '}'),

    use_declaration: $ => seq(
      optional(field('visibility', $.visibility)),
      'use',
      optional(field('kind', alias(choice('zig', 'c', 'graft'), $.foreign_kind))),
      field('path', choice($.module_path, $.string)),
      optional(seq('as', field('alias', $.identifier))),
    ),

    module_path: $ => prec.right(seq($.identifier, repeat(seq('.', $.identifier)))),

    module_declaration: $ => prec.right(seq(
      'module',
      field('name', $.module_path),
      optional(field('body', $.block)),
    )),

    // `switch x { case 0: stmts  case 1, 2: stmts  default: stmts }`.
    switch_statement: $ => seq(
      'switch',
      field('value', $._expression),
      '{',
      repeat($.switch_case),
      '}',
    ),

    switch_case: $ => prec.right(seq(
      choice(
        seq('case', commaSep1(field('value', $._expression))),
        'default',
      ),
      ':',
      repeat(choice($._statement, ';')),
    )),

    test_declaration: $ => seq(
      'test',
      field('name', $.string),
      field('body', $.block),
    ),

    // `profile :sovereign` (planned; Janus's parser skips it).
    profile_declaration: $ => prec.right(seq(
      'profile',
      field('name', $.symbol),
      optional(field('body', $.block)),
    )),

    // `cap SharedMemory`, `cap FileSystem { read: true }` (planned).
    cap_declaration: $ => prec.right(seq(
      'cap',
      field('name', $.identifier),
      optional(field('arguments', $.field_initializer_list)),
    )),

    let_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      'let',
      optional(field('mutable', $.mutable_specifier)),
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      optional(seq(choice('=', ':='), field('value', $._value))),
    )),

    var_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      'var',
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      optional(seq(choice('=', ':='), field('value', $._value))),
    )),

    const_declaration: $ => prec.right(seq(
      optional(field('visibility', $.visibility)),
      'const',
      field('pattern', $._pattern),
      optional(seq(':', field('type', $._type))),
      optional(seq(choice('=', ':='), field('value', $._value))),
    )),

    // A bound value: an expression, or an `if` used as one.
    _value: $ => choice($._expression, $.if_statement),

    _pattern: $ => choice($.identifier, $.tuple_pattern, $.wildcard),

    tuple_pattern: $ => seq('(', commaList($._pattern), ')'),

    wildcard: _ => '_',

    return_statement: $ => prec.right(seq('return', optional(field('value', $._value)))),
    fail_statement: $ => prec.right(seq('fail', optional(field('value', $._expression)))),
    break_statement: _ => 'break',
    continue_statement: _ => 'continue',

    defer_statement: $ => seq('defer', field('body', choice($.block, $._expression))),

    // `return x when c`, `f() unless done`.
    postfix_guard_statement: $ => seq(
      field('body', choice($.return_statement, $.fail_statement, $._expression)),
      field('operator', choice('when', 'unless')),
      field('condition', $._expression),
    ),

    contract_statement: $ => seq(
      field('kind', choice('requires', 'ensures', 'invariant')),
      field('condition', $._expression),
    ),

    if_statement: $ => choice(
      prec.right(seq(
        'if',
        field('condition', $._expression),
        field('consequence', alias($._brace_block, $.block)),
        optional(seq('else', field('alternative', choice(alias($._brace_block, $.block), $.if_statement)))),
      )),
      $._do_if,
    ),

    _brace_block: $ => seq('{', repeat(choice($._statement, ';')), '}'),

    // `if c do A end`, `if c do A else B end`, `if a do A else if b do B else C end`.
    _do_if: $ => seq(
      'if',
      field('condition', $._expression),
      field('consequence', alias($._open_do_block, $.block)),
      choice(
        'end',
        seq('else', choice(
          field('alternative', alias($._do_if, $.if_statement)),
          seq(optional(field('alternative', alias($._else_body, $.block))), 'end'),
        )),
      ),
    ),

    _open_do_block: $ => seq(choice('do', 'then'), repeat(choice($._statement, ';'))),

    _else_body: $ => choice(
      seq('do', repeat(choice($._statement, ';'))),
      seq(choice($._statement_not_if, ';'), repeat(choice($._statement, ';'))),
    ),

    while_statement: $ => seq(
      'while',
      field('condition', $._expression),
      field('body', $.block),
    ),

    loop_statement: $ => seq('loop', field('body', $.block)),

    for_statement: $ => seq(
      'for',
      field('pattern', choice($._pattern, alias($._bare_tuple_pattern, $.tuple_pattern))),
      'in',
      field('iterable', $._expression),
      field('body', $.block),
    ),

    _bare_tuple_pattern: $ => seq($._pattern, repeat1(seq(',', $._pattern))),

    match_statement: $ => seq(
      'match',
      field('value', $._expression),
      field('body', $.match_block),
    ),

    match_block: $ => choice(
      seq('{', repeat($.match_arm), '}'),
      seq('do', repeat($.match_arm), 'end'),
    ),

    match_arm: $ => seq(
      field('pattern', choice($._expression, $.wildcard)),
      optional(seq('when', field('guard', $._expression))),
      choice('=>', '->'),
      field('body', choice(
        alias($._brace_block, $.block),
        $._expression,
        $.return_statement,
        $.fail_statement,
        $.break_statement,
        $.continue_statement,
      )),
      optional(choice(',', ';')),
    ),

    // `using f = open(p) do ... end`, `using shared c := make() { ... }`.
    using_statement: $ => seq(
      'using',
      optional(field('shared', $.shared_specifier)),
      field('name', $.identifier),
      optional(seq(':', field('type', $._type))),
      choice('=', ':='),
      field('value', $._expression),
      field('body', $.block),
    ),

    shared_specifier: _ => 'shared',

    // `using std.core` (brings a module's names into scope).
    using_declaration: $ => seq('using', field('path', $.module_path)),

    region_statement: $ => seq('region', field('name', $.identifier), field('body', $.block)),

    scratchpad_statement: $ => seq(
      'with_scratchpad',
      '|', field('name', $.identifier), '|',
      field('body', $.block),
    ),

    unsafe_block: $ => seq('unsafe', field('body', $.block)),

    nursery_statement: $ => seq('nursery', field('body', $.block)),

    // ── expressions ──────────────────────────────────────────────────

    _expression: $ => choice(
      $.assignment_expression,
      $.binary_expression,
      $.unary_expression,
      $.reference_expression,
      $.move_expression,
      $.range_expression,
      $.catch_expression,
      $.lambda_expression,
      $.spawn_expression,
      $.await_expression,
      $._primary_expression,
    ),

    _primary_expression: $ => choice(
      $.identifier,
      $.self,
      $.integer,
      $.float,
      $.string,
      $.character,
      $.boolean,
      $.null,
      $.symbol,
      $.enum_literal,
      $.builtin_identifier,
      $.parenthesized_expression,
      $.tuple_expression,
      $.array_expression,
      $.call_expression,
      $.field_expression,
      $.index_expression,
      $.slice_expression,
      $.try_expression,
      $.struct_expression,
      $.anonymous_struct_expression,
      $.function_expression,
      $.match_statement,
    ),

    assignment_expression: $ => prec.right(PREC.assign, seq(
      field('left', $._expression),
      field('operator', choice('=', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=')),
      field('right', $._value),
    )),

    binary_expression: $ => {
      const table = [
        [PREC.pipeline, '|>'],
        [PREC.coalesce, '??'],
        [PREC.or, 'or'],
        [PREC.and, 'and'],
        [PREC.compare, choice('==', '!=', '<', '<=', '>', '>=')],
        [PREC.bit_or, '|'],
        [PREC.bit_xor, '^'],
        [PREC.bit_and, '&'],
        [PREC.shift, choice('<<', '>>')],
        [PREC.additive, choice('+', '-')],
        [PREC.multiplicative, choice('*', '/', '%')],
      ];
      return choice(
        ...table.map(([p, op]) => prec.left(p, seq(
          field('left', $._expression),
          field('operator', op),
          field('right', $._expression),
        ))),
        prec.right(PREC.power, seq(
          field('left', $._expression),
          field('operator', '**'),
          field('right', $._expression),
        )),
      );
    },

    // `e catch err { ... }` (Janus), `e catch |err| { ... }`, `e catch { ... }`.
    catch_expression: $ => prec.right(PREC.catch, seq(
      field('value', $._expression),
      'catch',
      optional(choice(field('error', $.identifier), seq('|', field('error', $.identifier), '|'))),
      field('body', alias($._brace_block, $.block)),
    )),

    range_expression: $ => prec.left(PREC.range, seq(
      field('start', $._expression),
      field('operator', choice('..', '..<', '..=')),
      optional(field('end', $._expression)),
    )),

    unary_expression: $ => prec(PREC.unary, seq(
      field('operator', choice('-', '!', 'not', '~', '*')),
      field('operand', $._expression),
    )),

    // `&x`, `&mut x` (planned borrows).
    reference_expression: $ => prec(PREC.unary, seq(
      '&',
      optional(field('mutable', $.mutable_specifier)),
      field('value', $._expression),
    )),

    // `move x` (planned).
    move_expression: $ => prec(PREC.unary, seq('move', field('value', $._expression))),

    spawn_expression: $ => prec(PREC.unary, seq('spawn', field('value', $._expression))),
    await_expression: $ => prec(PREC.unary, seq('await', field('value', $._expression))),

    // `|x, y| x + y`, `|s| do ... end`.
    lambda_expression: $ => prec.right(PREC.lambda, seq(
      field('parameters', $.lambda_parameters),
      field('body', choice($.block, $._expression)),
    )),

    lambda_parameters: $ => choice('||', seq('|', commaList($.parameter), '|')),

    // `func(x: i32) -> i32 do ... end`, `fn(x) { ... }`.
    function_expression: $ => seq(
      choice('func', 'fn'),
      field('parameters', $.parameter_list),
      optional(seq('->', field('return_type', $._type))),
      field('body', $.block),
    ),

    parenthesized_expression: $ => seq('(', $._expression, ')'),

    tuple_expression: $ => seq('(', choice(
      seq($._expression, ',', commaList($._expression)),
    ), ')'),

    array_expression: $ => seq('[', commaList($._expression), ']'),

    call_expression: $ => prec(PREC.postfix, seq(
      field('function', $._primary_expression),
      field('arguments', $.argument_list),
    )),

    argument_list: $ => seq('(', commaList(choice($._expression, $.named_argument)), ')'),

    named_argument: $ => seq(field('name', $.identifier), ':', field('value', $._expression)),

    field_expression: $ => prec(PREC.postfix, seq(
      field('value', $._primary_expression),
      choice('.', '?.'),
      field('field', choice($.identifier, $.integer)),
    )),

    index_expression: $ => prec(PREC.postfix, seq(
      field('value', $._primary_expression),
      '[', field('index', $._expression), ']',
    )),

    // `s[i:]`, `s[i:j]`, `s[:j]`.
    slice_expression: $ => prec(PREC.postfix, seq(
      field('value', $._primary_expression),
      '[',
      optional(field('start', $._expression)),
      ':',
      optional(field('end', $._expression)),
      ']',
    )),

    try_expression: $ => prec(PREC.postfix, seq(field('value', $._primary_expression), '?')),

    // `Point { x: 1, y: 2 }`, `Point {}`.
    struct_expression: $ => prec(-1, seq(
      field('name', choice($.identifier, $.field_expression)),
      field('body', $.field_initializer_list),
    )),

    // Zig-style `.{ .read = true }`, `.{ 1, 2 }`, `.{}`.
    anonymous_struct_expression: $ => seq(
      '.{',
      commaList(choice($.field_assignment, $._expression)),
      '}',
    ),

    field_assignment: $ => prec(PREC.postfix + 1, seq(
      '.',
      field('name', $.identifier),
      '=',
      field('value', $._expression),
    )),

    field_initializer_list: $ => seq('{', commaList($.field_initializer), '}'),

    field_initializer: $ => seq(
      field('name', $.identifier),
      ':',
      field('value', $._expression),
    ),

    // ── types ────────────────────────────────────────────────────────

    _type: $ => choice(
      alias($.identifier, $.type_identifier),
      $.scoped_type_identifier,
      $.generic_type,
      $.reference_type,
      $.pointer_type,
      $.linear_type,
      $.optional_type,
      $.error_union_type,
      $.array_type,
      $.function_type,
      $.tuple_type,
    ),

    scoped_type_identifier: $ => prec(3, seq(
      field('path', choice(alias($.identifier, $.module_path), $.scoped_type_identifier)),
      '.',
      field('name', $.identifier),
    )),

    generic_type: $ => prec(3, seq(
      field('type', choice(alias($.identifier, $.type_identifier), $.scoped_type_identifier)),
      field('arguments', $.type_arguments),
    )),

    type_arguments: $ => choice(
      seq('<', commaList(choice($._type, $.integer)), '>'),
      seq('[', commaList(choice($._type, $.integer)), ']'),
      seq('(', commaList(choice($._type, $.integer)), ')'),
    ),

    // `&T`, `&mut T`, `&dyn Drawable`.
    reference_type: $ => prec.right(1, seq(
      '&',
      optional(choice(field('mutable', $.mutable_specifier), 'dyn')),
      field('type', $._type),
    )),

    pointer_type: $ => prec.right(1, seq(
      '*',
      optional(choice(field('mutable', $.mutable_specifier), 'const')),
      field('type', $._type),
    )),

    // `~File` (planned linear type).
    linear_type: $ => prec.right(1, seq('~', field('type', $._type))),

    _bare_error_union_type: $ => prec.right(1, seq('!', field('type', $._type))),
    _bare_optional_type: $ => prec.right(1, seq('?', field('type', $._type))),

    optional_type: $ => choice(
      prec.right(1, seq('?', field('type', $._type))),
      prec(2, seq(field('type', $._type), '?')),
    ),

    error_union_type: $ => choice(
      prec.right(1, seq('!', field('type', $._type))),
      prec.right(2, seq(field('type', $._type), '!', optional(field('error', $._type)))),
    ),

    array_type: $ => prec.right(1, seq(
      '[', optional(field('size', $._expression)), ']',
      optional('const'),
      field('type', $._type),
    )),

    function_type: $ => prec.right(seq(
      choice('func', 'fn'),
      '(', commaList($._type), ')',
      optional(seq('->', field('return_type', $._type))),
    )),

    tuple_type: $ => seq('(', commaList($._type), ')'),

    // ── tokens ───────────────────────────────────────────────────────

    identifier: _ => /[A-Za-z_][A-Za-z0-9_]*/,

    self: _ => 'self',

    builtin_identifier: _ => /@[A-Za-z_][A-Za-z0-9_]*/,

    // `:sovereign` (profile names).
    symbol: _ => token(seq(':', /[A-Za-z_][A-Za-z0-9_]*/)),

    // `.ok`, `.Red` (enum literals in Zig style).
    enum_literal: $ => seq('.', field('name', $.identifier)),

    integer: _ => token(seq(choice(
      /0[xX][0-9a-fA-F_]+/,
      /0[bB][01_]+/,
      /0[oO][0-7_]+/,
      /[0-9][0-9_]*/,
    ), optional(/[iu](8|16|32|64|128|size)/))),

    float: _ => token(choice(
      /[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9]+)?/,
      /[0-9][0-9_]*[eE][+-]?[0-9]+/,
    )),

    string: _ => token(choice(
      seq('"""', repeat(choice(/[^"]/, /"[^"]/, /""[^"]/)), '"""'),
      seq('"', repeat(choice(/[^"\\\n]/, /\\./)), '"'),
    )),

    character: _ => token(seq("'", choice(/[^'\\\n]/, /\\./, /\\u\{[0-9a-fA-F]+\}/, /\\x[0-9a-fA-F]{2}/), "'")),

    boolean: _ => choice('true', 'false'),
    null: _ => choice('null', 'nil'),
  },
});
