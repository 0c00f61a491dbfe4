//! The RISC-V ISA as hartvm sees it: the typed instruction ([`Inst`]),
//! decoding of RV64GC plus Zba/Zbb/Zbs/Zicond and the privileged
//! instructions (compressed forms expand to their base operation),
//! disassembly in `objdump` syntax, and CSR numbers.
#![deny(missing_docs)]

mod compressed;
pub mod csr;
mod decode;
mod disasm;
mod inst;

pub use decode::{decode, insn_length};
pub use disasm::disassemble;
pub use inst::{Inst, Op};
