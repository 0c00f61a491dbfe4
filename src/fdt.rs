//! The device tree handed to the guest in a1.

use anyhow::{Context, Result};
use hartvm_devices::fdt::{build_fdt, FdtConfig, IdleState, PlicConfig, PlicMContexts};
use hartvm_runtime::Vm;

use crate::machine::map;

/// The device tree of `vm` with the devices of one boot: `virtio_slots`
/// populated, `bootargs` as the command line; `hypervisor`: no M-mode
/// software runs (the PLIC's M contexts are hidden, and the built-in SBI
/// offers HSM suspend states for cpuidle).
pub fn config(vm: &Vm, virtio_slots: &[u32], bootargs: Option<String>, hypervisor: bool) -> FdtConfig {
    let mem = vm.memory();
    let mut config = FdtConfig {
        num_harts: vm.num_harts() as u32,
        mem_base: mem.base(),
        mem_size: mem.size(),
        bootargs,
        uart_base: map::UART0.0,
        clint_base: map::CLINT.0,
        test_base: map::FINISHER.0,
        plic: Some(PlicConfig {
            m_contexts: if hypervisor { PlicMContexts::Hidden } else { PlicMContexts::Wired },
            ..PlicConfig::default()
        }),
        rtc_base: Some(map::RTC.0),
        virtio_slots: virtio_slots.to_vec(),
        idle_states: if hypervisor { IdleState::sbi_defaults() } else { Vec::new() },
        ..FdtConfig::default()
    };
    config.extensions.extend(["sstc".into(), "zihintpause".into()]);
    config
}

/// Builds the device tree described by `config` and writes it at the top
/// of RAM, page aligned (as QEMU does), refusing to overwrite the loaded
/// program `[image.0, image.1)`; returns its guest physical address.
pub fn place_dtb(vm: &Vm, config: &FdtConfig, image: (u64, u64)) -> Result<u64> {
    let mem = vm.memory();
    let blob = build_fdt(config).context("cannot build the device tree")?;
    let addr = (mem.base() + mem.size()).saturating_sub(blob.len() as u64) & !0xfff;
    let end = addr + blob.len() as u64;
    if addr < mem.base() || (addr < image.1 && image.0 < end) {
        anyhow::bail!("guest RAM is too small for the program and its device tree: give more with --mem");
    }
    mem.write(addr, &blob);
    Ok(addr)
}
