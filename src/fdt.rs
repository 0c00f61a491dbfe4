//! The device tree handed to the guest in a1.

use anyhow::{Context, Result};
use hartvm_devices::fdt::{build_fdt, FdtConfig};
use hartvm_runtime::Vm;

use crate::machine::map;

/// Builds the machine's device tree and writes it at the top of RAM,
/// 8-byte aligned (as QEMU does); returns its guest physical address.
pub fn place_dtb(vm: &Vm) -> Result<u64> {
    let mem = vm.memory();
    let config = FdtConfig {
        num_harts: vm.num_harts() as u32,
        mem_base: mem.base(),
        mem_size: mem.size(),
        uart_base: map::UART0.0,
        clint_base: map::CLINT.0,
        test_base: map::FINISHER.0,
        ..FdtConfig::default()
    };
    let blob = build_fdt(&config).context("cannot build the device tree")?;
    let addr = (mem.base() + mem.size() - blob.len() as u64) & !0xfff;
    if addr < mem.base() || !mem.write(addr, &blob) {
        anyhow::bail!("the device tree ({} bytes) does not fit in guest RAM", blob.len());
    }
    Ok(addr)
}
