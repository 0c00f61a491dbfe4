/* jal: link = pc + 4, forward/backward/far targets, any link register, x0. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* 1: forward, link in ra */
        li gp, 1
        jal ra, 1f
2:      j fail
1:      la t0, 2b
        bne ra, t0, fail

        /* 2: backward target, link in t1 */
        li gp, 2
        j 3f
4:      la t0, 5f
        bne t1, t0, fail
        j 6f
3:      jal t1, 4b
5:      j fail
6:

        /* 3: j (rd = x0) jumps and leaves x0 zero */
        li gp, 3
        jal x0, 1f
        j fail
1:      bnez x0, fail

        /* 4: the instructions between jal and its target are skipped */
        TEST_CASE(4, a0, 3, li a0, 0; jal a5, 1f; addi a0, a0, 1; addi a0, a0, 2; 1: addi a0, a0, 3)

        /* 5: far forward (about 256 KiB) and back */
        li gp, 5
        jal s1, far_target
far_return:
        li gp, 6
        la t0, far_return
        bne s1, t0, fail
        la t0, far_back_ok
        bne s2, t0, fail

        /* 7: link register equal to a register used by the target code */
        li gp, 7
        li a0, 0
        jal a0, 1f
2:      j fail
1:      la t0, 2b
        bne a0, t0, fail

        /* 8: call/return through a chain of jal + jalr ret */
        TEST_CASE(8, a0, 21, li a0, 1; jal ra, times3; jal ra, times3; addi a0, a0, 12)
        j pass_all

times3: slli t0, a0, 1
        add a0, a0, t0
        ret

        .skip 0x40000
far_target:
        jal s2, far_back
far_back_ok:
        j fail
        .skip 0x100
far_back:
        jal x0, far_return
pass_all:
TEST_END
