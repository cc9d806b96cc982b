/**
 * JSON as specified by RFC 8259, for custody's own parser generator.
 *
 * Node and field names follow the tree-sitter-json grammar so that trees
 * produced by both parsers can be compared node for node:
 *   document, object, pair (fields key / value), array, string,
 *   string_content, escape_sequence, number, true, false, null, comment.
 *
 * Where this grammar departs from RFC 8259, it is on purpose and noted:
 *   - comments (// and /* *\/) are accepted as extras, as tree-sitter-json
 *     does, so editors can show them instead of an error;
 *   - an escape sequence is the backslash and the one character after it
 *     (`\u` included); the four hex digits of `\uXXXX` are lexed as the
 *     following string_content, the way tree-sitter-json splits them.
 * Everything else is strict: exactly one value per document, whitespace is
 * space / tab / LF / CR, no raw control characters inside strings, numbers
 * without leading zeros, hex or a bare trailing dot.
 */

module.exports = grammar({
  name: 'json',

  // RFC 8259 section 2: ws = *( %x20 / %x09 / %x0A / %x0D )
  extras: $ => [/[ \t\n\r]/, $.comment],

  supertypes: $ => [$._value],

  rules: {
    // JSON-text = ws value ws
    document: $ => $._value,

    _value: $ => choice(
      $.object,
      $.array,
      $.number,
      $.string,
      $.true,
      $.false,
      $.null,
    ),

    // object = begin-object [ member *( value-separator member ) ] end-object
    object: $ => seq('{', optional(commaSeparated($.pair)), '}'),

    // member = string name-separator value
    pair: $ => seq(field('key', $.string), ':', field('value', $._value)),

    // array = begin-array [ value *( value-separator value ) ] end-array
    array: $ => seq('[', optional(commaSeparated($._value)), ']'),

    // string = quotation-mark *char quotation-mark
    string: $ => seq('"', repeat(choice($.string_content, $.escape_sequence)), '"'),

    // unescaped = %x20-21 / %x23-5B / %x5D-10FFFF.  Immediate: no extras may
    // come between the quote and the text, and a higher lexical precedence
    // than a comment so `"// x"` stays text.
    string_content: _ => token.immediate(prec(1, /[^"\\\u0000-\u001f]+/)),

    // escape = %x5C followed by one of " \ / b f n r t u
    escape_sequence: _ => token.immediate(seq('\\', /["\\\/bfnrtu]/)),

    // number = [ minus ] int [ frac ] [ exp ]
    number: _ => token(seq(
      optional('-'),
      choice('0', /[1-9][0-9]*/),
      optional(/\.[0-9]+/),
      optional(/[eE][+-]?[0-9]+/),
    )),

    true: _ => 'true',
    false: _ => 'false',
    null: _ => 'null',

    comment: _ => token(choice(
      seq('//', /[^\n]*/),
      seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'),
    )),
  },
});

function commaSeparated(rule) {
  return seq(rule, repeat(seq(',', rule)));
}
