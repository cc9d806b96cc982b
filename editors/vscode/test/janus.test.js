'use strict';
/**
 * Janus (.jan): a language of its own (id `janus`, grammar source.janus, `//` and `/* *\/`
 * comments, indentation rules for `do … end` and braces), sent to the language server exactly as
 * Kea is (always, whatever custody.c.enable), with the cursor decorations and Show Ownership; Run
 * with Ownership Checks stays X07 only. The tests common to Kea and Janus are in
 * test/languageSuite.js; here is what is Janus's own, among it a sample of custody's for the
 * TextMate grammar (the planned ownership syntax too: profile :sovereign, move, owned, ~T, &mut T,
 * with_scratchpad, region, unsafe, cap). Janus's own .jan files go through
 * scripts/tokenize_corpus.js by hand (a test must not depend on a fetched repository):
 *   node scripts/tokenize_corpus.js janus.tmLanguage.json .jan REPO
 */
const { isX07Document, isKeaDocument, isJanusDocument } = require('../src/languages');
const { languageSuite } = require('./languageSuite');

const SAMPLE = [
  /* 0 */ 'profile :sovereign',
  /* 1 */ '/// Opens a file; the caller must close it.',
  /* 2 */ 'func open_file(owned p: ~File, q: &mut Buf, r: &dyn Drawable) -> ~File do',
  /* 3 */ '    let n := 0x1F_FF + 0b1010 + 0o17 + 1_000 + 3.14 + 2.5e-3 + 7u32 // numbers',
  /* 4 */ '    let s = "tab\\t {} \\"q\\""',
  /* 5 */ '    let c = \'\\n\'',
  /* 6 */ '    process(move p)',
  /* 7 */ '    with_scratchpad |scratch| do',
  /* 8 */ '        let t = scratch.alloc(n)',
  /* 9 */ '    end',
  /* 10 */ '    region arena do /* a region',
  /* 11 */ '       over two lines */ end',
  /* 12 */ '    unsafe { @memset(q.ptr, 0, q.len) }',
  /* 13 */ '    cap SharedMemory',
  /* 14 */ '    defer close(p)',
  /* 15 */ '    using shared conn = connect() do end',
  /* 16 */ '    for i in 0..<n do if i == 2 and not done do break end end',
  /* 17 */ '    return p',
  /* 18 */ 'end',
  /* 19 */ 'pub struct Point { x: i32, y: f64 }',
  /* 20 */ 'enum Mode { Read, Write }',
  /* 21 */ 'impl Closer for Handle {',
  /* 22 */ '    let moved = removed.move() // not the move keyword',
  /* 23 */ '    let t = """',
  /* 24 */ '  several "lines"',
  /* 25 */ '    """',
  /* 26 */ '    let raw = r#"{"id": 1}"#',
  /* 27 */ '    let v = x |> f() ?? null; let ok = true',
  /* 28 */ '    let profile_name = ending',
  /* 29 */ '    match m { :full => 1, _ => 2 }',
  /* 30 */ '    let b = ~mask & flags',
  /* 31 */ 'trait Closer { func close(self: &mut Self) -> void }',
  /* 32 */ 'test "a test" { assert(x) }',
].join('\n');

languageSuite({
  name: 'Janus',
  id: 'janus',
  suffix: '.jan',
  nextTo: { ids: ['x07text', 'x07json', 'kea'], label: 'X07 and Kea' },
  isDocument: isJanusDocument,
  notDocument: [['X07 (to run)', isX07Document], ['Kea', isKeaDocument]],
  documents: [
    { languageId: 'janus', fileName: '/w/a.jan' },
    { languageId: 'plaintext', fileName: '/w/b.jan' },      // before the language is known
    { languageId: 'janus', fileName: 'Untitled-1' },
    { languageId: 'plaintext', uri: { path: '/w/c.jan' } },
  ],
  nonDocuments: [{ languageId: 'plaintext', fileName: '/w/jan.txt' }, { languageId: 'plaintext', fileName: '/w/a.janus' }, undefined],
  cursor: [2, 20],
  // janus right before the C clause
  showClause: /editorLangId == janus \|\| config\.custody\.c\.enable &&/,
  configuration: {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    autoClosing: ['(', '[', '{', '"', "'", '/*'],
    words: ['with_scratchpad', 'x1', '1_000', '3.14'],
    nonWords: ['a.b'],
    offSide: false,
  },
  indentation: {
    about: 'indent after do, do |x|, an open bracket, else; not after one-liners; end/else/closers dedent',
    indents: [
      'func f(x: ~File) -> i32 do',
      'func g(owned p: Buffer) -> void {',
      '    for n in numbers do',
      '    while i < b.len and b[i] != \'\\n\' do',
      '    if x > 0 do   // positive',
      '    with_scratchpad |scratch| do',
      '    region r do',
      '    using f = open(p) do',
      '    grant cap FileSystem { read: true } do',
      '    while it.next() |part| do',
      '    let got = fs.read(path) catch |err| {',
      '    } else {',
      '    else',
      '    end else do',
      '    unsafe {',
      '    match mode {',
      'struct Handle {',
      'impl Closer for Handle {',
      '    print(a,',
      '    let xs = [',
      'profile :sovereign do',
    ],
    stays: [
      '    let x := f(y)',
      '    return x',
      '    end',
      '    let clamped = if end > n do n else end end;',
      '    for list.items do |*s| s.deinit();',
      '    let p = Point { x: 1, y: 2 }',
      '    // a comment that ends in do',
      '    /* or { */',
      '    defer close()',
      '    let undo = redo',
      '    x.do',
      '    let s = "else"',
      'profile :sovereign',
    ],
    dedents: ['    end', 'end', '  else', '    else do', '    end else', '}', '    } else {', '  )', '  ]'],
    keeps: ['  ending(x)', '  elsewhere(x)', '  x', '  endpoint = 1'],
  },
  minRegexes: 40,
  sample: {
    text: SAMPLE,
    check({ has, lacks }) {
      // profile :sovereign
      has(0, 'profile', 'keyword.other.profile');
      has(0, ':', 'punctuation.definition.constant');
      has(0, 'sovereign', 'constant.other.symbol.profile');
      // comments: /// documents, // to the end of the line, /* */ across lines
      has(1, ' Opens a file; the caller must close it.', 'comment.line.documentation');
      has(3, ' numbers', 'comment.line.double-slash');
      has(3, '//', 'punctuation.definition.comment');
      has(10, ' a region', 'comment.block');
      has(11, '       over two lines ', 'comment.block');
      has(11, '*/', 'punctuation.definition.comment.end');
      has(11, 'end', 'keyword.control.block');
      lacks(11, 'end', 'comment');
      // declarations, ownership in types and parameters
      has(2, 'func', 'storage.type.function');
      has(2, 'open_file', 'entity.name.function');
      has(2, 'owned', 'storage.modifier.owned');
      has(2, '~', 'storage.modifier.linear');
      has(2, 'File', 'entity.name.type');
      has(2, '~', 'storage.modifier.linear', 1);
      has(2, '&', 'storage.modifier.reference');
      has(2, 'mut', 'storage.modifier.mut');
      has(2, 'Buf', 'entity.name.type');
      has(2, '&', 'storage.modifier.reference', 1);
      has(2, 'dyn', 'storage.modifier');
      has(2, '->', 'keyword.operator.arrow');
      has(2, 'do', 'keyword.control.block');
      has(6, 'move', 'keyword.other.move');
      has(6, 'process', 'entity.name.function.call');
      has(7, 'with_scratchpad', 'keyword.control.region');
      has(7, '|', 'punctuation.definition.parameters.begin');
      has(7, 'scratch', 'variable.parameter');
      has(8, 'alloc', 'entity.name.function.call');
      has(9, 'end', 'keyword.control.block');
      has(10, 'region', 'keyword.control.region');
      has(10, 'arena', 'variable.other.region');
      has(12, 'unsafe', 'keyword.other.unsafe');
      has(12, 'memset', 'support.function.builtin');
      has(12, '@', 'punctuation.definition.builtin');
      has(13, 'cap', 'keyword.other.capability');
      has(13, 'SharedMemory', 'entity.name.type.capability');
      has(14, 'defer', 'keyword.control.defer');
      has(15, 'using', 'keyword.control.using');
      has(15, 'shared', 'storage.modifier');
      has(17, 'return', 'keyword.control.flow');
      has(18, 'end', 'keyword.control.block');
      // keywords
      has(3, 'let', 'storage.type.variable');
      has(3, ':=', 'keyword.operator.assignment.declaration');
      has(16, 'for', 'keyword.control.loop');
      has(16, 'in', 'keyword.control.loop');
      has(16, '..<', 'keyword.operator.range');
      has(16, 'if', 'keyword.control.conditional');
      has(16, '==', 'keyword.operator.comparison');
      has(16, 'and', 'keyword.operator.logical');
      has(16, 'not', 'keyword.operator.logical');
      has(16, 'break', 'keyword.control.loop');
      has(19, 'pub', 'storage.modifier');
      has(19, 'struct', 'storage.type');
      has(19, 'Point', 'entity.name.type');
      has(19, 'i32', 'support.type.primitive');
      has(19, 'f64', 'support.type.primitive');
      has(20, 'enum', 'storage.type');
      has(20, 'Mode', 'entity.name.type');
      has(20, 'Read', 'entity.name.type');
      has(21, 'impl', 'storage.type.impl');
      has(21, 'Closer', 'entity.name.type');
      has(21, 'for', 'keyword.other.for');
      has(21, 'Handle', 'entity.name.type');
      has(27, '|>', 'keyword.operator.pipeline');
      has(27, '??', 'keyword.operator.optional');
      has(27, 'null', 'constant.language.null');
      has(27, 'true', 'constant.language.boolean');
      has(27, ';', 'punctuation.terminator.statement');
      has(29, 'match', 'keyword.control.conditional');
      has(29, 'full', 'constant.other.symbol');
      has(29, '=>', 'keyword.operator.arrow');
      has(29, '_', 'variable.language.wildcard');
      has(30, '~', 'keyword.operator.bitwise');
      lacks(30, '~', 'storage.modifier');
      has(30, '&', 'keyword.operator.bitwise');
      has(31, 'trait', 'storage.type');
      has(31, 'self', 'variable.language.self');
      has(31, 'Self', 'variable.language.self');
      has(31, 'mut', 'storage.modifier.mut');
      has(31, 'void', 'support.type.primitive');
      has(32, 'test', 'keyword.other.test');
      has(32, 'a test', 'string.quoted.double');
      // numbers
      has(3, '0x1F_FF', 'constant.numeric.hex');
      has(3, '0b1010', 'constant.numeric.binary');
      has(3, '0o17', 'constant.numeric.octal');
      has(3, '1_000', 'constant.numeric.integer');
      has(3, '3.14', 'constant.numeric.float');
      has(3, '2.5e-3', 'constant.numeric.float');
      has(3, '7u32', 'constant.numeric.integer');
      // strings, escapes, placeholders, chars, triple and raw strings
      has(4, '"', 'punctuation.definition.string.begin');
      has(4, 'tab', 'string.quoted.double');
      has(4, '\\t', 'constant.character.escape');
      has(4, '{}', 'constant.other.placeholder');
      has(4, '\\"', 'constant.character.escape');
      has(5, '\\n', 'constant.character.escape');
      has(5, '\\n', 'string.quoted.single');
      has(24, '  several "lines"', 'string.quoted.triple');
      has(25, '"""', 'punctuation.definition.string.end');
      has(26, '{"id": 1}', 'string.quoted.raw');
      has(26, 'r', 'storage.type.string');
      has(26, '#', 'punctuation.definition.string.raw', 1);
      has(26, '#', 'string.quoted.raw', 1);
      // words that only contain or start like keywords, and a method named move
      has(22, 'moved', 'variable.other');
      lacks(22, 'moved', 'keyword');
      lacks(22, 'move', 'keyword');
      has(22, 'move', 'entity.name.function.call');
      has(22, ' not the move keyword', 'comment.line.double-slash');
      has(28, 'profile_name', 'variable.other');
      has(28, 'ending', 'variable.other');
      lacks(28, 'ending', 'keyword');
    },
  },
  fixture: {
    file: 'sample.jan',
    declaration: /^(pub |func |struct |enum |error |trait |impl |test |async |profile |import |use )/,
    notIn: ['comment', 'string'],
  },
});
