/* Drives the virtio-blk disk in slot 0 (virtio-mmio v2 at 0x10001000) the
 * way a broken driver would, and checks that each misuse gets a device
 * error (DEVICE_NEEDS_RESET, or an error status byte) and that the device
 * still works after a reset. The disk image must start with "HARTVMIO"
 * and hold 8 sectors; the host test checks afterwards that no byte of it
 * changed. HTIF exit code: 0 when every case behaved, else the number of
 * the first case that did not (gp).
 *
 * Cases: 1 a good read; 2 a descriptor chain that loops; 3 a header
 * outside RAM; 4 an available-ring entry past the queue; 5 a write past
 * the disk's end; 6 write data outside RAM; 7 write data running off the
 * end of RAM; 8 a queue size that is not a power of two, notified; 9 a
 * good read again, after all that. */
#include "htif.h"
        .equ VIRTIO, 0x10001000
        .equ R_MAGIC, 0x000
        .equ R_VERSION, 0x004
        .equ R_DEVICE_ID, 0x008
        .equ R_DRV_FEATURES, 0x020
        .equ R_DRV_FEATURES_SEL, 0x024
        .equ R_QUEUE_SEL, 0x030
        .equ R_QUEUE_NUM, 0x038
        .equ R_QUEUE_READY, 0x044
        .equ R_QUEUE_NOTIFY, 0x050
        .equ R_STATUS, 0x070
        .equ R_DESC_LOW, 0x080
        .equ R_DESC_HIGH, 0x084
        .equ R_DRIVER_LOW, 0x090
        .equ R_DRIVER_HIGH, 0x094
        .equ R_DEVICE_LOW, 0x0a0
        .equ R_DEVICE_HIGH, 0x0a4
        .equ NEEDS_RESET, 0x40
        .equ F_NEXT, 1
        .equ F_WRITE, 2
        .equ QSIZE, 8
        .equ FAR, 0x400000000000        /* far outside RAM */

/* Descriptor n := (addr, len, flags, next); `load` is `li` for a number
 * or `la` for a symbol. */
.macro DESC n, load, addr, len, flags, next
        la t0, desc
        \load t1, \addr
        sd t1, (\n * 16)(t0)
        li t1, \len
        sw t1, (\n * 16 + 8)(t0)
        li t1, \flags
        sh t1, (\n * 16 + 12)(t0)
        li t1, \next
        sh t1, (\n * 16 + 14)(t0)
.endm

/* Offers the chain at descriptor `head` with the status byte cleared,
 * expects a device error, and resets the device. */
.macro MISUSE head
        call clear_status
        li a0, \head
        call submit
        call expect_error
        call setup
.endm

/* The request header: type, sector. */
.macro HEADER type, sector
        la t0, header
        li t1, \type
        sw t1, 0(t0)
        sw zero, 4(t0)
        li t1, \sector
        sd t1, 8(t0)
.endm

        .section .text.init, "ax", @progbits
        .globl _start
_start:
        li s11, VIRTIO
        li gp, 100
        lw t0, R_MAGIC(s11)
        li t1, 0x74726976
        bne t0, t1, fail
        lw t0, R_VERSION(s11)
        li t1, 2
        bne t0, t1, fail
        lw t0, R_DEVICE_ID(s11)
        li t1, 2
        bne t0, t1, fail
        call setup

        /* 1: a good read of sector 0 */
        li gp, 1
        call read_sector0

        /* 2: a chain that loops: 0 -> 1 -> 0 */
        li gp, 2
        HEADER 0, 0
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, la, data, 512, F_NEXT | F_WRITE, 0
        MISUSE 0

        /* 3: the header outside RAM */
        li gp, 3
        DESC 0, li, FAR, 16, F_NEXT, 1
        DESC 1, la, data, 512, F_NEXT | F_WRITE, 2
        DESC 2, la, status, 1, F_WRITE, 0
        MISUSE 0

        /* 4: an available-ring entry naming descriptor 200 of 8 */
        li gp, 4
        MISUSE 200

        /* 5: a write past the end of the disk (8 sectors) */
        li gp, 5
        HEADER 1, 1000
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, la, data, 512, F_NEXT, 2
        DESC 2, la, status, 1, F_WRITE, 0
        MISUSE 0

        /* 6: write data outside RAM */
        li gp, 6
        HEADER 1, 1
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, li, FAR, 512, F_NEXT, 2
        DESC 2, la, status, 1, F_WRITE, 0
        MISUSE 0

        /* 7: write data that runs off the end of RAM (4 GiB long) */
        li gp, 7
        HEADER 1, 0
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, la, data, 0xfffffe00, F_NEXT, 2
        DESC 2, la, status, 1, F_WRITE, 0
        MISUSE 0

        /* 8: queue size 3, then a notify: no hang, and the device recovers */
        li gp, 8
        li a0, 3
        call setup_queue
        HEADER 0, 0
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, la, data, 512, F_NEXT | F_WRITE, 2
        DESC 2, la, status, 1, F_WRITE, 0
        li a0, 0
        call submit
        call setup

        /* 9: after all that, a good read still works */
        li gp, 9
        call read_sector0

        li gp, 0
        j report

/* Resets the device and brings queue 0 up with 8 entries. */
setup:
        li a0, QSIZE
/* The same with a0 entries. */
setup_queue:
        sw zero, R_STATUS(s11)
        lw t0, R_STATUS(s11)
        bnez t0, fail
        li t0, 1
        sw t0, R_STATUS(s11)
        li t0, 3
        sw t0, R_STATUS(s11)
        mv t6, ra
        call features
        li t0, 0xb
        sw t0, R_STATUS(s11)
        lw t0, R_STATUS(s11)
        andi t0, t0, 8
        beqz t0, fail
        sw zero, R_QUEUE_SEL(s11)
        sw a0, R_QUEUE_NUM(s11)
        call rings
        li t0, 1
        sw t0, R_QUEUE_READY(s11)
        li t0, 0xf
        sw t0, R_STATUS(s11)
        mv ra, t6
        ret

/* Accepts VIRTIO_F_VERSION_1 (feature 32) only. */
features:
        li t0, 1
        sw t0, R_DRV_FEATURES_SEL(s11)
        sw t0, R_DRV_FEATURES(s11)
        sw zero, R_DRV_FEATURES_SEL(s11)
        sw zero, R_DRV_FEATURES(s11)
        ret

/* Clears the rings and gives their addresses to queue 0. */
rings:
        la t0, avail
        sd zero, 0(t0)
        sd zero, 8(t0)
        sd zero, 16(t0)
        la t0, used
        li t1, 0
1:      sd zero, 0(t0)
        addi t0, t0, 8
        addi t1, t1, 1
        li t2, 10
        bne t1, t2, 1b
        la t5, next_avail
        sh zero, 0(t5)
        la t0, desc
        sw t0, R_DESC_LOW(s11)
        srli t0, t0, 32
        sw t0, R_DESC_HIGH(s11)
        la t0, avail
        sw t0, R_DRIVER_LOW(s11)
        srli t0, t0, 32
        sw t0, R_DRIVER_HIGH(s11)
        la t0, used
        sw t0, R_DEVICE_LOW(s11)
        srli t0, t0, 32
        sw t0, R_DEVICE_HIGH(s11)
        ret

/* Offers descriptor a0 as the next available entry and notifies queue 0. */
submit:
        la t0, next_avail
        lhu t1, 0(t0)
        andi t2, t1, QSIZE - 1
        slli t2, t2, 1
        la t3, avail
        add t2, t2, t3
        sh a0, 4(t2)
        addi t1, t1, 1
        sh t1, 0(t0)
        fence rw, rw
        sh t1, 2(t3)
        fence rw, rw
        sw zero, R_QUEUE_NOTIFY(s11)
        fence rw, rw
        ret

/* Sets the status byte to a value no device writes. */
clear_status:
        la t0, status
        li t1, 0xee
        sb t1, 0(t0)
        ret

/* The device must have flagged DEVICE_NEEDS_RESET or answered with an
 * error status (IOERR 1, UNSUPP 2). */
expect_error:
        lw t0, R_STATUS(s11)
        andi t0, t0, NEEDS_RESET
        bnez t0, 1f
        la t0, status
        lbu t0, 0(t0)
        li t1, 1
        beq t0, t1, 1f
        li t1, 2
        beq t0, t1, 1f
        j fail
1:      ret

/* Reads sector 0 and checks it starts with "HARTVMIO". */
read_sector0:
        mv t6, ra
        la t0, data
        sd zero, 0(t0)
        HEADER 0, 0
        DESC 0, la, header, 16, F_NEXT, 1
        DESC 1, la, data, 512, F_NEXT | F_WRITE, 2
        DESC 2, la, status, 1, F_WRITE, 0
        call clear_status
        li a0, 0
        call submit
        lw t0, R_STATUS(s11)
        andi t0, t0, NEEDS_RESET
        bnez t0, fail
        la t0, status
        lbu t0, 0(t0)
        bnez t0, fail
        la t0, used
        lhu t1, 2(t0)
        la t2, next_avail
        lhu t2, 0(t2)
        bne t1, t2, fail
        la t0, data
        ld t0, 0(t0)
        li t1, 0x4f494d5654524148 /* "HARTVMIO" */
        bne t0, t1, fail
        mv ra, t6
        ret

fail:
report:
        slli a0, gp, 1
        ori a0, a0, 1
        la t0, tohost
        sd a0, 0(t0)
1:      j 1b

HTIF_WORDS

        .section .bss
        .balign 16
desc:   .zero 16 * QSIZE
        .balign 8
avail:  .zero 24
        .balign 8
used:   .zero 80
        .balign 16
header: .zero 16
status: .zero 8
next_avail: .zero 8
        .balign 512
data:   .zero 512
