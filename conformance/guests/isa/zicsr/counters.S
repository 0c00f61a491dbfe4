/* Unprivileged counters (Zicntr) read with Zicsr: cycle, instret, time.
 * instret counts retired instructions: strictly increasing across code;
 * cycle and time never decrease; the csrrs x0 form reads without writing. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        li gp, 1
        rdinstret a0
        nop
        nop
        nop
        rdinstret a1
        bgeu a0, a1, fail
        /* 2: a loop of 1000 iterations retires at least 3000 instructions */
        li gp, 2
        li t0, 1000
        rdinstret a0
1:      addi t1, t1, 1
        addi t0, t0, -1
        bnez t0, 1b
        rdinstret a1
        sub a1, a1, a0
        li t6, 3000
        bltu a1, t6, fail
        li gp, 3
        rdcycle a0
        li t0, 100
1:      addi t0, t0, -1
        bnez t0, 1b
        rdcycle a1
        bltu a1, a0, fail
        li gp, 4
        rdtime a0
        li t0, 1000
1:      addi t0, t0, -1
        bnez t0, 1b
        rdtime a1
        bltu a1, a0, fail
        /* 5: the machine-mode aliases agree in direction */
        li gp, 5
        csrr a0, minstret
        nop
        csrr a1, minstret
        bgeu a0, a1, fail
        li gp, 6
        csrr a0, mcycle
        nop
        csrr a1, mcycle
        bltu a1, a0, fail
TEST_END
