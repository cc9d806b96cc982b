/*
 * MMM-P4 from the weaker summary sources: without a doc, a create-named function returns owned
 * (name verb) and a const-returning function returns borrowed (const on the return); a
 * pointer-returning function with neither a doc nor a known verb is unknown (no finding).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_widget_s ar_widget_t;

ar_widget_t* ar_widget__create(int size);
const ar_widget_t* ar_widget__current(void);
ar_widget_t* ar_widget__frobnicate(int size);
int ar_widget__size(const ar_widget_t *ref_widget);

int ar_widget__compare(int size) {
    ar_widget_t *ref_fresh = ar_widget__create(size);
//               ^^^^^^^^^ MMM-P4
    const ar_widget_t *own_current = ar_widget__current();
//                     ^^^^^^^^^^^ MMM-P4
    ar_widget_t *own_other = ar_widget__frobnicate(size);
    return ar_widget__size(ref_fresh) - ar_widget__size(own_current) + ar_widget__size(own_other);
}
