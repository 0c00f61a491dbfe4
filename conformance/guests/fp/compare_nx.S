/* The cases of compare.S (fmin/fmax and the comparisons) again, with the inexact flag set
 * before each: every case must still add exactly its own flags to those
 * already accrued, in the interpreter and in translated code, where the
 * host FPU accrues them (see jit/src/host_fp.rs). */
#define PRESET_FLAGS NX
#include "compare.S"
