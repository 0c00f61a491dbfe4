/* pause (Zihintpause: FENCE with pred = W, succ = 0): a hint with no
 * architectural effect. Run in a loop hot enough to be compiled, with
 * values live in registers across it (the JIT calls out for it, so the
 * runtime can give the host core away on an overcommitted host); every
 * register must keep its value and the loop must count exactly. */
#include "../isa_test.h"
        .option norvc
#define PAUSE .4byte 0x0100000f
TEST_BEGIN
        li s0, 0x0123456789abcdef
        li s1, -7
        li a5, 0
        li a4, 300
1:      PAUSE
        addi a5, a5, 1
        PAUSE
        bne a5, a4, 1b
        TEST_CASE(1, a5, 300, )
        TEST_CASE(2, s0, 0x0123456789abcdef, )
        TEST_CASE(3, s1, -7, )
        /* back to back, and as the last instruction before a branch target */
        TEST_CASE(4, a0, 42, li a0, 42; PAUSE; PAUSE; PAUSE)
TEST_END
