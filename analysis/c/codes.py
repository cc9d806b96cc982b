"""C's catalog of codes (AgeRun's MMM rule names, docs/c.md "Rules"): title, explanation, example
and fix for each code the C front-end reports, and, in place, the shared entries it also reports
(a syntax error, nesting too deep, a file too large)."""
from __future__ import annotations

from ..catalog import SHARED, CodeInfo

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("MMM-T1", "use after transfer or destroy",
             "An `own_` variable is read (dereferenced, passed, returned, compared with something other than "
             "NULL) after it was handed to a sink, stored elsewhere, returned or destroyed on some path, and "
             "nothing was assigned to it since. The pointer now belongs to someone else or points at freed memory.",
             "ar_agent__send(mut_agent, own_msg);\nar_data__get_type(own_msg);   // own_msg was transferred",
             "Read what you need before the transfer, or keep a `ref_` alias taken before it; set the variable "
             "to NULL after handing it on."),
    CodeInfo("MMM-T2", "transfer not nulled",
             "After a transfer or destroy, the `own_` variable is compared with NULL (or asserted on) while it "
             "still holds the stale pointer, so the test says \"still owned\" about memory it gave away.",
             "ar_data__destroy(own_x);\nif (own_x) { ... }   // stale pointer",
             "Insert `own_x = NULL;` right after the transfer or destroy."),
    CodeInfo("MMM-T3", "borrowed value into an owning sink",
             "A `ref_`/`mut_` variable, parameter or field is passed to an `own_` parameter that takes "
             "ownership, or a `ref_` value is stored into an `own_` field. Its real owner will destroy it too.",
             "ar_agent__send(mut_agent, ref_message);",
             "Pass a copy the callee may own, or make the variable the owner (`own_`) if it really is."),
    CodeInfo("MMM-D1", "double destroy",
             "An `own_` variable is destroyed where it was already destroyed or transferred on some path, "
             "for example a destroy after an always-consume sink failed.",
             "if (!ar_agency__send_to_agent(mut_agency, id, own_msg)) {\n    ar_data__destroy(own_msg);   // the sink already destroyed it\n}",
             "Remove the second destroy, or set the variable to NULL after the first release."),
    CodeInfo("MMM-D2", "destroy of a borrowed value",
             "A destroy function (or AR__HEAP__FREE/free) is applied to a `ref_`/`mut_` variable, parameter or "
             "field: the value belongs to someone else, who will destroy it again.",
             "void f(ar_data_t *mut_data) { ar_data__destroy(mut_data); }",
             "Let the owner destroy it, or rename the variable `own_` if this function owns it."),
    CodeInfo("MMM-L1", "owned local leaks",
             "An `own_` local still owns its value (on some path) at a return or at the end of its scope.",
             "ar_data_t *own_x = ar_data__create_integer(1);\nreturn;   // own_x leaks",
             "Destroy it, hand it to a sink, store it or return it before the exit."),
    CodeInfo("MMM-L2", "owned parameter not consumed",
             "An `own_` parameter is still owned at an exit of the function. A consume-on-success function may "
             "keep it on exits that return false, 0 or NULL.",
             "void f(ar_data_t *own_x) { if (!ok) return; ar_data__destroy(own_x); }",
             "Destroy or store the parameter on every path, or make it `ref_` if the caller keeps ownership."),
    CodeInfo("MMM-L3", "owned value overwritten",
             "A new value is assigned to an `own_` variable that still owns one: the old value is lost. "
             "(`own_x = AR__HEAP__REALLOC(own_x, n)` is fine.)",
             "own_x = ar_data__create_integer(1);\nown_x = ar_data__create_integer(2);",
             "Destroy or hand on the old value first."),
    CodeInfo("MMM-L4", "leak after a failed conditional transfer",
             "A consume-on-success sink failed and gave the value back; on that failure path it is never "
             "destroyed.",
             "if (!ar_data__set_map_data(mut_map, \"k\", own_v)) {\n    return false;   // own_v leaks\n}",
             "Destroy the value on the failure branch."),
    CodeInfo("MMM-A1", "contradicted ownership assertion",
             "AR_ASSERT_OWNERSHIP on a variable that holds nothing it owns on every path, or "
             "AR_ASSERT_TRANSFERRED/AR_ASSERT_NOT_USED_AFTER_FREE on one that is not NULL on some path.",
             "ar_data__destroy(own_x);\nAR_ASSERT_NOT_USED_AFTER_FREE(own_x);   // not NULL",
             "Set the variable to NULL after the release, or fix the assertion."),
    CodeInfo("MMM-R1", "mutation through a borrowed pointer",
             "A field is written through a `ref_` pointer, a `const` `ref_` pointer is cast to a non-const "
             "pointer, or a `ref_` value is passed to a `mut_` parameter.",
             "ref_agent->count = 0;",
             "Take the value as `mut_` if the function may change it."),
    CodeInfo("MMM-R2", "borrowed value returned as owned",
             "A function whose result is owned (by its doc, name or custody.toml) returns a `ref_`/`mut_` "
             "value or the result of a call that returns borrowed.",
             "ar_data_t *ar_x__create(const ar_data_t *ref_d) { return ref_d; }",
             "Return a copy, or document the result as borrowed."),
    CodeInfo("MMM-P3", "prefix differs between declaration and definition",
             "A parameter's ownership prefix in the `.c` definition differs from the header's declaration.",
             "// .h: void f(ar_data_t *mut_data);\nvoid f(ar_data_t *ref_data) { ... }",
             "Rename the parameter in the definition to match the header (or fix the header)."),
    CodeInfo("MMM-P4", "prefix contradicts the initialiser",
             "An `own_` variable is given the result of a call that returns borrowed (other than extraction "
             "from a container the function owns), or a `ref_`/`mut_` variable the result of one that returns "
             "owned.",
             "ar_data_t *own_v = ar_data__get_map_data(ref_map, \"k\");",
             "Rename the variable to match what the callee returns."),
    CodeInfo("MMM-H1", "raw allocator",
             "malloc/calloc/realloc/strdup/free is called outside ar_heap: AgeRun's leak tracker only sees the "
             "AR__HEAP__* macros.",
             "char *own_s = strdup(ref_text);",
             "Use AR__HEAP__MALLOC/CALLOC/REALLOC/STRDUP/FREE."),
    CodeInfo("MMM-P1", "missing ownership prefix",
             "A pointer parameter, local or field has none of the prefixes own_, mut_, ref_, out_ (a hint, on "
             "when custody.toml lists it).",
             "void f(ar_data_t *data);", "Name it own_, mut_ or ref_ according to who owns the value."),
    CodeInfo("MMM-P2", "borrowed not const",
             "A `ref_` pointer parameter is not `const` (a hint).",
             "void f(ar_data_t *ref_data);", "Declare it `const ar_data_t *ref_data`, or name it `mut_`."),
    CodeInfo("MMM-P5", "name contradicts doc",
             "A get/find function whose doc says its result is owned, or a create/copy/take function whose doc "
             "says borrowed (a hint).",
             "/** @note Ownership: Returns an owned value */ ar_data_t *ar_x__get_copy(void);",
             "Rename the function (take_/create_ for owned results) or fix its doc."),
    CodeInfo("MMM-P6", "undocumented ownership",
             "A pointer-returning function, or one with `own_` parameters, whose doc says nothing about "
             "ownership (a hint).",
             "ar_data_t *ar_x__thing(void);", "Add an `@note Ownership: ...` line to its doc comment."),
    CodeInfo("MMM-L4b", "unchecked conditional transfer",
             "The result of a consume-on-success sink is ignored, so a failure would leak the argument (a hint).",
             "ar_data__set_map_data(mut_map, \"k\", own_v);",
             "Test the result and destroy the value on failure."),
    SHARED["CUS-SYNTAX-0001"],
    SHARED["CUS-SYNTAX-0002"],
    SHARED["CUS-INPUT-0002"],
)
