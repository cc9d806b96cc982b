/*
 * CPython extension exposing one generated tree-sitter language.
 *
 * Compiled once per grammar with -DTS_GRAMMAR=<name> (see grammar/build.py):
 * the module custody.grammar._<name> gets a function language() returning a
 * PyCapsule named "tree_sitter.Language" around the `const TSLanguage *` that
 * tree_sitter_<name>() in the grammar's src/parser.c returns; pass it to
 * tree_sitter.Language(...).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifndef TS_GRAMMAR
#error "compile with -DTS_GRAMMAR=<grammar name>"
#endif

#define TS_CAT2(a, b) a##b
#define TS_CAT(a, b) TS_CAT2(a, b)
#define TS_STR2(x) #x
#define TS_STR(x) TS_STR2(x)

typedef struct TSLanguage TSLanguage;
const TSLanguage *TS_CAT(tree_sitter_, TS_GRAMMAR)(void);

static PyObject *language(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  return PyCapsule_New((void *)TS_CAT(tree_sitter_, TS_GRAMMAR)(), "tree_sitter.Language", NULL);
}

static PyMethodDef methods[] = {
  {"language", language, METH_NOARGS,
   "Return the tree-sitter language as a PyCapsule named \"tree_sitter.Language\"."},
  {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
  PyModuleDef_HEAD_INIT,
  "_" TS_STR(TS_GRAMMAR),
  "Generated tree-sitter language for the " TS_STR(TS_GRAMMAR) " grammar.",
  0,
  methods,
  NULL,
  NULL,
  NULL,
  NULL,
};

PyMODINIT_FUNC TS_CAT(PyInit__, TS_GRAMMAR)(void) {
  return PyModule_Create(&module);
}
