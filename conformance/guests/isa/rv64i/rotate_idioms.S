/* Rotations as RV64GC code without Zbb spells them (srli/slli/or and
 * srliw/slliw/or), which the JIT turns into host rotations, and the
 * near-misses it must leave alone: amounts that do not sum to the width,
 * parts of different values, a value changed between the parts, mixed
 * widths. Hand-written; the expected values follow from the definitions
 * of the shifts (ISA manual) and were computed when the file was written. */
#include "../isa_test.h"
        .option norvc
TEST_BEGIN
        /* rotr32(0x123456789abcdef, 1) as srliw/slliw/or */
        li gp, 1
        li a1, 0x123456789abcdef
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffc4d5e6f7
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 2
        li a1, 0x123456789abcdef
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0xffffffffc4d5e6f7
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 1) as srli/slli/or */
        li gp, 3
        li a1, 0x123456789abcdef
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x8091a2b3c4d5e6f7
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 1) */
        li gp, 4
        li a1, 0x123456789abcdef
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0x2468acf13579bde
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 5
        li a1, 0x123456789abcdef
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0xffffffffc4d5e6f7
        bne a0, t6, fail
        /* parts of different values */
        li gp, 6
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0x44d5e6f7
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 7
        li a1, 0x123456789abcdef
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x44d5e6f7
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 8
        li a1, 0x123456789abcdef
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffc4d5e6f7
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 9
        li a1, 0x123456789abcdef
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0xc4d5e6f7c4d5e6f7
        bne a0, t6, fail
        /* rotr32(0x123456789abcdef, 7) as srliw/slliw/or */
        li gp, 10
        li a1, 0x123456789abcdef
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffdf13579b
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 11
        li a1, 0x123456789abcdef
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0xffffffffdf13579b
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 7) as srli/slli/or */
        li gp, 12
        li a1, 0x123456789abcdef
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0xde02468acf13579b
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 7) */
        li gp, 13
        li a1, 0x123456789abcdef
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0x91a2b3c4d5e6f780
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 14
        li a1, 0x123456789abcdef
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0xffffffffef13579b
        bne a0, t6, fail
        /* parts of different values */
        li gp, 15
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0xffffffffdd13579b
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 16
        li a1, 0x123456789abcdef
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffe113579b
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 17
        li a1, 0x123456789abcdef
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffdf13579b
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 18
        li a1, 0x123456789abcdef
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0xcf13579bdf13579b
        bne a0, t6, fail
        /* rotr32(0x123456789abcdef, 13) as srliw/slliw/or */
        li gp, 19
        li a1, 0x123456789abcdef
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x6f7c4d5e
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 20
        li a1, 0x123456789abcdef
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0x6f7c4d5e
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 13) as srli/slli/or */
        li gp, 21
        li a1, 0x123456789abcdef
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0x6f78091a2b3c4d5e
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 13) */
        li gp, 22
        li a1, 0x123456789abcdef
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0x68acf13579bde024
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 23
        li a1, 0x123456789abcdef
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0x37bc4d5e
        bne a0, t6, fail
        /* parts of different values */
        li gp, 24
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0x6f744d5e
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 25
        li a1, 0x123456789abcdef
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x6f844d5e
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 26
        li a1, 0x123456789abcdef
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x91a6f7c4d5e
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 27
        li a1, 0x123456789abcdef
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0x2b3c4d5e6f7c4d5e
        bne a0, t6, fail
        /* rotr32(0x123456789abcdef, 16) as srliw/slliw/or */
        li gp, 28
        li a1, 0x123456789abcdef
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffcdef89ab
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 29
        li a1, 0x123456789abcdef
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0xffffffffcdef89ab
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 16) as srli/slli/or */
        li gp, 30
        li a1, 0x123456789abcdef
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0xcdef0123456789ab
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 16) */
        li gp, 31
        li a1, 0x123456789abcdef
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0x456789abcdef0123
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 32
        li a1, 0x123456789abcdef
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0xffffffffe6f789ab
        bne a0, t6, fail
        /* parts of different values */
        li gp, 33
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0xffffffffcdee89ab
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 34
        li a1, 0x123456789abcdef
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffcdf089ab
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 35
        li a1, 0x123456789abcdef
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffcdef89ab
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 36
        li a1, 0x123456789abcdef
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0x456789abcdef89ab
        bne a0, t6, fail
        /* rotr32(0x123456789abcdef, 25) as srliw/slliw/or */
        li gp, 37
        li a1, 0x123456789abcdef
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffffd5e6f7c4
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 38
        li a1, 0x123456789abcdef
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0xffffffffd5e6f7c4
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 25) as srli/slli/or */
        li gp, 39
        li a1, 0x123456789abcdef
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0xd5e6f78091a2b3c4
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 25) */
        li gp, 40
        li a1, 0x123456789abcdef
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0xcf13579bde02468a
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 41
        li a1, 0x123456789abcdef
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0x6af37bc4
        bne a0, t6, fail
        /* parts of different values */
        li gp, 42
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0xffffffffd5e6f744
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 43
        li a1, 0x123456789abcdef
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffffd5e6f844
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 44
        li a1, 0x123456789abcdef
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffffd5e6f7c4
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 45
        li a1, 0x123456789abcdef
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0x91a2b3c4d5e6f7c4
        bne a0, t6, fail
        /* rotr32(0x123456789abcdef, 31) as srliw/slliw/or */
        li gp, 46
        li a1, 0x123456789abcdef
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x13579bdf
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 47
        li a1, 0x123456789abcdef
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0x13579bdf
        bne a0, t6, fail
        /* rotr64(0x123456789abcdef, 31) as srli/slli/or */
        li gp, 48
        li a1, 0x123456789abcdef
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0x13579bde02468acf
        bne a0, t6, fail
        /* rotl64(0x123456789abcdef, 31) */
        li gp, 49
        li a1, 0x123456789abcdef
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0xc4d5e6f78091a2b3
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 50
        li a1, 0x123456789abcdef
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0xffffffff89abcdef
        bne a0, t6, fail
        /* parts of different values */
        li gp, 51
        li a1, 0x123456789abcdef
        li a2, 0x123456789abcdee
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0x13579bdd
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 52
        li a1, 0x123456789abcdef
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x13579be1
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 53
        li a1, 0x123456789abcdef
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x13579bdf
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 54
        li a1, 0x123456789abcdef
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0x2468acf13579bdf
        bne a0, t6, fail
        /* rotr32(0x80000001, 1) as srliw/slliw/or */
        li gp, 55
        li a1, 0x80000001
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffc0000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 56
        li a1, 0x80000001
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0xffffffffc0000000
        bne a0, t6, fail
        /* rotr64(0x80000001, 1) as srli/slli/or */
        li gp, 57
        li a1, 0x80000001
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x8000000040000000
        bne a0, t6, fail
        /* rotl64(0x80000001, 1) */
        li gp, 58
        li a1, 0x80000001
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0x100000002
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 59
        li a1, 0x80000001
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 60
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 61
        li a1, 0x80000001
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 62
        li a1, 0x80000001
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffc0000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 63
        li a1, 0x80000001
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0x40000000c0000000
        bne a0, t6, fail
        /* rotr32(0x80000001, 7) as srliw/slliw/or */
        li gp, 64
        li a1, 0x80000001
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x3000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 65
        li a1, 0x80000001
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0x3000000
        bne a0, t6, fail
        /* rotr64(0x80000001, 7) as srli/slli/or */
        li gp, 66
        li a1, 0x80000001
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0x200000001000000
        bne a0, t6, fail
        /* rotl64(0x80000001, 7) */
        li gp, 67
        li a1, 0x80000001
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0x4000000080
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 68
        li a1, 0x80000001
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0x1000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 69
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0x1000000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 70
        li a1, 0x80000001
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x5000000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 71
        li a1, 0x80000001
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x3000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 72
        li a1, 0x80000001
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0x100000003000000
        bne a0, t6, fail
        /* rotr32(0x80000001, 13) as srliw/slliw/or */
        li gp, 73
        li a1, 0x80000001
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xc0000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 74
        li a1, 0x80000001
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0xc0000
        bne a0, t6, fail
        /* rotr64(0x80000001, 13) as srli/slli/or */
        li gp, 75
        li a1, 0x80000001
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0x8000000040000
        bne a0, t6, fail
        /* rotl64(0x80000001, 13) */
        li gp, 76
        li a1, 0x80000001
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0x100000002000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 77
        li a1, 0x80000001
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0x40000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 78
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0x40000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 79
        li a1, 0x80000001
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x140000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 80
        li a1, 0x80000001
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xc0000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 81
        li a1, 0x80000001
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0x40000000c0000
        bne a0, t6, fail
        /* rotr32(0x80000001, 16) as srliw/slliw/or */
        li gp, 82
        li a1, 0x80000001
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x18000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 83
        li a1, 0x80000001
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0x18000
        bne a0, t6, fail
        /* rotr64(0x80000001, 16) as srli/slli/or */
        li gp, 84
        li a1, 0x80000001
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0x1000000008000
        bne a0, t6, fail
        /* rotl64(0x80000001, 16) */
        li gp, 85
        li a1, 0x80000001
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0x800000010000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 86
        li a1, 0x80000001
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0x8000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 87
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0x8000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 88
        li a1, 0x80000001
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x28000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 89
        li a1, 0x80000001
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x18000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 90
        li a1, 0x80000001
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0x800000018000
        bne a0, t6, fail
        /* rotr32(0x80000001, 25) as srliw/slliw/or */
        li gp, 91
        li a1, 0x80000001
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xc0
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 92
        li a1, 0x80000001
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0xc0
        bne a0, t6, fail
        /* rotr64(0x80000001, 25) as srli/slli/or */
        li gp, 93
        li a1, 0x80000001
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0x8000000040
        bne a0, t6, fail
        /* rotl64(0x80000001, 25) */
        li gp, 94
        li a1, 0x80000001
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0x100000002000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 95
        li a1, 0x80000001
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0x40
        bne a0, t6, fail
        /* parts of different values */
        li gp, 96
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0x40
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 97
        li a1, 0x80000001
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x140
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 98
        li a1, 0x80000001
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xc0
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 99
        li a1, 0x80000001
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0x40000000c0
        bne a0, t6, fail
        /* rotr32(0x80000001, 31) as srliw/slliw/or */
        li gp, 100
        li a1, 0x80000001
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x3
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 101
        li a1, 0x80000001
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0x3
        bne a0, t6, fail
        /* rotr64(0x80000001, 31) as srli/slli/or */
        li gp, 102
        li a1, 0x80000001
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0x200000001
        bne a0, t6, fail
        /* rotl64(0x80000001, 31) */
        li gp, 103
        li a1, 0x80000001
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0x4000000080000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 104
        li a1, 0x80000001
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0xffffffff80000001
        bne a0, t6, fail
        /* parts of different values */
        li gp, 105
        li a1, 0x80000001
        li a2, 0x80000000
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0x1
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 106
        li a1, 0x80000001
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x5
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 107
        li a1, 0x80000001
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x3
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 108
        li a1, 0x80000001
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0x100000003
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 1) as srliw/slliw/or */
        li gp, 109
        li a1, 0xffffffff80000000
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 110
        li a1, 0xffffffff80000000
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0x40000000
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 1) as srli/slli/or */
        li gp, 111
        li a1, 0xffffffff80000000
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x7fffffffc0000000
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 1) */
        li gp, 112
        li a1, 0xffffffff80000000
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0xffffffff00000001
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 113
        li a1, 0xffffffff80000000
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 114
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0xffffffffc0000000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 115
        li a1, 0xffffffff80000000
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffc0000000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 116
        li a1, 0xffffffff80000000
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x7fffffffc0000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 117
        li a1, 0xffffffff80000000
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0xc000000040000000
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 7) as srliw/slliw/or */
        li gp, 118
        li a1, 0xffffffff80000000
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x1000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 119
        li a1, 0xffffffff80000000
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0x1000000
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 7) as srli/slli/or */
        li gp, 120
        li a1, 0xffffffff80000000
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0x1ffffffff000000
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 7) */
        li gp, 121
        li a1, 0xffffffff80000000
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0xffffffc00000007f
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 122
        li a1, 0xffffffff80000000
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0x1000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 123
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0x3000000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 124
        li a1, 0xffffffff80000000
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x3000000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 125
        li a1, 0xffffffff80000000
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x1ffffffff000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 126
        li a1, 0xffffffff80000000
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0xff00000001000000
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 13) as srliw/slliw/or */
        li gp, 127
        li a1, 0xffffffff80000000
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x40000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 128
        li a1, 0xffffffff80000000
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0x40000
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 13) as srli/slli/or */
        li gp, 129
        li a1, 0xffffffff80000000
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0x7fffffffc0000
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 13) */
        li gp, 130
        li a1, 0xffffffff80000000
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0xfffff00000001fff
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 131
        li a1, 0xffffffff80000000
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0x40000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 132
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0xc0000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 133
        li a1, 0xffffffff80000000
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xc0000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 134
        li a1, 0xffffffff80000000
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x7fffffffc0000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 135
        li a1, 0xffffffff80000000
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffc000000040000
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 16) as srliw/slliw/or */
        li gp, 136
        li a1, 0xffffffff80000000
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x8000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 137
        li a1, 0xffffffff80000000
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0x8000
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 16) as srli/slli/or */
        li gp, 138
        li a1, 0xffffffff80000000
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0xffffffff8000
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 16) */
        li gp, 139
        li a1, 0xffffffff80000000
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0xffff80000000ffff
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 140
        li a1, 0xffffffff80000000
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0x8000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 141
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0x18000
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 142
        li a1, 0xffffffff80000000
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x18000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 143
        li a1, 0xffffffff80000000
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffff8000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 144
        li a1, 0xffffffff80000000
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0xffff800000008000
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 25) as srliw/slliw/or */
        li gp, 145
        li a1, 0xffffffff80000000
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x40
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 146
        li a1, 0xffffffff80000000
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0x40
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 25) as srli/slli/or */
        li gp, 147
        li a1, 0xffffffff80000000
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0x7fffffffc0
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 25) */
        li gp, 148
        li a1, 0xffffffff80000000
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0xff00000001ffffff
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 149
        li a1, 0xffffffff80000000
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0x40
        bne a0, t6, fail
        /* parts of different values */
        li gp, 150
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0xc0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 151
        li a1, 0xffffffff80000000
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xc0
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 152
        li a1, 0xffffffff80000000
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x7fffffffc0
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 153
        li a1, 0xffffffff80000000
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffc000000040
        bne a0, t6, fail
        /* rotr32(0xffffffff80000000, 31) as srliw/slliw/or */
        li gp, 154
        li a1, 0xffffffff80000000
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x1
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 155
        li a1, 0xffffffff80000000
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0x1
        bne a0, t6, fail
        /* rotr64(0xffffffff80000000, 31) as srli/slli/or */
        li gp, 156
        li a1, 0xffffffff80000000
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0x1ffffffff
        bne a0, t6, fail
        /* rotl64(0xffffffff80000000, 31) */
        li gp, 157
        li a1, 0xffffffff80000000
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0xc00000007fffffff
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 158
        li a1, 0xffffffff80000000
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0xffffffff80000001
        bne a0, t6, fail
        /* parts of different values */
        li gp, 159
        li a1, 0xffffffff80000000
        li a2, 0xffffffff80000001
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0x3
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 160
        li a1, 0xffffffff80000000
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x3
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 161
        li a1, 0xffffffff80000000
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x1ffffffff
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 162
        li a1, 0xffffffff80000000
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0xffffffff00000001
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 1) as srliw/slliw/or */
        li gp, 163
        li a1, 0x7fffffff
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffbfffffff
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 164
        li a1, 0x7fffffff
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0xffffffffbfffffff
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 1) as srli/slli/or */
        li gp, 165
        li a1, 0x7fffffff
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x800000003fffffff
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 1) */
        li gp, 166
        li a1, 0x7fffffff
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0xfffffffe
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 167
        li a1, 0x7fffffff
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0xffffffffffffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 168
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0x3fffffff
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 169
        li a1, 0x7fffffff
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x3fffffff
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 170
        li a1, 0x7fffffff
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffbfffffff
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 171
        li a1, 0x7fffffff
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0x3fffffffbfffffff
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 7) as srliw/slliw/or */
        li gp, 172
        li a1, 0x7fffffff
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xfffffffffeffffff
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 173
        li a1, 0x7fffffff
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0xfffffffffeffffff
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 7) as srli/slli/or */
        li gp, 174
        li a1, 0x7fffffff
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0xfe00000000ffffff
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 7) */
        li gp, 175
        li a1, 0x7fffffff
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0x3fffffff80
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 176
        li a1, 0x7fffffff
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0xffffffffffffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 177
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0xfffffffffcffffff
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 178
        li a1, 0x7fffffff
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffff
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 179
        li a1, 0x7fffffff
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xfffffffffeffffff
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 180
        li a1, 0x7fffffff
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0xfffffffeffffff
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 13) as srliw/slliw/or */
        li gp, 181
        li a1, 0x7fffffff
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffffffffffbffff
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 182
        li a1, 0x7fffffff
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0xfffffffffffbffff
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 13) as srli/slli/or */
        li gp, 183
        li a1, 0x7fffffff
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0xfff800000003ffff
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 13) */
        li gp, 184
        li a1, 0x7fffffff
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0xfffffffe000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 185
        li a1, 0x7fffffff
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0xffffffffffffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 186
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0xfffffffffff3ffff
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 187
        li a1, 0x7fffffff
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x3ffff
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 188
        li a1, 0x7fffffff
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffffffffffbffff
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 189
        li a1, 0x7fffffff
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0x3fffffffbffff
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 16) as srliw/slliw/or */
        li gp, 190
        li a1, 0x7fffffff
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffffff7fff
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 191
        li a1, 0x7fffffff
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0xffffffffffff7fff
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 16) as srli/slli/or */
        li gp, 192
        li a1, 0x7fffffff
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0xffff000000007fff
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 16) */
        li gp, 193
        li a1, 0x7fffffff
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0x7fffffff0000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 194
        li a1, 0x7fffffff
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0xffffffffffffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 195
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0xfffffffffffe7fff
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 196
        li a1, 0x7fffffff
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x7fff
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 197
        li a1, 0x7fffffff
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffffff7fff
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 198
        li a1, 0x7fffffff
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0x7fffffff7fff
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 25) as srliw/slliw/or */
        li gp, 199
        li a1, 0x7fffffff
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffffffffffbf
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 200
        li a1, 0x7fffffff
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0xffffffffffffffbf
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 25) as srli/slli/or */
        li gp, 201
        li a1, 0x7fffffff
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0xffffff800000003f
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 25) */
        li gp, 202
        li a1, 0x7fffffff
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0xfffffffe000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 203
        li a1, 0x7fffffff
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0xffffffffffffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 204
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0xffffffffffffff3f
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 205
        li a1, 0x7fffffff
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x3f
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 206
        li a1, 0x7fffffff
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0xffffffffffffffbf
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 207
        li a1, 0x7fffffff
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0x3fffffffbf
        bne a0, t6, fail
        /* rotr32(0x7fffffff, 31) as srliw/slliw/or */
        li gp, 208
        li a1, 0x7fffffff
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0xfffffffffffffffe
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 209
        li a1, 0x7fffffff
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0xfffffffffffffffe
        bne a0, t6, fail
        /* rotr64(0x7fffffff, 31) as srli/slli/or */
        li gp, 210
        li a1, 0x7fffffff
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0xfffffffe00000000
        bne a0, t6, fail
        /* rotl64(0x7fffffff, 31) */
        li gp, 211
        li a1, 0x7fffffff
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0x3fffffff80000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 212
        li a1, 0x7fffffff
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0x7fffffff
        bne a0, t6, fail
        /* parts of different values */
        li gp, 213
        li a1, 0x7fffffff
        li a2, 0x7ffffffe
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0xfffffffffffffffc
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 214
        li a1, 0x7fffffff
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 215
        li a1, 0x7fffffff
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0xfffffffffffffffe
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 216
        li a1, 0x7fffffff
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0xfffffffe
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 1) as srliw/slliw/or */
        li gp, 217
        li a1, 0xdeadbeef
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffef56df77
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 218
        li a1, 0xdeadbeef
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0xffffffffef56df77
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 1) as srli/slli/or */
        li gp, 219
        li a1, 0xdeadbeef
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x800000006f56df77
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 1) */
        li gp, 220
        li a1, 0xdeadbeef
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0x1bd5b7dde
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 221
        li a1, 0xdeadbeef
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0xffffffffef56df77
        bne a0, t6, fail
        /* parts of different values */
        li gp, 222
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0x6f56df77
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 223
        li a1, 0xdeadbeef
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x6f56df77
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 224
        li a1, 0xdeadbeef
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffffef56df77
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 225
        li a1, 0xdeadbeef
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0x6f56df77ef56df77
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 7) as srliw/slliw/or */
        li gp, 226
        li a1, 0xdeadbeef
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffdfbd5b7d
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 227
        li a1, 0xdeadbeef
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0xffffffffdfbd5b7d
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 7) as srli/slli/or */
        li gp, 228
        li a1, 0xdeadbeef
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0xde00000001bd5b7d
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 7) */
        li gp, 229
        li a1, 0xdeadbeef
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0x6f56df7780
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 230
        li a1, 0xdeadbeef
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0xffffffffefbd5b7d
        bne a0, t6, fail
        /* parts of different values */
        li gp, 231
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0xffffffffddbd5b7d
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 232
        li a1, 0xdeadbeef
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffe1bd5b7d
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 233
        li a1, 0xdeadbeef
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0xffffffffdfbd5b7d
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 234
        li a1, 0xdeadbeef
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0x1bd5b7ddfbd5b7d
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 13) as srliw/slliw/or */
        li gp, 235
        li a1, 0xdeadbeef
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffffffff77ef56d
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 236
        li a1, 0xdeadbeef
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0xfffffffff77ef56d
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 13) as srli/slli/or */
        li gp, 237
        li a1, 0xdeadbeef
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0xf77800000006f56d
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 13) */
        li gp, 238
        li a1, 0xdeadbeef
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0x1bd5b7dde000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 239
        li a1, 0xdeadbeef
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0xfffffffffbbef56d
        bne a0, t6, fail
        /* parts of different values */
        li gp, 240
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0xfffffffff776f56d
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 241
        li a1, 0xdeadbeef
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffffffff786f56d
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 242
        li a1, 0xdeadbeef
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0xfffffffff77ef56d
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 243
        li a1, 0xdeadbeef
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0x6f56df77ef56d
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 16) as srliw/slliw/or */
        li gp, 244
        li a1, 0xdeadbeef
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffbeefdead
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 245
        li a1, 0xdeadbeef
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0xffffffffbeefdead
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 16) as srli/slli/or */
        li gp, 246
        li a1, 0xdeadbeef
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0xbeef00000000dead
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 16) */
        li gp, 247
        li a1, 0xdeadbeef
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0xdeadbeef0000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 248
        li a1, 0xdeadbeef
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0xffffffffdf77dead
        bne a0, t6, fail
        /* parts of different values */
        li gp, 249
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0xffffffffbeeedead
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 250
        li a1, 0xdeadbeef
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffbef0dead
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 251
        li a1, 0xdeadbeef
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0xffffffffbeefdead
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 252
        li a1, 0xdeadbeef
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0xdeadbeefdead
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 25) as srliw/slliw/or */
        li gp, 253
        li a1, 0xdeadbeef
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x56df77ef
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 254
        li a1, 0xdeadbeef
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0x56df77ef
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 25) as srli/slli/or */
        li gp, 255
        li a1, 0xdeadbeef
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0x56df77800000006f
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 25) */
        li gp, 256
        li a1, 0xdeadbeef
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0x1bd5b7dde000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 257
        li a1, 0xdeadbeef
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0xffffffffab6fbbef
        bne a0, t6, fail
        /* parts of different values */
        li gp, 258
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0x56df776f
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 259
        li a1, 0xdeadbeef
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x56df786f
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 260
        li a1, 0xdeadbeef
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x56df77ef
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 261
        li a1, 0xdeadbeef
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0x6f56df77ef
        bne a0, t6, fail
        /* rotr32(0xdeadbeef, 31) as srliw/slliw/or */
        li gp, 262
        li a1, 0xdeadbeef
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0xffffffffbd5b7ddf
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 263
        li a1, 0xdeadbeef
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0xffffffffbd5b7ddf
        bne a0, t6, fail
        /* rotr64(0xdeadbeef, 31) as srli/slli/or */
        li gp, 264
        li a1, 0xdeadbeef
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0xbd5b7dde00000001
        bne a0, t6, fail
        /* rotl64(0xdeadbeef, 31) */
        li gp, 265
        li a1, 0xdeadbeef
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0x6f56df7780000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 266
        li a1, 0xdeadbeef
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0xffffffffdeadbeef
        bne a0, t6, fail
        /* parts of different values */
        li gp, 267
        li a1, 0xdeadbeef
        li a2, 0xdeadbeee
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0xffffffffbd5b7ddd
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 268
        li a1, 0xdeadbeef
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0xffffffffbd5b7de1
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 269
        li a1, 0xdeadbeef
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0xffffffffbd5b7ddf
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 270
        li a1, 0xdeadbeef
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0x1bd5b7ddf
        bne a0, t6, fail
        /* rotr32(0x1, 1) as srliw/slliw/or */
        li gp, 271
        li a1, 0x1
        srliw t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffff80000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 272
        li a1, 0x1
        slliw t1, a1, 31
        srliw t0, a1, 1
        or a0, t1, t0
        li t6, 0xffffffff80000000
        bne a0, t6, fail
        /* rotr64(0x1, 1) as srli/slli/or */
        li gp, 273
        li a1, 0x1
        srli t0, a1, 1
        slli t1, a1, 63
        or a0, t0, t1
        li t6, 0x8000000000000000
        bne a0, t6, fail
        /* rotl64(0x1, 1) */
        li gp, 274
        li a1, 0x1
        srli t0, a1, 63
        slli t1, a1, 1
        or a0, t1, t0
        li t6, 0x2
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 275
        li a1, 0x1
        srliw t0, a1, 1
        slliw t1, a1, 30
        or a0, t0, t1
        li t6, 0x40000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 276
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 1
        slliw t1, a2, 31
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 277
        li a1, 0x1
        srliw t0, a1, 1
        addi a1, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 278
        li a1, 0x1
        srli t0, a1, 1
        slliw t1, a1, 31
        or a0, t0, t1
        li t6, 0xffffffff80000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 279
        li a1, 0x1
        srliw t0, a1, 1
        slli t1, a1, 31
        or a0, t0, t1
        li t6, 0x80000000
        bne a0, t6, fail
        /* rotr32(0x1, 7) as srliw/slliw/or */
        li gp, 280
        li a1, 0x1
        srliw t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x2000000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 281
        li a1, 0x1
        slliw t1, a1, 25
        srliw t0, a1, 7
        or a0, t1, t0
        li t6, 0x2000000
        bne a0, t6, fail
        /* rotr64(0x1, 7) as srli/slli/or */
        li gp, 282
        li a1, 0x1
        srli t0, a1, 7
        slli t1, a1, 57
        or a0, t0, t1
        li t6, 0x200000000000000
        bne a0, t6, fail
        /* rotl64(0x1, 7) */
        li gp, 283
        li a1, 0x1
        srli t0, a1, 57
        slli t1, a1, 7
        or a0, t1, t0
        li t6, 0x80
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 284
        li a1, 0x1
        srliw t0, a1, 7
        slliw t1, a1, 24
        or a0, t0, t1
        li t6, 0x1000000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 285
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 7
        slliw t1, a2, 25
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 286
        li a1, 0x1
        srliw t0, a1, 7
        addi a1, a1, 1
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x4000000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 287
        li a1, 0x1
        srli t0, a1, 7
        slliw t1, a1, 25
        or a0, t0, t1
        li t6, 0x2000000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 288
        li a1, 0x1
        srliw t0, a1, 7
        slli t1, a1, 25
        or a0, t0, t1
        li t6, 0x2000000
        bne a0, t6, fail
        /* rotr32(0x1, 13) as srliw/slliw/or */
        li gp, 289
        li a1, 0x1
        srliw t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x80000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 290
        li a1, 0x1
        slliw t1, a1, 19
        srliw t0, a1, 13
        or a0, t1, t0
        li t6, 0x80000
        bne a0, t6, fail
        /* rotr64(0x1, 13) as srli/slli/or */
        li gp, 291
        li a1, 0x1
        srli t0, a1, 13
        slli t1, a1, 51
        or a0, t0, t1
        li t6, 0x8000000000000
        bne a0, t6, fail
        /* rotl64(0x1, 13) */
        li gp, 292
        li a1, 0x1
        srli t0, a1, 51
        slli t1, a1, 13
        or a0, t1, t0
        li t6, 0x2000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 293
        li a1, 0x1
        srliw t0, a1, 13
        slliw t1, a1, 18
        or a0, t0, t1
        li t6, 0x40000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 294
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 13
        slliw t1, a2, 19
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 295
        li a1, 0x1
        srliw t0, a1, 13
        addi a1, a1, 1
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x100000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 296
        li a1, 0x1
        srli t0, a1, 13
        slliw t1, a1, 19
        or a0, t0, t1
        li t6, 0x80000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 297
        li a1, 0x1
        srliw t0, a1, 13
        slli t1, a1, 19
        or a0, t0, t1
        li t6, 0x80000
        bne a0, t6, fail
        /* rotr32(0x1, 16) as srliw/slliw/or */
        li gp, 298
        li a1, 0x1
        srliw t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x10000
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 299
        li a1, 0x1
        slliw t1, a1, 16
        srliw t0, a1, 16
        or a0, t1, t0
        li t6, 0x10000
        bne a0, t6, fail
        /* rotr64(0x1, 16) as srli/slli/or */
        li gp, 300
        li a1, 0x1
        srli t0, a1, 16
        slli t1, a1, 48
        or a0, t0, t1
        li t6, 0x1000000000000
        bne a0, t6, fail
        /* rotl64(0x1, 16) */
        li gp, 301
        li a1, 0x1
        srli t0, a1, 48
        slli t1, a1, 16
        or a0, t1, t0
        li t6, 0x10000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 302
        li a1, 0x1
        srliw t0, a1, 16
        slliw t1, a1, 15
        or a0, t0, t1
        li t6, 0x8000
        bne a0, t6, fail
        /* parts of different values */
        li gp, 303
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 16
        slliw t1, a2, 16
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 304
        li a1, 0x1
        srliw t0, a1, 16
        addi a1, a1, 1
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x20000
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 305
        li a1, 0x1
        srli t0, a1, 16
        slliw t1, a1, 16
        or a0, t0, t1
        li t6, 0x10000
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 306
        li a1, 0x1
        srliw t0, a1, 16
        slli t1, a1, 16
        or a0, t0, t1
        li t6, 0x10000
        bne a0, t6, fail
        /* rotr32(0x1, 25) as srliw/slliw/or */
        li gp, 307
        li a1, 0x1
        srliw t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x80
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 308
        li a1, 0x1
        slliw t1, a1, 7
        srliw t0, a1, 25
        or a0, t1, t0
        li t6, 0x80
        bne a0, t6, fail
        /* rotr64(0x1, 25) as srli/slli/or */
        li gp, 309
        li a1, 0x1
        srli t0, a1, 25
        slli t1, a1, 39
        or a0, t0, t1
        li t6, 0x8000000000
        bne a0, t6, fail
        /* rotl64(0x1, 25) */
        li gp, 310
        li a1, 0x1
        srli t0, a1, 39
        slli t1, a1, 25
        or a0, t1, t0
        li t6, 0x2000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 311
        li a1, 0x1
        srliw t0, a1, 25
        slliw t1, a1, 6
        or a0, t0, t1
        li t6, 0x40
        bne a0, t6, fail
        /* parts of different values */
        li gp, 312
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 25
        slliw t1, a2, 7
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 313
        li a1, 0x1
        srliw t0, a1, 25
        addi a1, a1, 1
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x100
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 314
        li a1, 0x1
        srli t0, a1, 25
        slliw t1, a1, 7
        or a0, t0, t1
        li t6, 0x80
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 315
        li a1, 0x1
        srliw t0, a1, 25
        slli t1, a1, 7
        or a0, t0, t1
        li t6, 0x80
        bne a0, t6, fail
        /* rotr32(0x1, 31) as srliw/slliw/or */
        li gp, 316
        li a1, 0x1
        srliw t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x2
        bne a0, t6, fail
        /* the same, parts in the other order */
        li gp, 317
        li a1, 0x1
        slliw t1, a1, 1
        srliw t0, a1, 31
        or a0, t1, t0
        li t6, 0x2
        bne a0, t6, fail
        /* rotr64(0x1, 31) as srli/slli/or */
        li gp, 318
        li a1, 0x1
        srli t0, a1, 31
        slli t1, a1, 33
        or a0, t0, t1
        li t6, 0x200000000
        bne a0, t6, fail
        /* rotl64(0x1, 31) */
        li gp, 319
        li a1, 0x1
        srli t0, a1, 33
        slli t1, a1, 31
        or a0, t1, t0
        li t6, 0x80000000
        bne a0, t6, fail
        /* amounts summing to 31: not a rotation */
        li gp, 320
        li a1, 0x1
        srliw t0, a1, 31
        slliw t1, a1, 0
        or a0, t0, t1
        li t6, 0x1
        bne a0, t6, fail
        /* parts of different values */
        li gp, 321
        li a1, 0x1
        li a2, 0x0
        srliw t0, a1, 31
        slliw t1, a2, 1
        or a0, t0, t1
        li t6, 0x0
        bne a0, t6, fail
        /* the value changes between the parts */
        li gp, 322
        li a1, 0x1
        srliw t0, a1, 31
        addi a1, a1, 1
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x4
        bne a0, t6, fail
        /* a 64-bit right part with a 32-bit left part */
        li gp, 323
        li a1, 0x1
        srli t0, a1, 31
        slliw t1, a1, 1
        or a0, t0, t1
        li t6, 0x2
        bne a0, t6, fail
        /* a 32-bit right part with a 64-bit left part */
        li gp, 324
        li a1, 0x1
        srliw t0, a1, 31
        slli t1, a1, 1
        or a0, t0, t1
        li t6, 0x2
        bne a0, t6, fail
        /* a rotate-xor-add hash over 300 rounds, in a loop hot enough to compile */
        li gp, 325
        li a1, 0x6a09e667
        li a3, 0
        li a4, 300
1:      srliw t0, a1, 7
        slliw t1, a1, 25
        or t2, t0, t1
        add t3, a1, a3
        xor t2, t2, t3
        sext.w a1, t2
        srli t0, a1, 17
        slli t1, a1, 47
        or t2, t0, t1
        add a1, t2, a3
        addi a3, a3, 1
        bne a3, a4, 1b
        mv a0, a1
        li t6, 0x1580800000002b2b
        bne a0, t6, fail
TEST_END
