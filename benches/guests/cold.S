/* The `cold` workload: prints "cold: start" on the UART, runs about a
 * million instructions of generated straight-line code once (no loops, no
 * branches: every instruction is new to the emulator), prints "cold: done"
 * and returns 0 to crt0.S if the result matches the EXPECTED checksum, 1 if
 * not. It measures how long a translator takes to get through a large
 * program it has never seen, not steady-state speed.
 *
 * benches/build/cold.rs generates the two included files and computes
 * EXPECTED by modelling the generated code:
 *   cold_data.inc  the 4 KiB buffer's initial contents
 *   cold_body.inc  sets the 29 working registers (all but zero, sp and s0),
 *                  then the straight-line code, which loads and stores
 *                  only through s0 = cold_buf + 2048
 * The checksum folds the working registers (x1, x3-x7, x9-x31, in that
 * order), then the buffer's 512 double words, each as
 * h = (h ^ v) * 0x100000001b3, starting from h = 0. */

#define UART_THR 0x10000000
#define SAVED 15                /* ra, gp, tp, s0-s11 */
#define SPILL (SAVED * 8 + 8)   /* offset of the working registers' spill area */
#define FRAME (SPILL + 29 * 8 + 8)

        .text
        .globl main
main:
        /* The generated code overwrites every register but sp: keep the
         * callee-saved ones (and gp, tp) for crt0.S. */
        addi sp, sp, -FRAME
        .set slot, 0
        .irp r, ra, gp, tp, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11
        sd \r, slot(sp)
        .set slot, slot + 8
        .endr

        la a0, start_message
        call puts
        la s0, cold_buf + 2048
#include "cold_body.inc"

        .set slot, SPILL
        .irp num, 1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        sd x\num, slot(sp)
        .set slot, slot + 8
        .endr

        li a0, 0
        li a1, 0x100000001b3
        addi a2, sp, SPILL
        addi a3, sp, SPILL + 29 * 8
        call fold
        la a2, cold_buf
        li a3, 4096
        add a3, a2, a3
        call fold
        mv s1, a0

        la a0, done_message
        call puts
        li t0, EXPECTED
        xor a0, s1, t0
        snez a0, a0

        .set slot, 0
        .irp r, ra, gp, tp, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11
        ld \r, slot(sp)
        .set slot, slot + 8
        .endr
        addi sp, sp, FRAME
        ret

/* a0 = (a0 ^ v) * a1 for each double word v in [a2, a3). */
fold:
        ld t0, 0(a2)
        xor a0, a0, t0
        mul a0, a0, a1
        addi a2, a2, 8
        bne a2, a3, fold
        ret

/* Writes the NUL-terminated string at a0 to the UART. The transmitter is
 * not polled: QEMU's and hartvm's UARTs take a byte at any time (and the
 * benchmark harness answers device reads with zeros). */
puts:
        li t0, UART_THR
1:      lbu t1, 0(a0)
        beqz t1, 2f
        sb t1, 0(t0)
        addi a0, a0, 1
        j 1b
2:      ret

        .section .rodata
start_message:
        .string "cold: start\n"
done_message:
        .string "cold: done\n"

        .data
        .balign 8
cold_buf:
#include "cold_data.inc"
