//! hartvm's vCPU runtime, shaped like Linux KVM's RISC-V vCPU interface:
//! a [`Vm`] owns guest RAM and the platform's interrupt lines and timer;
//! each [`Vcpu`] runs on its own host thread and returns a [`VcpuExit`]
//! whenever the VMM has to act (device accesses, the HTIF word, kicks).
//!
//! Tier 0 is an interpreter over decoded blocks cached by physical
//! address; it implements the full privileged architecture (M/S/U modes,
//! traps and interrupts with delegation, Sv39/Sv48/Sv57, PMP) and is the
//! reference every faster engine is compared against.
//!
//! ```
//! use hartvm_runtime::{Vm, VmConfig, VcpuExit};
//! // li a0, 1; auipc a1, 1; sd a0, -4(a1): a store to the watched word.
//! let vm = Vm::new(VmConfig { mem_size: 1 << 20, ..VmConfig::default() }).unwrap();
//! let code: [u32; 3] = [0x0010_0513, 0x0000_1597, 0xfea5_be23];
//! for (k, w) in code.iter().enumerate() {
//!     vm.memory().write(0x8000_0000 + 4 * k as u64, &w.to_le_bytes());
//! }
//! vm.watch_word(0x8000_1000);
//! let mut vcpu = vm.create_vcpu(0).unwrap();
//! vcpu.set_instruction_limit(1000); // bounds the run even if the guest misbehaves
//! assert_eq!(vcpu.run(), VcpuExit::Watch { addr: 0x8000_1000, value: 1 });
//! ```
#![deny(missing_docs)]

mod atomic;
mod block;
mod csr;
mod difftest;
mod fp;
mod hart;
mod interp;
mod jit;
mod memory;
mod mmu;
pub mod one_reg;
mod pmp;
mod power;
mod sbi;
mod trap;
mod vcpu;
mod vm;

pub use hart::{cause, irq, mstatus, Csrs, HartState, Privilege};
pub use hartvm_jit::{CacheStats, Symbolizer};
pub use hartvm_sbi::{Extension as SbiExtension, ExtensionSet as SbiExtensionSet, SystemEvent};
pub use jit::Engine;
pub use memory::{GuestMemory, MemoryError, PAGE_SIZE, RAM_BASE};
pub use mmu::Exception;
pub use one_reg::RegError;
pub use pmp::Pmp;
pub use power::{MpState, ResetContext};
pub use vcpu::{Vcpu, VcpuExit, VcpuHandle, VcpuStats};
pub use vm::{Vm, VmConfig, VmError, MAX_HARTS, TIMEBASE_HZ};
