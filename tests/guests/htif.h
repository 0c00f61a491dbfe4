/* The HTIF words every test guest that reports through `tohost` has. */
#ifndef HARTVM_TESTS_HTIF_H
#define HARTVM_TESTS_HTIF_H

#define HTIF_WORDS                              \
        .section .tohost, "aw", @progbits;      \
        .balign 64;                             \
        .globl tohost;                          \
tohost: .dword 0;                               \
        .globl fromhost;                        \
fromhost: .dword 0

#endif
