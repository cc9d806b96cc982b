#ifndef AR_HEAP_H
#define AR_HEAP_H
#include <stddef.h>
#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))
#define AR__HEAP__FREE(ptr) ar_heap__free(ptr)
void *ar_heap__malloc(size_t size, const char *ref_desc);
void ar_heap__free(void *own_ptr);
#endif
