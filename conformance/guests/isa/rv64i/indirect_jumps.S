/* Indirect calls and jumps inside hot loops: the JIT follows a jalr to
 * where it went before and checks that it goes there again. Every way it
 * can go elsewhere must still be exact: a pointer that changes once, one
 * that alternates, a jump table, an offset and bit 0 in the address, links
 * in t0 and in a register that is no link register, a target in another
 * page, a jump back into the loop itself, and a callee rewritten while the
 * loop runs. Hand-written; each loop's count follows from its code. */
#include "../isa_test.h"
        .option norvc
#define LOOPS 200
/* Case n: LOOPS calls through s1 to `callee` (which adds 1 to a0),
 * linking in `link`. */
#define CALL_LOOP(n, link, callee)                                      \
        li a0, 0; li a5, 0; la s1, callee;                              \
2:      jalr link, 0(s1); addi a5, a5, 1; bne a5, a4, 2b;               \
        TEST_CASE(n, a0, LOOPS, )
TEST_BEGIN
        j 1f
        .balign 4096            /* callers and most callees in one page */
1:
        li a4, LOOPS

        /* One target throughout. */
        CALL_LOOP(1, ra, add_one)

        /* The pointer changes once, halfway. */
        li a0, 0
        li a5, 0
        li t2, LOOPS / 2
        la s1, add_one
2:      bne a5, t2, 3f
        la s1, add_two
3:      jalr ra, 0(s1)
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(2, a0, LOOPS / 2 * 3, )

        /* The pointer alternates between two targets. */
        li a0, 0
        li a5, 0
        la s1, add_one
        la t1, add_two
        xor t1, t1, s1
2:      jalr ra, 0(s1)
        xor s1, s1, t1
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(3, a0, LOOPS / 2 * 3, )

        /* A jump table: a jr that is no return, four targets in turn. */
        li a0, 0
        li a5, 0
        la s2, table
2:      andi t1, a5, 3
        slli t1, t1, 3
        add t1, t1, s2
        ld t1, 0(t1)
        jr t1
case_back:
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(4, a0, LOOPS / 4 * 10, )

        /* An offset in the jalr, and bit 0 set in the address. */
        li a0, 0
        li a5, 0
        la s1, add_one
        addi s3, s1, -8
        ori s4, s1, 1
2:      jalr ra, 8(s3)
        jalr ra, 0(s4)
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(5, a0, 2 * LOOPS, )

        /* Linking t0, returning through t0. */
        CALL_LOOP(6, t0, add_one_t0)

        /* Linking a6, no link register: the way back is a jump too. */
        CALL_LOOP(7, a6, add_one_a6)

        /* A callee in another page. */
        CALL_LOOP(8, ra, far_add_one)

        /* The loop's back edge is an indirect jump to its own start. */
        li a0, 0
        li a5, 0
        la s1, 2f
2:      addi a0, a0, 1
        addi a5, a5, 1
        beq a5, a4, 3f
        jr s1
3:      TEST_CASE(9, a0, LOOPS, )

        /* The callee is rewritten halfway (addi a0, a0, 1 becomes
         * addi a0, a0, 5), with fence.i: later calls run the new code. */
        li a0, 0
        li a5, 0
        li t2, LOOPS / 2
        la s1, patched
        li t3, 0x00550513       /* addi a0, a0, 5 */
2:      bne a5, t2, 3f
        sw t3, 0(s1)
        fence.i
3:      jalr ra, 0(s1)
        addi a5, a5, 1
        bne a5, a4, 2b
        TEST_CASE(10, a0, LOOPS / 2 * 6, )
        j pass

add_one:
        addi a0, a0, 1
        ret
add_two:
        addi a0, a0, 2
        ret
add_one_t0:
        addi a0, a0, 1
        jr t0
add_one_a6:
        addi a0, a0, 1
        jr a6
patched:
        addi a0, a0, 1
        ret
case0:  addi a0, a0, 1
        j case_back
case1:  addi a0, a0, 2
        j case_back
case2:  addi a0, a0, 3
        j case_back
case3:  addi a0, a0, 4
        j case_back

        .balign 4096
far_add_one:
        addi a0, a0, 1
        ret

        .section .data
        .balign 8
table:  .dword case0, case1, case2, case3
        .section .text.init, "ax", @progbits
TEST_END
