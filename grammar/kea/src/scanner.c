/*
 * External scanner for custody's Kea grammar (grammar/kea/grammar.js).
 *
 * Kea's layout rules (kea-syntax `lex_layout`): at a line break outside
 * brackets, the indentation of the next line that has code decides what
 * happens.  Deeper than the current block: a block opens (INDENT).  Shallower:
 * each block deeper than it closes (one DEDENT per level).  Equal: the next
 * line is a sibling (NEWLINE).  Blank lines and comment-only lines do not
 * count.  A line that starts with `.` (a method chain) continues the previous
 * line, and so does one starting with `else`.
 *
 * All three layout tokens are zero-width: they sit right after the last token
 * of the line, the line break and the comments after it are lexed afterwards
 * as extras.  A token is only made when the parser can take it
 * (valid_symbols), which is also how brackets switch layout off: no layout
 * token is valid between `(` and `)` unless a block (a lambda body, say)
 * opens there.  Such a block is closed by DEDENT when `)`, `]`, `}` or `,`
 * follows on the same line.
 *
 * DOC_COMMENT is the whole `doc` block: `doc` plus the rest of its line, or
 * `doc` alone on its line plus the lines below indented deeper than `doc`
 * (blank lines inside included).
 *
 * State: the stack of open indentation levels (the bottom, level 0, is
 * implicit) and one flag.  It is serialized completely (run-length encoded,
 * so even thousands of regular levels fit the 1024-byte buffer); a push that
 * would no longer fit is refused, so the state is always exact.
 *
 * Error recovery (every symbol valid): DEDENT and NEWLINE are still made at
 * line breaks, so the parser can resynchronise on lines; INDENT and
 * DOC_COMMENT are not.
 */

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum TokenType { INDENT, DEDENT, NEWLINE, DOC_COMMENT };

#define SERIALIZED_MAX 1024u
#define TAB_WIDTH 8u

typedef struct {
  uint32_t *levels; /* open levels above the implicit 0, increasing */
  uint32_t len;
  uint32_t cap;
  /* Set when a DEDENT left the next line deeper than the block it returned
     to (a dedent to a level between two): that line gets a NEWLINE. */
  bool between;
} Scanner;

static uint32_t top(const Scanner *s) { return s->len ? s->levels[s->len - 1] : 0; }

/* Bytes `value` takes as a LEB128 varint. */
static unsigned varint_size(uint32_t value) {
  unsigned n = 1;
  while (value >= 0x80) {
    value >>= 7;
    n++;
  }
  return n;
}

static unsigned put_varint(char *buffer, unsigned at, uint32_t value) {
  while (value >= 0x80) {
    buffer[at++] = (char)(0x80 | (value & 0x7f));
    value >>= 7;
  }
  buffer[at++] = (char)value;
  return at;
}

static bool get_varint(const char *buffer, unsigned length, unsigned *at, uint32_t *value) {
  uint32_t result = 0;
  unsigned shift = 0;
  while (*at < length && shift < 35) {
    uint8_t byte = (uint8_t)buffer[(*at)++];
    result |= (uint32_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *value = result;
      return true;
    }
    shift += 7;
  }
  return false;
}

/* Size of the serialized state: a flag byte, then runs of (step, count),
   where step is the difference between a level and the one below it. */
static unsigned serialized_size(const Scanner *s, uint32_t extra_level, bool with_extra) {
  unsigned size = 1;
  uint32_t below = 0, run_step = 0, run_count = 0;
  uint32_t n = s->len + (with_extra ? 1 : 0);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t level = i < s->len ? s->levels[i] : extra_level;
    uint32_t step = level - below;
    below = level;
    if (run_count && step == run_step) {
      run_count++;
      continue;
    }
    if (run_count) size += varint_size(run_step) + varint_size(run_count);
    run_step = step;
    run_count = 1;
  }
  if (run_count) size += varint_size(run_step) + varint_size(run_count);
  return size;
}

static bool push(Scanner *s, uint32_t level) {
  if (serialized_size(s, level, true) > SERIALIZED_MAX) return false;
  if (s->len == s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    uint32_t *grown = realloc(s->levels, cap * sizeof(uint32_t));
    if (!grown) return false;
    s->levels = grown;
    s->cap = cap;
  }
  s->levels[s->len++] = level;
  return true;
}

void *tree_sitter_kea_external_scanner_create(void) {
  Scanner *s = calloc(1, sizeof(Scanner));
  return s;
}

void tree_sitter_kea_external_scanner_destroy(void *payload) {
  Scanner *s = payload;
  if (!s) return;
  free(s->levels);
  free(s);
}

unsigned tree_sitter_kea_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  unsigned at = 0;
  buffer[at++] = (char)(s->between ? 1 : 0);
  uint32_t below = 0, run_step = 0, run_count = 0;
  for (uint32_t i = 0; i < s->len; i++) {
    uint32_t step = s->levels[i] - below;
    below = s->levels[i];
    if (run_count && step == run_step) {
      run_count++;
      continue;
    }
    if (run_count) {
      at = put_varint(buffer, at, run_step);
      at = put_varint(buffer, at, run_count);
    }
    run_step = step;
    run_count = 1;
  }
  if (run_count) {
    at = put_varint(buffer, at, run_step);
    at = put_varint(buffer, at, run_count);
  }
  return at;
}

void tree_sitter_kea_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = payload;
  s->len = 0;
  s->between = false;
  if (length == 0) return;
  unsigned at = 0;
  s->between = buffer[at++] != 0;
  uint32_t level = 0;
  while (at < length) {
    uint32_t step, count;
    if (!get_varint(buffer, length, &at, &step)) break;
    if (!get_varint(buffer, length, &at, &count)) break;
    for (uint32_t i = 0; i < count; i++) {
      level += step;
      if (s->len == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        while (cap < s->len + 1) cap *= 2;
        uint32_t *grown = realloc(s->levels, cap * sizeof(uint32_t));
        if (!grown) return;
        s->levels = grown;
        s->cap = cap;
      }
      s->levels[s->len++] = level;
    }
  }
}

static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }
static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline bool is_word_char(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static inline bool at_line_end(TSLexer *lexer) {
  return lexer->lookahead == '\n' || lexer->lookahead == '\r' || lexer->eof(lexer);
}

/* Consume the rest of the line (not the line break). */
static void skip_line(TSLexer *lexer) {
  while (lexer->lookahead != '\n' && !lexer->eof(lexer)) skip(lexer);
}

/* Consume `word` if it is next and is a whole word; false (with part of it
   consumed) otherwise. */
static bool consume_word(TSLexer *lexer, const char *word, bool as_token) {
  for (const char *p = word; *p; p++) {
    if (lexer->lookahead != *p) return false;
    lexer->advance(lexer, !as_token);
  }
  return !is_word_char(lexer->lookahead);
}

/* The doc block, after `doc` (consumed, token end not yet marked). */
static bool finish_doc(TSLexer *lexer, uint32_t doc_column) {
  lexer->mark_end(lexer);
  while (lexer->lookahead == ' ' || lexer->lookahead == '\t' || lexer->lookahead == '\r') advance(lexer);
  if (!at_line_end(lexer)) {
    /* Inline form: the rest of the line. */
    while (!at_line_end(lexer)) advance(lexer);
    lexer->mark_end(lexer);
    while (lexer->lookahead == '\r') advance(lexer);
    lexer->result_symbol = DOC_COMMENT;
    return true;
  }
  /* Block form: the lines below that are indented deeper than `doc`. */
  bool first = true;
  uint32_t base = 0;
  while (lexer->lookahead == '\n') {
    advance(lexer);
    uint32_t indent = 0;
    for (;;) {
      if (lexer->lookahead == ' ') indent++;
      else if (lexer->lookahead == '\t') indent = (indent / TAB_WIDTH + 1) * TAB_WIDTH;
      else if (lexer->lookahead == '\r') {}
      else break;
      advance(lexer);
    }
    if (lexer->eof(lexer)) break;
    if (lexer->lookahead == '\n') {
      if (first) break; /* `doc` then a blank line: an empty doc */
      continue;          /* a blank line inside the body */
    }
    if (first) {
      if (indent <= doc_column) break;
      base = indent;
      first = false;
    } else if (indent < base) {
      break;
    }
    while (!at_line_end(lexer)) advance(lexer);
    lexer->mark_end(lexer);
  }
  lexer->result_symbol = DOC_COMMENT;
  return true;
}

bool tree_sitter_kea_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *s = payload;
  bool recovering = valid_symbols[INDENT] && valid_symbols[DEDENT] && valid_symbols[NEWLINE] &&
                    valid_symbols[DOC_COMMENT];

  /* Layout tokens are zero-width: their end is here. */
  lexer->mark_end(lexer);

  bool line_break = false;
  bool passed_comment = false;
  uint32_t indent = 0;
  for (;;) {
    int32_t c = lexer->lookahead;
    if (c == ' ') {
      indent++;
      skip(lexer);
    } else if (c == '\t') {
      indent = (indent / TAB_WIDTH + 1) * TAB_WIDTH;
      skip(lexer);
    } else if (c == '\r' || c == '\f' || c == '\v') {
      skip(lexer);
    } else if (c == '\n') {
      line_break = true;
      indent = 0;
      skip(lexer);
    } else if (c == '-' || c == '/') {
      /* A comment (`--`, `//`) counts as blank; a lone `-` or `/` is code. */
      skip(lexer);
      if (lexer->lookahead != c) {
        /* `-`/`/` followed by something else: code.  It was consumed, but
           only the decisions below depend on what follows, and none of them
           needs this character again except the `.`/`else` checks, which
           it fails anyway. */
        goto code;
      }
      passed_comment = true;
      skip_line(lexer);
    } else {
      break;
    }
  }

  if (lexer->eof(lexer)) {
    /* Close every open block at the end of the text. */
    if (valid_symbols[DEDENT] && s->len > 0) {
      s->len--;
      s->between = false;
      lexer->result_symbol = DEDENT;
      return true;
    }
    return false;
  }

  {
    int32_t c = lexer->lookahead;

    if (!line_break) {
      /* Same line.  A block opened inside brackets closes before the
         closing bracket or a comma. */
      if ((c == ')' || c == ']' || c == '}' || c == ',') && valid_symbols[DEDENT] && s->len > 0 &&
          !recovering) {
        s->len--;
        s->between = false;
        lexer->result_symbol = DEDENT;
        return true;
      }
      /* The first `doc` of the file. */
      if (c == 'd' && valid_symbols[DOC_COMMENT] && !recovering && !passed_comment) {
        uint32_t column = lexer->get_column(lexer);
        if (consume_word(lexer, "doc", true)) return finish_doc(lexer, column);
      }
      return false;
    }

    /* A line break: `indent` is the next code line's indentation. */
    if (c == '.') {
      skip(lexer);
      if (lexer->lookahead != '.') return false; /* method chain continues */
      goto code;
    }
    uint32_t current = top(s);
    bool else_line = false;
    if (c == 'e') {
      /* Peeking consumes; the token end was marked already. */
      else_line = consume_word(lexer, "else", false);
      if (else_line) {
        if (indent < current && valid_symbols[DEDENT]) {
          s->len--;
          s->between = false;
          lexer->result_symbol = DEDENT;
          return true;
        }
        return false;
      }
      goto code_decided;
    }
    if (c == 'd' && valid_symbols[DOC_COMMENT] && !recovering && indent == current && !passed_comment &&
        !valid_symbols[NEWLINE]) {
      uint32_t column = lexer->get_column(lexer);
      if (consume_word(lexer, "doc", true)) return finish_doc(lexer, column);
      goto code_decided;
    }
    goto code_decided;

  code:
    if (!line_break) return false;
  code_decided:
    current = top(s);
    if (indent > current) {
      if (s->between && valid_symbols[NEWLINE]) {
        s->between = false;
        lexer->result_symbol = NEWLINE;
        return true;
      }
      if (valid_symbols[INDENT] && !recovering && push(s, indent)) {
        s->between = false;
        lexer->result_symbol = INDENT;
        return true;
      }
      return false; /* a continuation line */
    }
    if (indent < current) {
      if (valid_symbols[DEDENT]) {
        s->len--;
        s->between = indent > top(s);
        lexer->result_symbol = DEDENT;
        return true;
      }
      return false;
    }
    if (valid_symbols[NEWLINE]) {
      s->between = false;
      lexer->result_symbol = NEWLINE;
      return true;
    }
    return false;
  }
}
