/* lr.w/lr.d, sc.w/sc.d on a single hart: success writes 0 and stores, failure
 * writes nonzero and does not store; an SC without a reservation fails; a
 * second SC after one SC fails; lr.w sign-extends; sc.w stores 32 bits. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        la s0, buf
        la s1, other

        /* 1: no LR yet: sc.d must fail and leave memory alone */
        li gp, 1
        li a2, 0x1111
        sc.d a0, a2, (s0)
        beqz a0, fail
        ld a3, 0(s0)
        li t6, 0x0123456789abcdef
        bne a3, t6, fail
        /* 2: no LR yet: sc.w fails too */
        li gp, 2
        sc.w a0, a2, (s0)
        beqz a0, fail
        ld a3, 0(s0)
        bne a3, t6, fail

        /* 3: lr.d returns the value, sc.d succeeds (0) and stores */
        li gp, 3
        lr.d a1, (s0)
        li t6, 0x0123456789abcdef
        bne a1, t6, fail
        li a2, 0xfedcba9876543210
        sc.d a0, a2, (s0)
        bnez a0, fail
        ld a3, 0(s0)
        bne a3, a2, fail

        /* 4: a second SC without a new LR fails */
        li gp, 4
        li a2, 0x42
        sc.d a0, a2, (s0)
        beqz a0, fail
        ld a3, 0(s0)
        li t6, 0xfedcba9876543210
        bne a3, t6, fail

        /* 5: lr.w sign-extends; sc.w writes only the addressed word */
        li gp, 5
        li t0, 0x7fffffff80000000
        sd t0, 0(s0)
        lr.w a1, (s0)
        li t6, 0xffffffff80000000
        bne a1, t6, fail
        li a2, 0xdeadbeef00001234
        sc.w a0, a2, (s0)
        bnez a0, fail
        ld a3, 0(s0)
        li t6, 0x7fffffff00001234
        bne a3, t6, fail

        /* 6: lr.w / sc.w on the upper word of a doubleword */
        li gp, 6
        addi s2, s0, 4
        lr.w a1, (s2)
        li t6, 0x7fffffff
        bne a1, t6, fail
        li a2, 0x87654321
        sc.w a0, a2, (s2)
        bnez a0, fail
        ld a3, 0(s0)
        li t6, 0x8765432100001234
        bne a3, t6, fail
        lw a4, 4(s0)
        li t6, 0xffffffff87654321
        bne a4, t6, fail

        /* 7: second sc.w fails */
        li gp, 7
        sc.w a0, x0, (s2)
        beqz a0, fail
        ld a3, 0(s0)
        li t6, 0x8765432100001234
        bne a3, t6, fail

        /* 8: LR, then a store to another address (another page), then SC:
         * the SC may succeed or fail, but it must be consistent */
        li gp, 8
        li t0, 100
        sd t0, 0(s0)
        lr.d a1, (s0)
        li t0, 0x77
        sd t0, 0(s1)
        li a2, 200
        sc.d a0, a2, (s0)
        ld a3, 0(s0)
        li t6, 200
        beqz a0, 1f
        li t6, 100
1:      bne a3, t6, fail
        ld a4, 0(s1)
        li t6, 0x77
        bne a4, t6, fail

        /* 9: LR on one address, SC on another (different page): if the SC
         * claims success the store must have happened, otherwise not */
        li gp, 9
        sd x0, 0(s1)
        lr.d a1, (s0)
        li a2, 300
        sc.d a0, a2, (s1)
        ld a3, 0(s1)
        li t6, 300
        beqz a0, 1f
        li t6, 0
1:      bne a3, t6, fail
        /* and a later SC (no new LR) fails */
        li gp, 10
        sc.d a0, a2, (s0)
        beqz a0, fail

        /* 11: rd = x0: a successful sc.d still stores */
        li gp, 11
        sd x0, 0(s0)
        lr.d a1, (s0)
        li a2, 0x5a5a
        sc.d x0, a2, (s0)
        ld a3, 0(s0)
        bne a3, a2, fail
        bnez x0, fail

        /* 12: ordering-annotated forms */
        li gp, 12
        lr.d.aq a1, (s0)
        li a2, 0x6b6b
        sc.d.rl a0, a2, (s0)
        bnez a0, fail
        lr.w.aqrl a1, (s0)
        li t6, 0x6b6b
        bne a1, t6, fail
        li a2, 0x7c7c
        sc.w.aqrl a0, a2, (s0)
        bnez a0, fail
        ld a3, 0(s0)
        bne a3, a2, fail

        /* 13: atomic increment loop built from LR/SC (retries until success) */
        li gp, 13
        sd x0, 0(s0)
        li s3, 0
        li s4, 500
2:      lr.d a1, (s0)
        addi a1, a1, 3
        sc.d a0, a1, (s0)
        bnez a0, 2b
        addi s3, s3, 1
        blt s3, s4, 2b
        ld a3, 0(s0)
        li t6, 1500
        bne a3, t6, fail

        /* 14: lr.d with rd = rs1 */
        li gp, 14
        li t0, 0x31
        sd t0, 0(s0)
        mv a5, s0
        lr.d a5, (a5)
        li t6, 0x31
        bne a5, t6, fail
        li a2, 0x32
        sc.d a0, a2, (s0)
        ld a3, 0(s0)
        li t6, 0x32
        beqz a0, 1f
        li t6, 0x31
1:      bne a3, t6, fail

        /* 15: an AMO between LR and SC on the reserved address by this hart:
         * the SC outcome must again be consistent with memory */
        li gp, 15
        sd x0, 0(s0)
        lr.d a1, (s0)
        li t0, 5
        amoadd.d x0, t0, (s0)
        li a2, 9
        sc.d a0, a2, (s0)
        ld a3, 0(s0)
        li t6, 9
        beqz a0, 1f
        li t6, 5
1:      bne a3, t6, fail
TEST_END
        .data
        .balign 64
buf:    .dword 0x0123456789abcdef, 0
        .balign 4096
other:  .dword 0
