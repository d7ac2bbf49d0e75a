// Counts heap allocations by defining malloc and friends in the executable itself. The dynamic
// linker resolves every library's malloc calls (the Swift runtime's included) to these
// definitions, which count and forward to glibc's own entry points. Counting is off by default
// and costs one relaxed load per call while off, so timed runs are not skewed.

#include "CAllocationCounter.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

static atomic_bool counting;
static atomic_llong allocations;
static atomic_llong requested_bytes;
static atomic_llong net_heap_bytes;
/// The thread that started counting: only its allocations and frees count towards the net heap,
/// so that another thread freeing memory allocated earlier does not skew it.
static pthread_t counting_thread;

/// The heap a chunk occupies: its usable size and glibc's 8-byte size field.
static inline long long chunk_size(void *pointer) {
    return pointer == NULL ? 0 : (long long)(malloc_usable_size(pointer) + sizeof(size_t));
}

static inline void count(size_t size) {
    if (atomic_load_explicit(&counting, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&requested_bytes, (long long)size, memory_order_relaxed);
    }
}

static inline void *counted(void *pointer) {
    if (pointer != NULL && atomic_load_explicit(&counting, memory_order_relaxed)
        && pthread_equal(pthread_self(), counting_thread)) {
        atomic_fetch_add_explicit(&net_heap_bytes, chunk_size(pointer), memory_order_relaxed);
    }
    return pointer;
}

static inline void uncount(void *pointer) {
    if (pointer != NULL && atomic_load_explicit(&counting, memory_order_relaxed)
        && pthread_equal(pthread_self(), counting_thread)) {
        atomic_fetch_sub_explicit(&net_heap_bytes, chunk_size(pointer), memory_order_relaxed);
    }
}

void *malloc(size_t size) {
    count(size);
    return counted(__libc_malloc(size));
}

void *calloc(size_t count_, size_t size) {
    count(count_ * size);
    return counted(__libc_calloc(count_, size));
}

void *realloc(void *pointer, size_t size) {
    count(size);
    uncount(pointer);
    return counted(__libc_realloc(pointer, size));
}

void free(void *pointer) {
    uncount(pointer);
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count(size);
    return counted(__libc_memalign(alignment, size));
}

void *aligned_alloc(size_t alignment, size_t size) {
    count(size);
    return counted(__libc_memalign(alignment, size));
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    count(size);
    void *pointer = counted(__libc_memalign(alignment, size));
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

void allocation_counter_start(void) {
    atomic_store(&allocations, 0);
    atomic_store(&requested_bytes, 0);
    atomic_store(&net_heap_bytes, 0);
    counting_thread = pthread_self();
    atomic_store(&counting, 1);
}

void allocation_counter_stop(void) { atomic_store(&counting, 0); }

int64_t allocation_counter_allocations(void) { return atomic_load(&allocations); }

int64_t allocation_counter_requested_bytes(void) { return atomic_load(&requested_bytes); }

int64_t allocation_counter_net_heap_bytes(void) { return atomic_load(&net_heap_bytes); }

int64_t allocation_counter_heap_in_use(void) { return (int64_t)mallinfo2().uordblks; }

#else

void allocation_counter_start(void) {}
void allocation_counter_stop(void) {}
int64_t allocation_counter_allocations(void) { return -1; }
int64_t allocation_counter_requested_bytes(void) { return -1; }
int64_t allocation_counter_net_heap_bytes(void) { return -1; }
int64_t allocation_counter_heap_in_use(void) { return 0; }

#endif
