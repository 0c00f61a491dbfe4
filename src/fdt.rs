//! The device tree handed to the guest in a1.

use anyhow::{Context, Result};
use hartvm_devices::fdt::{build_fdt, FdtConfig};
use hartvm_runtime::Vm;

use crate::machine::map;

/// Builds the machine's device tree and writes it at the top of RAM, page
/// aligned (as QEMU does), refusing to overwrite the loaded program
/// `[image.0, image.1)`; returns its guest physical address.
pub fn place_dtb(vm: &Vm, image: (u64, u64)) -> Result<u64> {
    let mem = vm.memory();
    let config = FdtConfig {
        num_harts: vm.num_harts() as u32,
        mem_base: mem.base(),
        mem_size: mem.size(),
        uart_base: map::UART0.0,
        clint_base: map::CLINT.0,
        test_base: map::FINISHER.0,
        // Not on the bus yet: describe only devices the VMM models.
        plic: None,
        rtc_base: None,
        ..FdtConfig::default()
    };
    let blob = build_fdt(&config).context("cannot build the device tree")?;
    let addr = (mem.base() + mem.size()).saturating_sub(blob.len() as u64) & !0xfff;
    let end = addr + blob.len() as u64;
    if addr < mem.base() || (addr < image.1 && image.0 < end) {
        anyhow::bail!("guest RAM is too small for the program and its device tree: give more with --mem");
    }
    mem.write(addr, &blob);
    Ok(addr)
}
