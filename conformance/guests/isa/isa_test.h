/* Helpers shared by hartvm's ISA test programs (guests/isa/**).
 * Built on the fixed environment of guests/include/hartvm_test.h.
 *
 * Register conventions of the helpers: operands in a1/a2, result in a0,
 * t6 is reserved for TEST_CASE's expected value, gp holds the test number.
 */
#ifndef HARTVM_ISA_TEST_H
#define HARTVM_ISA_TEST_H

#include "hartvm_test.h"

/* rd = inst rs1, rs2 with rs1 = a, rs2 = b. */
#define T_RR(n, inst, exp, a, b) \
        TEST_CASE(n, a0, exp, li a1, a; li a2, b; inst a0, a1, a2)
/* Destination equal to the first source. */
#define T_RR_D1(n, inst, exp, a, b) \
        TEST_CASE(n, a1, exp, li a1, a; li a2, b; inst a1, a1, a2)
/* Destination equal to the second source. */
#define T_RR_D2(n, inst, exp, a, b) \
        TEST_CASE(n, a2, exp, li a1, a; li a2, b; inst a2, a1, a2)
/* Both sources the same register. */
#define T_RR_SAME(n, inst, exp, a) \
        TEST_CASE(n, a0, exp, li a1, a; inst a0, a1, a1)
/* x0 as destination: it must stay 0. */
#define T_RR_X0(n, inst, a, b) \
        TEST_CASE(n, x0, 0, li a1, a; li a2, b; inst x0, a1, a2)
/* x0 as first / second source. */
#define T_RR_ZS1(n, inst, exp, b) \
        TEST_CASE(n, a0, exp, li a2, b; inst a0, x0, a2)
#define T_RR_ZS2(n, inst, exp, a) \
        TEST_CASE(n, a0, exp, li a1, a; inst a0, a1, x0)

/* rd = inst rs1, imm with rs1 = a. */
#define T_RI(n, inst, exp, a, imm) \
        TEST_CASE(n, a0, exp, li a1, a; inst a0, a1, imm)
#define T_RI_D1(n, inst, exp, a, imm) \
        TEST_CASE(n, a1, exp, li a1, a; inst a1, a1, imm)
#define T_RI_X0(n, inst, a, imm) \
        TEST_CASE(n, x0, 0, li a1, a; inst x0, a1, imm)
#define T_RI_ZS(n, inst, exp, imm) \
        TEST_CASE(n, a0, exp, inst a0, x0, imm)

/* rd = inst rs1 (one source). */
#define T_R1(n, inst, exp, a) \
        TEST_CASE(n, a0, exp, li a1, a; inst a0, a1)
#define T_R1_D1(n, inst, exp, a) \
        TEST_CASE(n, a1, exp, li a1, a; inst a1, a1)

/* The source register must still hold its value after the operation. */
#define T_KEEP(n, reg, val) \
        TEST_CASE(n, reg, val, )

/* Zicond is unknown to binutils 2.40: encode it with .insn (OP, funct7 7). */
#define CZERO_EQZ(rd, rs1, rs2) .insn r OP, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r OP, 7, 7, rd, rs1, rs2

#endif
