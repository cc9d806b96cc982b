/* External scanner of the indent_demo test grammar: NEWLINE ends a statement, INDENT and DEDENT
   open and close a block. All three are zero-width tokens placed at the end of the line before
   the line break, so the break and the next line's indentation stay unread: each call measures
   them again, and one DEDENT is made per call while the next line is left of the block.

   State: the stack of open indentation widths, serialized whole (one byte per level, capped at
   255 columns) so an incremental reparse resumes with exactly the stack it had. */
#include "tree_sitter/parser.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NEWLINE, INDENT, DEDENT };

#define MAX_DEPTH TREE_SITTER_SERIALIZATION_BUFFER_SIZE

typedef struct {
  uint8_t widths[MAX_DEPTH];   /* widths[0] is the top level, always 0 */
  unsigned depth;
} Scanner;

void *tree_sitter_indent_demo_external_scanner_create(void) {
  Scanner *s = calloc(1, sizeof(Scanner));
  s->depth = 1;
  return s;
}

void tree_sitter_indent_demo_external_scanner_destroy(void *payload) { free(payload); }

unsigned tree_sitter_indent_demo_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  memcpy(buffer, s->widths + 1, s->depth - 1);
  return s->depth - 1;
}

void tree_sitter_indent_demo_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = payload;
  if (length > MAX_DEPTH - 1) length = MAX_DEPTH - 1;
  s->widths[0] = 0;
  memcpy(s->widths + 1, buffer, length);
  s->depth = length + 1;
}

bool tree_sitter_indent_demo_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid) {
  Scanner *s = payload;
  /* all three valid at once: tree-sitter is recovering from an error; make no layout token then
     except closing blocks, so the stack cannot grow from text that is not understood */
  bool recovering = valid[NEWLINE] && valid[INDENT] && valid[DEDENT];
  lexer->mark_end(lexer);
  bool line_end = false;
  unsigned width = 0;
  for (;;) {
    if (lexer->eof(lexer)) { line_end = true; width = 0; break; }
    if (lexer->lookahead == '\n') { line_end = true; width = 0; lexer->advance(lexer, true); }
    else if (lexer->lookahead == '\r') { width = 0; lexer->advance(lexer, true); }
    else if (lexer->lookahead == ' ') { width++; lexer->advance(lexer, true); }
    else if (lexer->lookahead == '\t') { width = (width / 8 + 1) * 8; lexer->advance(lexer, true); }
    else break;
  }
  if (!line_end) return false;
  if (width > 255) width = 255;
  unsigned top = s->widths[s->depth - 1];
  if (valid[DEDENT] && width < top && s->depth > 1) {
    s->depth--;
    lexer->result_symbol = DEDENT;
    return true;
  }
  if (recovering) return false;
  if (valid[INDENT] && width > top && s->depth < MAX_DEPTH && !lexer->eof(lexer)) {
    s->widths[s->depth++] = (uint8_t)width;
    lexer->result_symbol = INDENT;
    return true;
  }
  if (valid[NEWLINE]) {
    lexer->result_symbol = NEWLINE;
    return true;
  }
  return false;
}
