// A small indentation-sensitive language for testing tsgen's external-scanner support: blocks
// are indented runs of statements after `name:`, as in Python. The scanner (scanner.c) makes
// the layout tokens; everything else is lexed by the generated lexer.
module.exports = grammar({
  name: 'indent_demo',
  externals: $ => [$._newline, $._indent, $._dedent],
  extras: $ => [/[ \t\r\n]/],
  word: $ => $.identifier,
  rules: {
    source_file: $ => repeat($._statement),
    _statement: $ => choice($.assignment, $.call_statement, $.compound, $.pass),
    assignment: $ => seq(field('target', $.identifier), '=', field('value', $._expression), $._newline),
    call_statement: $ => seq($.call, $._newline),
    pass: $ => seq('pass', $._newline),
    compound: $ => seq(field('head', $.identifier), ':', $._newline, field('body', $.block)),
    block: $ => seq($._indent, repeat1($._statement), $._dedent),
    _expression: $ => choice($.identifier, $.number, $.call),
    call: $ => seq(field('function', $.identifier), '(', optional(seq($._expression, repeat(seq(',', $._expression)))), ')'),
    identifier: $ => /[a-z_][a-z_0-9]*/,
    number: $ => /[0-9]+/,
  },
});
