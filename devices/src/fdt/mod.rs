//! Device tree blob (DTB) for the QEMU `virt` machine, built with `vm-fdt`.
//!
//! [`build_fdt`] writes `/`, `/chosen`, `/memory`, `/cpus` (one `cpu@N` with
//! its `riscv,cpu-intc` per hart), `/soc` with the UART, CLINT and test
//! finisher, and the `syscon-poweroff` / `syscon-reboot` nodes.
//!
//! Extension point: devices added later (PLIC, RTC, virtio-mmio) implement
//! [`FdtNode`] and are passed to [`build_fdt_with`]. Each node first gets
//! [`FdtNode::reserve`] (allocate phandles; an interrupt controller sets
//! [`FdtContext::interrupt_parent`], after which the UART node gets
//! `interrupt-parent` and `interrupts = <10>`), then [`FdtNode::write`]
//! inside `/soc`.

use vm_fdt::FdtWriter;

pub use vm_fdt;

#[cfg(test)]
mod tests;

/// The UART's interrupt number on the `virt` machine's PLIC.
pub const UART_IRQ: u32 = 10;
/// Machine software interrupt number (`mip.MSIP`), used in the CLINT node.
pub const IRQ_M_SOFT: u32 = 3;
/// Machine timer interrupt number (`mip.MTIP`), used in the CLINT node.
pub const IRQ_M_TIMER: u32 = 7;

/// Why a device tree could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FdtError {
    /// The configuration has no harts.
    #[error("device tree: the machine needs at least one hart")]
    NoHarts,
    /// The ISA string does not start with `rv64` or `rv32`.
    #[error("device tree: ISA string {0:?} does not start with rv64 or rv32")]
    BadIsa(String),
    /// `vm-fdt` refused a node or property (e.g. a NUL in `bootargs`).
    #[error("device tree: {0}")]
    Writer(#[from] vm_fdt::Error),
}

/// The machine described by the device tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdtConfig {
    /// Number of harts (`cpu@0` .. `cpu@{n-1}`).
    pub num_harts: u32,
    /// Guest physical address of RAM.
    pub mem_base: u64,
    /// Size of RAM in bytes.
    pub mem_size: u64,
    /// ISA string for `riscv,isa`, e.g.
    /// `"rv64imafdc_zicsr_zifencei_zba_zbb_zbs_zicond"`; `riscv,isa-base`
    /// and `riscv,isa-extensions` are derived from it.
    pub isa: String,
    /// `mmu-type` of every cpu, e.g. `"riscv,sv57"`.
    pub mmu_type: &'static str,
    /// `timebase-frequency` of `/cpus` (the CLINT's `mtime` rate).
    pub timebase_frequency: u32,
    /// Kernel command line (`/chosen/bootargs`).
    pub bootargs: Option<String>,
    /// Initial ramdisk as `(start, end)` physical addresses, `end` exclusive.
    pub initrd: Option<(u64, u64)>,
    /// `model` of the root node.
    pub model: String,
    /// Base of the ns16550a UART.
    pub uart_base: u64,
    /// Input clock of the UART (`clock-frequency`).
    pub uart_clock: u32,
    /// Base of the CLINT.
    pub clint_base: u64,
    /// Base of the test finisher / syscon.
    pub test_base: u64,
}

impl Default for FdtConfig {
    /// One hart, 128 MiB of RAM at 0x8000_0000, the `virt` memory map.
    fn default() -> Self {
        FdtConfig {
            num_harts: 1,
            mem_base: 0x8000_0000,
            mem_size: 128 << 20,
            isa: "rv64imafdc_zicsr_zifencei_zba_zbb_zbs_zicond".to_string(),
            mmu_type: "riscv,sv57",
            timebase_frequency: 10_000_000,
            bootargs: None,
            initrd: None,
            model: "riscv-virtio,qemu".to_string(),
            uart_base: 0x1000_0000,
            uart_clock: crate::uart::UART_CLOCK_HZ,
            clint_base: 0x200_0000,
            test_base: 0x10_0000,
        }
    }
}

/// State shared by the builder and the [`FdtNode`]s while a tree is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdtContext {
    /// Phandle of each hart's `riscv,cpu-intc` node, indexed by hart.
    pub cpu_intc_phandles: Vec<u32>,
    /// Phandle of the platform interrupt controller (the PLIC), set by its
    /// node in [`FdtNode::reserve`]; devices with wired interrupts
    /// reference it.
    pub interrupt_parent: Option<u32>,
    next_phandle: u32,
}

impl FdtContext {
    /// Allocates a fresh phandle.
    pub fn alloc_phandle(&mut self) -> u32 {
        let p = self.next_phandle;
        self.next_phandle += 1;
        p
    }
}

/// A device node added to `/soc` by a device model (the extension point
/// for PLIC, RTC, virtio-mmio).
///
/// ```
/// use hartvm_devices::fdt::{build_fdt_with, vm_fdt::FdtWriter, FdtConfig, FdtContext, FdtError, FdtNode};
///
/// struct Rtc;
/// impl FdtNode for Rtc {
///     fn write(&self, fdt: &mut FdtWriter, _ctx: &mut FdtContext) -> Result<(), FdtError> {
///         let node = fdt.begin_node("rtc@101000")?;
///         fdt.property_string("compatible", "google,goldfish-rtc")?;
///         fdt.property_array_u64("reg", &[0x101000, 0x1000])?;
///         fdt.end_node(node)?;
///         Ok(())
///     }
/// }
///
/// let dtb = build_fdt_with(&FdtConfig::default(), &[&Rtc]).unwrap();
/// assert_eq!(&dtb[..4], &[0xd0, 0x0d, 0xfe, 0xed]);
/// ```
pub trait FdtNode {
    /// Called for every node before anything is written: allocate phandles
    /// here (and set [`FdtContext::interrupt_parent`] if this is the
    /// platform interrupt controller).
    fn reserve(&self, _ctx: &mut FdtContext) {}

    /// Writes the node (begin, properties, end) as a child of `/soc`, whose
    /// `#address-cells` and `#size-cells` are 2.
    fn write(&self, fdt: &mut FdtWriter, ctx: &mut FdtContext) -> Result<(), FdtError>;
}

/// Splits an ISA string into `(base, extensions)` for `riscv,isa-base`
/// and `riscv,isa-extensions`: single letters first (`g` expands to
/// `i m a f d zicsr zifencei`), then the `_`-separated multi-letter ones.
///
/// ```
/// use hartvm_devices::fdt::isa_extensions;
/// let (base, ext) = isa_extensions("rv64imac_zicsr_zba").unwrap();
/// assert_eq!(base, "rv64i");
/// assert_eq!(ext, ["i", "m", "a", "c", "zicsr", "zba"]);
/// ```
pub fn isa_extensions(isa: &str) -> Option<(String, Vec<String>)> {
    let isa = isa.to_ascii_lowercase();
    let xlen = ["rv64", "rv32"].into_iter().find(|p| isa.starts_with(p))?;
    let mut parts = isa[xlen.len()..].split('_');
    let mut ext: Vec<String> = Vec::new();
    let mut push = |e: &str| {
        if !e.is_empty() && !ext.iter().any(|x| x == e) {
            ext.push(e.to_string());
        }
    };
    for c in parts.next().unwrap_or("").chars() {
        if c == 'g' {
            for e in ["i", "m", "a", "f", "d", "zicsr", "zifencei"] {
                push(e);
            }
        } else if c.is_ascii_alphabetic() {
            push(c.encode_utf8(&mut [0; 4]));
        }
    }
    for p in parts {
        push(p);
    }
    Some((format!("{xlen}i"), ext))
}

/// Builds the device tree of the `virt` machine without extra nodes.
///
/// # Errors
///
/// [`FdtError`] for zero harts, a bad ISA string, or strings `vm-fdt`
/// rejects (NUL bytes).
///
/// ```
/// use hartvm_devices::fdt::{build_fdt, FdtConfig};
/// let dtb = build_fdt(&FdtConfig {
///     num_harts: 2,
///     bootargs: Some("console=ttyS0".into()),
///     ..FdtConfig::default()
/// })
/// .unwrap();
/// assert_eq!(&dtb[..4], &[0xd0, 0x0d, 0xfe, 0xed]); // FDT magic
/// ```
pub fn build_fdt(cfg: &FdtConfig) -> Result<Vec<u8>, FdtError> {
    build_fdt_with(cfg, &[])
}

/// Builds the device tree with extra `/soc` nodes (see [`FdtNode`]).
///
/// # Errors
///
/// As [`build_fdt`], plus any error of the extra nodes.
pub fn build_fdt_with(cfg: &FdtConfig, soc_nodes: &[&dyn FdtNode]) -> Result<Vec<u8>, FdtError> {
    if cfg.num_harts == 0 {
        return Err(FdtError::NoHarts);
    }
    let (isa_base, isa_ext) = isa_extensions(&cfg.isa).ok_or_else(|| FdtError::BadIsa(cfg.isa.clone()))?;
    let mut ctx = FdtContext { cpu_intc_phandles: Vec::new(), interrupt_parent: None, next_phandle: 1 };
    ctx.cpu_intc_phandles = (0..cfg.num_harts).map(|_| ctx.alloc_phandle()).collect();
    let test_phandle = ctx.alloc_phandle();
    for n in soc_nodes {
        n.reserve(&mut ctx);
    }

    let mut fdt = FdtWriter::new()?;
    fdt.set_boot_cpuid_phys(0);
    let root = fdt.begin_node("")?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_string("compatible", "riscv-virtio")?;
    fdt.property_string("model", &cfg.model)?;

    let chosen = fdt.begin_node("chosen")?;
    fdt.property_string("stdout-path", &format!("/soc/serial@{:x}", cfg.uart_base))?;
    if let Some(args) = &cfg.bootargs {
        fdt.property_string("bootargs", args)?;
    }
    if let Some((start, end)) = cfg.initrd {
        fdt.property_u64("linux,initrd-start", start)?;
        fdt.property_u64("linux,initrd-end", end)?;
    }
    fdt.end_node(chosen)?;

    let memory = fdt.begin_node(&format!("memory@{:x}", cfg.mem_base))?;
    fdt.property_string("device_type", "memory")?;
    fdt.property_array_u64("reg", &[cfg.mem_base, cfg.mem_size])?;
    fdt.end_node(memory)?;

    let cpus = fdt.begin_node("cpus")?;
    fdt.property_u32("#address-cells", 1)?;
    fdt.property_u32("#size-cells", 0)?;
    fdt.property_u32("timebase-frequency", cfg.timebase_frequency)?;
    for (hart, &intc_phandle) in ctx.cpu_intc_phandles.iter().enumerate() {
        let cpu = fdt.begin_node(&format!("cpu@{hart:x}"))?;
        fdt.property_string("device_type", "cpu")?;
        fdt.property_u32("reg", hart as u32)?;
        fdt.property_string("status", "okay")?;
        fdt.property_string("compatible", "riscv")?;
        fdt.property_string("riscv,isa", &cfg.isa)?;
        fdt.property_string("riscv,isa-base", &isa_base)?;
        fdt.property_string_list("riscv,isa-extensions", isa_ext.clone())?;
        fdt.property_string("mmu-type", cfg.mmu_type)?;
        let intc = fdt.begin_node("interrupt-controller")?;
        // #address-cells 0: an interrupt provider needs it (dtc checks).
        fdt.property_u32("#address-cells", 0)?;
        fdt.property_u32("#interrupt-cells", 1)?;
        fdt.property_null("interrupt-controller")?;
        fdt.property_string("compatible", "riscv,cpu-intc")?;
        fdt.property_phandle(intc_phandle)?;
        fdt.end_node(intc)?;
        fdt.end_node(cpu)?;
    }
    fdt.end_node(cpus)?;

    let soc = fdt.begin_node("soc")?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_string("compatible", "simple-bus")?;
    fdt.property_null("ranges")?;

    let test = fdt.begin_node(&format!("test@{:x}", cfg.test_base))?;
    fdt.property_string_list("compatible", vec!["sifive,test1".into(), "sifive,test0".into(), "syscon".into()])?;
    fdt.property_array_u64("reg", &[cfg.test_base, crate::test_finisher::FINISHER_MMIO_SIZE])?;
    fdt.property_phandle(test_phandle)?;
    fdt.end_node(test)?;

    let clint = fdt.begin_node(&format!("clint@{:x}", cfg.clint_base))?;
    fdt.property_string_list("compatible", vec!["sifive,clint0".into(), "riscv,clint0".into()])?;
    fdt.property_array_u64("reg", &[cfg.clint_base, crate::clint::CLINT_MMIO_SIZE])?;
    let irqs: Vec<u32> = ctx.cpu_intc_phandles.iter().flat_map(|&p| [p, IRQ_M_SOFT, p, IRQ_M_TIMER]).collect();
    fdt.property_array_u32("interrupts-extended", &irqs)?;
    fdt.end_node(clint)?;

    let serial = fdt.begin_node(&format!("serial@{:x}", cfg.uart_base))?;
    fdt.property_string("compatible", "ns16550a")?;
    fdt.property_array_u64("reg", &[cfg.uart_base, crate::uart::UART_MMIO_SIZE])?;
    fdt.property_u32("clock-frequency", cfg.uart_clock)?;
    if let Some(parent) = ctx.interrupt_parent {
        fdt.property_u32("interrupt-parent", parent)?;
        fdt.property_u32("interrupts", UART_IRQ)?;
    }
    fdt.end_node(serial)?;

    for n in soc_nodes {
        n.write(&mut fdt, &mut ctx)?;
    }
    fdt.end_node(soc)?;

    for (name, compatible, value) in [
        ("poweroff", "syscon-poweroff", crate::test_finisher::FINISHER_PASS),
        ("reboot", "syscon-reboot", crate::test_finisher::FINISHER_RESET),
    ] {
        let node = fdt.begin_node(name)?;
        fdt.property_string("compatible", compatible)?;
        fdt.property_u32("regmap", test_phandle)?;
        fdt.property_u32("offset", 0)?;
        fdt.property_u32("value", value)?;
        fdt.end_node(node)?;
    }

    fdt.end_node(root)?;
    Ok(fdt.finish()?)
}
