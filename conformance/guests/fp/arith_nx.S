/* The cases of arith.S (fadd/fsub/fmul/fdiv/fsqrt) again, with the inexact flag set
 * before each: only then may translated code use the host FPU (see
 * jit/src/emit/hardfloat.rs), so this checks those fast paths and their
 * fallbacks (subnormals, overflow, tininess, NaN boxing) end to end. */
#define PRESET_FLAGS NX
#include "arith.S"
