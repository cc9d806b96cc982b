/**
 * @file x07text: the lossless text projection of x07AST JSON.
 *
 *   (head arg ...)    a JSON array
 *   {:key value ...}  a JSON object
 *   atom              a JSON string written bare
 *   "text"            a JSON string with escapes \" \\ \n \r \t \u{HEX}
 *   42, -7            JSON integers
 *   #num"1.5"         any other JSON number
 *   true false null   the JSON literals
 *   ; ...             a line comment
 */

// Characters an atom may start with, and the ones it may continue with.
// (Written for a regex character class: `-` and `/` are escaped.)
const ATOM_START = 'A-Za-z_+\\-*\\/<>=!?&|%^~$.';
const ATOM_CHAR = ATOM_START + '0-9@';
// An atom character that is not a digit.
const ATOM_NONDIGIT = ATOM_START + '@';

module.exports = grammar({
  name: 'x07text',

  extras: $ => [/\s/, $.comment],

  // `true`, `false` and `null` are keywords cut out of the atom token.
  word: $ => $.atom,

  // Expanded where used: no extra `_value` reduction (and subtree) per value,
  // which made full parses about 30% slower.
  inline: $ => [$._value],

  rules: {
    document: $ => repeat($._value),

    _value: $ => choice(
      $.list,
      $.map,
      $.atom,
      $.string,
      $.integer,
      $.rawnum,
      $.true,
      $.false,
      $.null,
    ),

    list: $ => seq(
      '(',
      optional(seq(field('head', $._value), repeat($._value))),
      ')',
    ),

    map: $ => seq('{', repeat($.pair), '}'),

    pair: $ => seq(field('key', $.key), field('value', $._value)),

    // The whole `:name` token; the name itself follows the atom rules.
    key: _ => new RegExp(':[' + ATOM_START + '][' + ATOM_CHAR + ']*'),

    // `-12` could be read as an atom or as an integer: the integer's lexical
    // precedence wins. An atom that starts like a negative integer but goes on
    // with a non-digit (`-12x`, `-1-2`) is still one atom: that branch carries
    // the same precedence, so the lexer keeps going past the digits.
    atom: _ => token(choice(
      new RegExp('[' + ATOM_START + '][' + ATOM_CHAR + ']*'),
      prec(1, new RegExp('-[0-9]+[' + ATOM_NONDIGIT + '][' + ATOM_CHAR + ']*')),
    )),

    integer: _ => token(prec(1, /-?[0-9]+/)),

    rawnum: _ => token(seq('#num"', /[^"\\\n]*/, '"')),

    true: _ => 'true',
    false: _ => 'false',
    null: _ => 'null',

    // A string cannot span lines: its content stops at a newline and the
    // closing quote must follow immediately, so an unterminated string ends
    // at the end of its line and the next line parses normally.
    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    // Precedence 2, above the integer's: string_content is only valid inside
    // strings, so this changes no lexing, but tsgen leaves out of its
    // error-recovery lexer a token that another token shadows at the same
    // precedence; at 1 that dropped `integer`, and integers after a syntax
    // error were swallowed by the error instead of being parsed.
    string_content: _ => token.immediate(prec(2, /[^"\\\n]+/)),

    escape_sequence: _ => token.immediate(seq(
      '\\',
      choice(/["\\nrt]/, /u\{[0-9A-Fa-f]+\}/),
    )),

    comment: _ => token(seq(';', /.*/)),
  },
});
