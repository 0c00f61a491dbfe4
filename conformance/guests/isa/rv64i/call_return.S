/* Calls and returns inside hot loops: the JIT follows a call into the
 * callee and expects the return to come back after it, checking the
 * target. Every way a return can go somewhere else must still be exact:
 * a callee that moves its return address, one that sets bit 0 (jalr
 * clears it), a return address reloaded from a stack slot that was
 * overwritten, returns through t0, nesting deeper than the JIT tracks,
 * and a jalr that links while it returns (a coroutine switch).
 * Hand-written; each loop's count follows from its code. */
#include "../isa_test.h"
        .option norvc
#define LOOPS 200
TEST_BEGIN
        j 1f
        .balign 4096            /* callers and callees in one page */
1:
        /* A leaf call returning normally. */
        li a0, 0
        li a4, LOOPS
        li a5, 0
2:      jal ra, add_one
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(1, a0, LOOPS, )

        /* The callee returns one instruction later than called from. */
        li a0, 0
        li a5, 0
2:      jal ra, skip_next
        addi a0, a0, 100        /* skipped */
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(2, a0, LOOPS, )

        /* Bit 0 of the return address set: jalr clears it. */
        li a0, 0
        li a5, 0
2:      jal ra, odd_return
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(3, a0, LOOPS, )

        /* A call linking t0, returning through t0. */
        li a0, 0
        li a5, 0
2:      jal t0, add_one_t0
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(4, a0, LOOPS, )

        /* Nested: the outer callee saves ra, calls, reloads and returns. */
        li a0, 0
        li a5, 0
2:      jal ra, outer
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(5, a0, 2 * LOOPS, )

        /* The saved return address is replaced: the return goes to
         * `elsewhere`, which comes back to the loop itself. */
        li a0, 0
        li a5, 0
2:      jal ra, redirect
        addi a0, a0, 1000       /* skipped */
3:      addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(6, a0, 2 * LOOPS, )

        /* Ten levels of calls, deeper than the JIT's return stack. */
        li a0, 0
        li a5, 0
2:      jal ra, depth10
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(7, a0, 10 * LOOPS, )

        /* jalr ra, 0(ra): returns and links in one (not a plain return). */
        li a0, 0
        li a5, 0
2:      jal ra, swap
        addi a0, a0, 3          /* runs after swap's first half */
        jalr ra, 0(ra)          /* back into swap's second half */
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(8, a0, 5 * LOOPS, )
        TEST_CASE(9, sp, 0, la t5, hartvm_stack_top; sub sp, sp, t5)
        j pass

add_one:
        addi a0, a0, 1
        ret
skip_next:
        addi a0, a0, 1
        addi ra, ra, 4
        ret
odd_return:
        addi a0, a0, 1
        ori ra, ra, 1
        ret
add_one_t0:
        addi a0, a0, 1
        jr t0
outer:
        addi sp, sp, -16
        sd ra, 8(sp)
        addi a0, a0, 1
        jal ra, add_one
        ld ra, 8(sp)
        addi sp, sp, 16
        ret
redirect:
        addi sp, sp, -16
        sd ra, 8(sp)
        addi a0, a0, 1
        la t1, elsewhere
        sd t1, 8(sp)
        ld ra, 8(sp)
        addi sp, sp, 16
        ret
elsewhere:
        addi a0, a0, 1
        j 3b
swap:
        addi a0, a0, 1
        jalr ra, 0(ra)          /* to the caller, linking the next line */
        addi a0, a0, 1
        ret

#define LEVEL(name, next)       \
name:                           \
        addi sp, sp, -16;       \
        sd ra, 8(sp);           \
        addi a0, a0, 1;         \
        jal ra, next;           \
        ld ra, 8(sp);           \
        addi sp, sp, 16;        \
        ret
LEVEL(depth10, depth9)
LEVEL(depth9, depth8)
LEVEL(depth8, depth7)
LEVEL(depth7, depth6)
LEVEL(depth6, depth5)
LEVEL(depth5, depth4)
LEVEL(depth4, depth3)
LEVEL(depth3, depth2)
LEVEL(depth2, depth1)
depth1:
        addi a0, a0, 1
        ret
TEST_END
