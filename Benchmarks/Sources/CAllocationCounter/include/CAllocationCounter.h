#ifndef C_ALLOCATION_COUNTER_H
#define C_ALLOCATION_COUNTER_H

#include <stddef.h>
#include <stdint.h>

/// Starts counting allocations (malloc, calloc, realloc, the aligned variants) on every thread.
void allocation_counter_start(void);
/// Stops counting; the totals stay readable.
void allocation_counter_stop(void);
/// Allocations counted since the last start.
int64_t allocation_counter_allocations(void);
/// Bytes requested by the allocations counted since the last start.
int64_t allocation_counter_requested_bytes(void);
/// Heap bytes (glibc chunk sizes, headers included) allocated minus freed since the last start, on
/// the thread that started counting.
int64_t allocation_counter_net_heap_bytes(void);
/// Bytes of heap in use right now (glibc `mallinfo2().uordblks`; 0 where unavailable).
int64_t allocation_counter_heap_in_use(void);

#endif
