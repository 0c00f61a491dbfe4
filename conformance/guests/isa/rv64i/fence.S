/* fence, fence.tso, pause: ordering hints that must execute as no-ops on a
 * single hart (no trap, registers and memory as program order says). */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        TEST_CASE(1, a0, 5, li a0, 5; fence)
        TEST_CASE(2, a0, 0x1234, la a1, buf; li a2, 0x1234; sd a2, 0(a1); fence w, r; ld a0, 0(a1))
        TEST_CASE(3, a0, 0x5678, la a1, buf; li a2, 0x5678; sd a2, 0(a1); fence rw, rw; ld a0, 0(a1))
        TEST_CASE(4, a0, 0x9abc, la a1, buf; li a2, 0x9abc; sd a2, 0(a1); fence.tso; ld a0, 0(a1))
        TEST_CASE(5, a0, 7, li a0, 7; fence iorw, iorw; fence i, o; fence r, w)
        /* pause (Zihintpause) = fence w, 0 */
        TEST_CASE(6, a0, 8, li a0, 8; .word 0x0100000f)
        /* fences with nonzero rd/rs1 fields are reserved-as-hints: still no-ops */
        TEST_CASE(7, a0, 9, li a0, 9; .word 0x0ff5000f)
        /* nop (addi x0, x0, 0) and other x0 hints */
        TEST_CASE(8, a0, 10, li a0, 10; nop; addi x0, x0, 5; add x0, a0, a0)
TEST_END
        .data
        .balign 8
buf:    .dword 0
