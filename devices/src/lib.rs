//! Device models and loaders of the hartvm `virt` machine.
//!
//! The vCPU runtime exits to the VMM on MMIO accesses; the VMM routes them
//! through an [`mmio::MmioBus`] to the device models here. Every device is
//! `Send + Sync` (vCPU threads share it) and never panics on a bad guest
//! access: unknown offsets and unsupported sizes are ignored on write and
//! read as zero.
//!
//! | module | what |
//! |---|---|
//! | [`mmio`] | the [`mmio::MmioDevice`] trait and the address → device bus |
//! | [`uart`] | ns16550a UART |
//! | [`test_finisher`] | sifive,test0 / syscon: poweroff, reset, fail codes |
//! | [`clint`] | CLINT/ACLINT MMIO view over a runtime-owned timer backend |
//! | [`plic`] | SiFive PLIC: level-triggered sources, claim/complete, outputs to a backend |
//! | [`irq`] | the [`irq::IrqLine`] devices drive, and its PLIC implementation |
//! | [`rtc`] | goldfish RTC; the alarm is polled by the VMM or by its own timer thread |
//! | [`virtio`] | virtio-mmio transport, split virtqueues, virtio-blk, -rng, -console |
//! | [`htif`] | Spike host-target interface (`tohost` / `fromhost`) |
//! | [`loader`] | ELF, raw and Linux `Image` loading into guest RAM; Linux boot layout (kernel, DTB, initrd, firmware + `fw_dynamic` info) |
//! | [`fdt`] | device tree blob for the QEMU `virt` machine (cpus, PLIC, CLINT, UART, RTC, virtio-mmio, syscon, idle states) |

#![deny(missing_docs)]

pub mod clint;
pub mod fdt;
pub mod htif;
pub mod irq;
pub mod loader;
pub mod mmio;
pub mod plic;
pub mod rtc;
pub mod test_finisher;
pub mod uart;
pub mod virtio;
