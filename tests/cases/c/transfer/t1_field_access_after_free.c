/*
 * MMM-T1: a field access (dereference) after AR__HEAP__FREE.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Allocates tracked heap memory.
 * @note Ownership: Returns newly allocated memory that the caller must free.
 */
void* ar_heap__malloc(size_t size, const char *ref_description);

/**
 * Resizes tracked heap memory.
 * @note Ownership: Takes ownership of own_ptr; returns newly allocated memory that the caller must free.
 */
void* ar_heap__realloc(void *own_ptr, size_t size, const char *ref_description);

/**
 * Frees tracked heap memory (does nothing when given NULL).
 * @note Ownership: Takes ownership of own_ptr and frees it.
 */
void ar_heap__free(void *own_ptr);

#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))
#define AR__HEAP__REALLOC(ptr, size, desc) ar_heap__realloc((ptr), (size), (desc))
#define AR__HEAP__FREE(ptr) ar_heap__free(ptr)

typedef struct ar_point_s {
    int x;
    int y;
} ar_point_t;

int ar_point__sum_and_free(int x, int y) {
    ar_point_t *own_point = AR__HEAP__MALLOC(sizeof(ar_point_t), "point");
    if (!own_point) {
        return 0;
    }
    own_point->x = x;
    own_point->y = y;
    AR__HEAP__FREE(own_point);
    return own_point->x + y;
//         ^^^^^^^^^ MMM-T1
}
