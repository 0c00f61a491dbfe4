/* Atomics, CSR access and fences for the decoder/disassembler corpus. */
#include <stdint.h>

int64_t counters(int64_t *p, int32_t *q, int64_t v) {
    int64_t r = __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
    r += __atomic_fetch_and(p, v, __ATOMIC_ACQUIRE);
    r += __atomic_fetch_or(p, v, __ATOMIC_RELEASE);
    r += __atomic_fetch_xor(p, v, __ATOMIC_RELAXED);
    r += __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
    r += __atomic_fetch_add(q, (int32_t)v, __ATOMIC_SEQ_CST);
    r += __atomic_fetch_and(q, (int32_t)v, __ATOMIC_RELAXED);
    r += __atomic_exchange_n(q, (int32_t)v, __ATOMIC_SEQ_CST);
    return r;
}

int cas(int64_t *p, int64_t *e, int64_t d, int32_t *q, int32_t f) {
    int32_t g = 0;
    return __atomic_compare_exchange_n(p, e, d, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) +
           __atomic_compare_exchange_n(q, &g, f, 1, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

int8_t small(int8_t *p, int16_t *q) {
    return __atomic_fetch_add(p, 1, __ATOMIC_SEQ_CST) + __atomic_exchange_n(q, 3, __ATOMIC_RELAXED);
}

int64_t loadstore(int64_t *p, int64_t v) {
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_ACQ_REL);
    return __atomic_load_n(p, __ATOMIC_SEQ_CST) + __atomic_load_n(p + 1, __ATOMIC_ACQUIRE);
}

uint64_t read_csrs(uint64_t v) {
    uint64_t a, b, c;
    __asm__ volatile("csrr %0, mstatus" : "=r"(a));
    __asm__ volatile("csrw mscratch, %0" ::"r"(v));
    __asm__ volatile("csrrs %0, mie, %1" : "=r"(b) : "r"(v));
    __asm__ volatile("csrrci %0, sstatus, 2" : "=r"(c));
    __asm__ volatile("csrw satp, %0\n\tsfence.vma" ::"r"(v));
    __asm__ volatile("fence.i");
    return a + b + c;
}

void trap_return(void) { __asm__ volatile("mret\n\tsret\n\twfi\n\tecall\n\tebreak"); }
