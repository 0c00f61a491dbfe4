/* A loop with a load that faults in iteration K+1, after K iterations
 * ran: the trap must see every register as those K iterations left it
 * (and the faulting iteration changed it before the load), including
 * the temporaries the loop writes before it reads them (rotation halves,
 * shifted and summed values, a copy, an address), which a translator may
 * not hold across its back edge and recompute only where an exit needs
 * them. With K = 0 they keep the values they had before the loop. The
 * loop's first instruction faults, or a later load, after some of the
 * registers those temporaries are made from were written again.
 * Each case runs the loop twice from the same registers: K iterations to
 * the end (the reference), then towards the fault, where the handler
 * saves every register. The faulting load reads the last K words of RAM,
 * so the load after them faults; RAM's end is found by probing (hartvm
 * test gives 64 MiB, QEMU 128); the other load reads `words`. No PMP
 * entry is set: M-mode code without PMP is what a translator may run
 * with RAM reached directly. */
#include "hartvm_test.h"
#include "priv.h"
        .option norvc
/* Offsets into `snap` beyond the registers (x1..x31 at 8 * n). */
#define SNAP_CAUSE 256
#define SNAP_EPC   264

/* Where the handler resumes: `label`. */
#define RESUME_AT(label) la t2, label; la t3, resume_at; sd t2, 0(t3)

/* Fails, through a jump a translator does not follow: `j fail` would
 * bring fail's own loop into the trace that holds the loop under test. */
#define FAIL_FAR la t6, fail; jr t6

/* The registers the loop starts from. */
#define INIT_REGS                                                       \
        li a1, 0x0123456789abcdef; li a2, 0x0f0e0d0c0b0a0908;           \
        li a3, 77; li a5, 0x5555;                                       \
        li t0, 0x1000; li t1, 0x1001;                                   \
        li s2, 0x1002; li s3, 0x1003; li s4, 0x1004; li s5, 0x1005;     \
        li s6, 0x1006; li s7, 0x1007; li s8, 0x1008

/* The loads' addresses: the one that faults (a0 for the first load, a6
 * for the second) starts K words before RAM's end. */
#define POINTERS(K, second)                                             \
        li a0, 8 * K; sub a0, s0, a0; la a6, words;                     \
        .if second; mv a6, a0; la a0, words; .endif

/* Case n: K iterations, then the fault in the first load, or the second
 * (tests n * 32 + register). */
#define LOOP_CASE(n, K, second)                                         \
        li TESTNUM, n;                                                  \
        INIT_REGS;                                                      \
        POINTERS(K, second);                                            \
        li a4, K;                                                       \
        .if K; call churn; .endif;                                      \
        la t2, refs;                                                    \
        .irp r, 5, 6, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24; \
        sd x\r, (8 * \r)(t2);                                           \
        .endr;                                                          \
        INIT_REGS;                                                      \
        POINTERS(K, second);                                            \
        li a4, K + 10;                                                  \
        RESUME_AT(90f);                                                 \
        call churn;                                                     \
        FAIL_FAR;                                                       \
90:     la t2, snap; la t3, refs;                                       \
        li TESTNUM, n * 32 + 1;                                         \
        ld t4, SNAP_CAUSE(t2); li t5, CAUSE_LOAD_ACCESS; bne t4, t5, fail; \
        li TESTNUM, n * 32 + 2;                                         \
        ld t4, SNAP_EPC(t2); la t5, churn;                              \
        .if second; la t5, churn_second; .endif;                        \
        bne t4, t5, fail;                                               \
        li TESTNUM, n * 32 + 14;                                        \
        ld t4, (8 * 14)(t2); li t5, 10; bne t4, t5, fail;               \
        .if second; CHANGED_BEFORE_SECOND; .endif;                      \
        .irp r, 5, 6, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24; \
        li TESTNUM, n * 32 + \r;                                        \
        ld t4, (8 * \r)(t2); ld t5, (8 * \r)(t3); bne t4, t5, fail;     \
        .endr

/* The fault in the second load comes after the iteration changed a0, a3
 * and a5, and loaded t0: the reference gets those changes (t2 = snap,
 * t3 = refs). */
#define CHANGED_BEFORE_SECOND                                           \
        ld t4, (8 * 11)(t3); sd t4, (8 * 15)(t3);                       \
        ld t4, (8 * 10)(t3); addi t4, t4, 8; sd t4, (8 * 10)(t3);       \
        ld t4, (8 * 13)(t3); addi t4, t4, 1; sd t4, (8 * 13)(t3);       \
        ld t4, (8 * 5)(t2); sd t4, (8 * 5)(t3)

TEST_BEGIN
        la t0, snapshot_trap
        csrw mtvec, t0

        /* 1: s0 = end of RAM, a power of two from 16 MiB */
        li TESTNUM, 1
        li s0, 0x81000000
        li s1, 0x80000000
        RESUME_AT(2f)
1:      ld t1, 0(s0)
        sub t1, s0, s1
        add s0, s0, t1
        li t2, 0x100000000
        bgeu s0, t2, fail
        j 1b
2:      la t2, snap
        ld t4, SNAP_CAUSE(t2)
        li t5, CAUSE_LOAD_ACCESS
        bne t4, t5, fail

        LOOP_CASE(2, 0, 0)
        LOOP_CASE(3, 1, 0)
        LOOP_CASE(4, 2, 0)
        LOOP_CASE(5, 3, 0)
        LOOP_CASE(6, 60, 0)
        LOOP_CASE(7, 0, 1)
        LOOP_CASE(8, 1, 1)
        LOOP_CASE(9, 2, 1)
        LOOP_CASE(10, 60, 1)
        j pass

/* The loop: a0 and a6 walk the words it loads, a4 counts down; a1, a2,
 * a3 carry state from one iteration to the next; a5, a7, t1 and s2..s8
 * are written before they are read in every iteration. */
        .balign 4
churn:
        ld t0, 0(a0)
        mv a5, a1
        addi a0, a0, 8
        addi a3, a3, 1
churn_second:
        ld a7, 0(a6)
        addi a6, a6, 8
        srliw s2, a1, 7
        slliw s3, a1, 25
        or s4, s2, s3
        slli s5, a2, 3
        add s6, s5, a3
        la s7, churn
        add s7, s7, a3
        srliw s8, a5, 11
        sext.w a5, a5
        xor t1, s5, a1
        addw a1, a1, t0
        xor a2, a2, s4
        addi a4, a4, -1
        bnez a4, churn
        ret
TEST_END

/* Saves x1..x31, mcause and mepc in `snap`, and resumes at `resume_at`. */
        .text
        .balign 4
snapshot_trap:
        csrw mscratch, t6
        la t6, snap
        .irp r, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
        sd x\r, (8 * \r)(t6)
        .endr
        csrr t5, mscratch
        sd t5, (8 * 31)(t6)
        csrr t5, mcause
        sd t5, SNAP_CAUSE(t6)
        csrr t5, mepc
        sd t5, SNAP_EPC(t6)
        ld t5, resume_at
        csrw mepc, t5
        mret

        .data
        .balign 8
resume_at:
        .dword 0
snap:   .space 8 * 34
refs:   .space 8 * 32
words:  .space 8 * 64
