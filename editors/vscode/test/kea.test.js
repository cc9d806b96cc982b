'use strict';
/**
 * Kea (.kea): a language of its own (id `kea`, grammar source.kea, `--` comments, indentation
 * rules), sent to the language server exactly as X07 is (always, whatever custody.c.enable),
 * with the cursor decorations and Show Ownership; Run with Ownership Checks stays X07 only.
 * The tests common to Kea and Janus are in test/languageSuite.js; here is what is Kea's own.
 */
const { isX07Document, isKeaDocument } = require('../src/languages');
const { languageSuite } = require('./languageSuite');

const SAMPLE = [
  /* 0 */ 'doc',
  /* 1 */ '  Moves a `Unique` value: x is gone after this.',
  /* 2 */ '',
  /* 3 */ '    let y = f(x)  -- an example, not code',
  /* 4 */ '@fip',
  /* 5 */ 'pub fn f(x: Unique Int, borrow v: Unique Int) -[Echo UniqueInt, State Int]> Unique Int',
  /* 6 */ '  let n = 0x1F_FF + 0b1010 + 0o17 + 1_000 + 3.14 -- numbers',
  /* 7 */ '  let s = "total {n + 1} \\n {{lit}} \\q"',
  /* 8 */ '  let c = \'\\n\'',
  /* 9 */ '  if n >= 2 then x else consume(x)',
  /* 10 */ '  handle Echo.echo(x)',
  /* 11 */ '    Echo.echo(w) -> resume w',
  /* 12 */ '    then r -> r',
  /* 13 */ '@derive(Eq, Show)',
  /* 14 */ 'enum Unique a',
  /* 15 */ 'effect Echo A',
  /* 16 */ 'type W = { value: Unique(Int), tag: Int }',
  /* 17 */ 'use Alpha as A',
  /* 18 */ 'fn g(@with k: fn(Int) -> Int) -> Bool',
  /* 19 */ '  with y <- A.f(k)',
  /* 20 */ '  case y',
  /* 21 */ '    Some(z) -> |q| q and not true',
  /* 22 */ '    None -> false',
  /* 23 */ 'struct P',
  /* 24 */ 'trait Show a where a: Eq',
  /* 25 */ 'doc Inline doc text.',
  /* 26 */ 'let t = """',
  /* 27 */ '  multi {t} line',
  /* 28 */ '  """',
  /* 29 */ 'let letter = docs',
].join('\n');

languageSuite({
  name: 'Kea',
  id: 'kea',
  suffix: '.kea',
  nextTo: { ids: ['x07text', 'x07json'], label: 'X07' },
  isDocument: isKeaDocument,
  notDocument: [['an X07 program to run', isX07Document]],
  documents: [
    { languageId: 'kea', fileName: '/w/a.kea' },
    { languageId: 'plaintext', fileName: '/w/b.kea' },       // before the language is known
    { languageId: 'kea', fileName: 'Untitled-1' },
  ],
  nonDocuments: [{ languageId: 'plaintext', fileName: '/w/kea.txt' }, undefined],
  cursor: [2, 6],
  // `a || b || kea || config.c && (...)`
  showClause: /editorLangId == kea \|\| (?:editorLangId == \w+ \|\| )*config\.custody\.c\.enable &&/,
  configuration: {
    comments: { lineComment: '--' },
    autoClosing: ['(', '[', '{', '"', "'"],
    words: [],
    nonWords: [],
    offSide: true,
  },
  indentation: {
    about: 'indent after ->, =, block heads; not after one-liners; else dedents',
    indents: [
      'pub fn f(x: Unique Int, borrow v: Unique Int) -> Unique Int',
      'fn g() -[Echo UniqueInt]> Int',
      '@fip pub fn h(x: Unique Int) -> Unique Int',
      '    Unique(v) ->',
      'type UniqueInt =',
      '  let y =',
      '  if c',
      '  else',
      '  else if d',
      '  case v',
      '  let r = case v',
      '  let now = handle Clock.now()',
      '  handle e',
      'struct P',
      'enum Unique a',
      'effect Echo A',
      'trait Show a',
      'Int as Eq',
      'Option a as Decode where a: Decode',
      '  unsafe',
      '  State.with_state(0, ||',
      '  xs.List.map(|x|',
      '  let p = P {',
      'doc',
    ],
    stays: [
      '  let x = f(y)',
      '  x + 1',
      'type UniqueInt = Unique(Int)',
      '  let c = if cap <= 0 then 1 else cap',
      '  Unique(v) -> v',
      'use Alpha as A',
      '-- a comment ending in =',
      '  with conn <- Db.with_connection(cfg)',
      '  [1, 2, 3].List.map(|x| x * 2)     -- => [2, 4, 6]',
    ],
    dedents: ['  else', 'else', '  )', '  ]'],
    keeps: ['  elsewhere(x)', '  x'],
  },
  minRegexes: 30,
  sample: {
    text: SAMPLE,
    check({ has, lacks, whole }) {
      // doc blocks: `doc` and the indented lines (blank ones too) are documentation, the next declaration is not
      has(0, 'doc', 'storage.type.doc');
      for (const l of [1, 2, 3]) whole(l, 'comment.block.documentation');
      has(1, '`Unique`', 'markup.inline.raw');
      lacks(4, 'fip', 'comment');
      has(25, 'doc', 'storage.type.doc');
      whole(25, 'comment.line.documentation');
      // annotations
      has(4, 'fip', 'storage.type.annotation');
      has(4, '@', 'punctuation.definition.annotation');
      has(13, 'derive', 'storage.type.annotation');
      has(13, 'Eq', 'entity.name.type');
      has(18, 'with', 'storage.type.annotation');
      // declarations, keywords, Unique, borrow
      has(5, 'pub', 'storage.modifier');
      has(5, 'fn', 'storage.type.function');
      has(5, 'f', 'entity.name.function');
      has(5, 'Unique', 'storage.modifier.unique');
      has(5, 'borrow', 'storage.modifier');
      has(5, 'Int', 'entity.name.type');
      has(18, '->', 'keyword.operator.arrow');
      has(6, 'let', 'keyword.other');
      has(9, 'if', 'keyword.control');
      has(9, 'then', 'keyword.control');
      has(9, 'else', 'keyword.control');
      has(9, 'consume', 'entity.name.function.call');
      has(10, 'handle', 'keyword.control.effect');
      has(11, 'resume', 'keyword.control.effect');
      has(11, 'echo', 'entity.name.function.call');
      has(12, 'then', 'keyword.control');
      has(14, 'enum', 'storage.type');
      has(14, 'Unique', 'entity.name.type');        // declaring the type Unique
      has(15, 'effect', 'storage.type.effect');
      has(15, 'Echo', 'entity.name.type.effect');
      has(16, 'type', 'storage.type');
      has(16, 'W', 'entity.name.type');
      has(17, 'use', 'keyword.control.import');
      has(17, 'as', 'keyword.control.import');
      has(17, 'A', 'entity.name.type');
      has(19, 'with', 'keyword.control');
      has(19, '<-', 'keyword.operator.arrow');
      has(20, 'case', 'keyword.control');
      has(21, 'Some', 'entity.name.type');
      has(21, '|', 'punctuation.separator.lambda');
      has(21, 'and', 'keyword.operator.logical');
      has(21, 'not', 'keyword.operator.logical');
      has(21, 'true', 'constant.language.boolean');
      has(22, 'None', 'constant.language.none');
      has(23, 'struct', 'storage.type');
      has(24, 'trait', 'storage.type');
      has(24, 'where', 'keyword.other');
      // effect rows: -[ ... ]>, the effects named, their arguments types
      has(5, '-[', 'punctuation.definition.effect-row.begin');
      has(5, ']>', 'punctuation.definition.effect-row.end');
      has(5, 'Echo', 'entity.name.type.effect');
      has(5, 'State', 'entity.name.type.effect');
      has(5, 'UniqueInt', 'meta.effect-row');
      lacks(5, 'UniqueInt', 'entity.name.type.effect');
      // numbers
      has(6, '0x1F_FF', 'constant.numeric.hex');
      has(6, '0b1010', 'constant.numeric.binary');
      has(6, '0o17', 'constant.numeric.octal');
      has(6, '1_000', 'constant.numeric.integer');
      has(6, '3.14', 'constant.numeric.float');
      has(6, ' numbers', 'comment.line.double-dash');
      has(6, '--', 'punctuation.definition.comment');
      // strings: escapes, {{ }}, interpolation with code inside, bad escapes; chars; triple strings
      has(7, '"', 'punctuation.definition.string.begin');
      has(7, '\\n', 'constant.character.escape');
      has(7, '{{', 'constant.character.escape');
      has(7, '\\q', 'invalid.illegal.escape');
      has(7, '{', 'punctuation.section.interpolation.begin');
      has(7, 'n', 'meta.interpolation');
      has(7, 'n', 'variable.other');
      has(7, '+', 'keyword.operator');
      has(7, '+', 'string.quoted.double');
      has(7, '1', 'constant.numeric.integer');
      has(8, '\\n', 'constant.character.escape');
      has(8, '\\n', 'string.quoted.single');
      has(27, '  multi ', 'string.quoted.triple');
      has(27, 't', 'meta.interpolation');
      has(28, '"""', 'punctuation.definition.string.end');
      // words that only start like keywords
      has(29, 'letter', 'variable.other');
      lacks(29, 'letter', 'keyword');
      has(29, 'docs', 'variable.other');
      lacks(29, 'docs', 'comment');
    },
  },
  fixture: {
    file: 'sample.kea',
    // a declaration at the left margin is never swallowed by a doc block above it
    declaration: /^(pub |fn |@|enum |struct |trait |effect |type |use |test )/,
    notIn: ['comment'],
  },
});
