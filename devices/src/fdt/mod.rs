//! Device tree blob (DTB) for the QEMU `virt` machine, built with `vm-fdt`.
//!
//! [`build_fdt`] describes the whole machine as Linux, OpenSBI and
//! bare-metal programs expect it on `virt`:
//!
//! - `/chosen`: `stdout-path` (the UART), `bootargs`, `linux,initrd-start`
//!   / `-end` (64-bit, end exclusive), `rng-seed`;
//! - `/memory@…`;
//! - `/cpus`: `timebase-frequency`, one `cpu@N` per hart (`riscv,isa`,
//!   `riscv,isa-base`, `riscv,isa-extensions`, `mmu-type`, its
//!   `riscv,cpu-intc`, `cpu-idle-states`), a `cpu-map` (one cluster, a core
//!   per hart) and, when configured, `idle-states` with SBI HSM suspend
//!   states ([`IdleState`]);
//! - `/soc`: test/syscon, CLINT, PLIC, ns16550a UART, goldfish RTC and the
//!   virtio-mmio slots;
//! - `/poweroff` and `/reboot` (`syscon-poweroff` / `syscon-reboot` over
//!   the test device).
//!
//! # Decisions
//!
//! - **PLIC contexts.** The PLIC model numbers its contexts M, S per hart
//!   (context `2h` is hart `h`'s M-mode external interrupt, `2h + 1` its
//!   S-mode one), and `interrupts-extended` lists them in that order, so
//!   a driver counting entries finds the context the hardware uses. With
//!   [`PlicMContexts::Wired`] the M entries are `<intc 11>` (what firmware
//!   needs to find its own contexts; OpenSBI hides them from the kernel
//!   itself). In hypervisor mode there is no M-mode software:
//!   [`PlicMContexts::Hidden`] keeps the entries (numbering unchanged) but
//!   gives them the interrupt number `0xffffffff`, the PLIC binding's
//!   "context not present", which is the tree Linux sees after OpenSBI's
//!   fix-up in firmware mode. Linux skips every entry whose number is not
//!   9 (S external) either way.
//! - **virtio-mmio slots.** Only the slots listed in
//!   [`FdtConfig::virtio_slots`] are described (default: none). QEMU
//!   describes all 8 because it models empty transports (magic "virt",
//!   device ID 0); a described slot the VMM does not model would make
//!   Linux log a bad-magic warning per slot. [`VIRTIO_ALL_SLOTS`] gives
//!   the QEMU behaviour.
//! - **Idle states.** With SBI HSM suspend available, give
//!   [`IdleState::sbi_defaults`] (the two default suspend types); every
//!   cpu then lists them in `cpu-idle-states`. None by default: firmware
//!   may not implement non-retentive suspend.
//!
//! Extension point: devices added later implement [`FdtNode`] and are
//! passed to [`build_fdt_with`]. Each node first gets [`FdtNode::reserve`]
//! (allocate phandles; an external interrupt controller may set
//! [`FdtContext::interrupt_parent`] when [`FdtConfig::plic`] is `None`),
//! then [`FdtNode::write`] inside `/soc`.

use vm_fdt::FdtWriter;

pub use vm_fdt;

mod isa;
#[cfg(test)]
mod tests;

pub use isa::{canonical_extensions, isa_extensions, isa_string};

/// The UART's interrupt number on the `virt` machine's PLIC.
pub const UART_IRQ: u32 = 10;
/// The goldfish RTC's interrupt number on the PLIC.
pub const RTC_IRQ: u32 = 11;
/// Machine software interrupt number (`mip.MSIP`), used in the CLINT node.
pub const IRQ_M_SOFT: u32 = 3;
/// Machine timer interrupt number (`mip.MTIP`), used in the CLINT node.
pub const IRQ_M_TIMER: u32 = 7;
/// Supervisor external interrupt number (`mip.SEIP`), used in the PLIC node.
pub const IRQ_S_EXT: u32 = 9;
/// Machine external interrupt number (`mip.MEIP`), used in the PLIC node.
pub const IRQ_M_EXT: u32 = 11;
/// The interrupt number the PLIC binding uses for "context not present".
pub const IRQ_ABSENT: u32 = 0xffff_ffff;

/// Base of the PLIC on `virt`.
pub const PLIC_BASE: u64 = 0x0c00_0000;
/// Size of the PLIC's MMIO window.
pub const PLIC_SIZE: u64 = 0x60_0000;
/// Number of PLIC interrupt sources on `virt` (`riscv,ndev`; source 0 is
/// reserved, so sources are 1..=95).
pub const PLIC_NDEV: u32 = 95;
/// Base of the goldfish RTC on `virt`.
pub const RTC_BASE: u64 = 0x10_1000;
/// Size of the RTC's MMIO window.
pub const RTC_SIZE: u64 = 0x1000;
/// Base of virtio-mmio slot 0; slot `i` is at `VIRTIO_BASE + i * VIRTIO_STRIDE`.
pub const VIRTIO_BASE: u64 = 0x1000_1000;
/// Distance between virtio-mmio slots, and the size of each.
pub const VIRTIO_STRIDE: u64 = 0x1000;
/// Number of virtio-mmio slots on `virt`.
pub const VIRTIO_SLOTS: u32 = 8;
/// PLIC interrupt of virtio-mmio slot 0; slot `i` uses `VIRTIO_IRQ_BASE + i`.
pub const VIRTIO_IRQ_BASE: u32 = 1;
/// Every virtio-mmio slot, for [`FdtConfig::virtio_slots`] (as QEMU).
pub const VIRTIO_ALL_SLOTS: [u32; VIRTIO_SLOTS as usize] = [0, 1, 2, 3, 4, 5, 6, 7];

/// Most harts a tree can describe: the PLIC binding allows 15872
/// contexts, two per hart.
pub const MAX_HARTS: u32 = 15872 / 2;

/// Why a device tree could not be built.
#[derive(Debug, thiserror::Error)]
pub enum FdtError {
    /// The configuration has no harts.
    #[error("device tree: the machine needs at least one hart")]
    NoHarts,
    /// More harts than [`MAX_HARTS`].
    #[error("device tree: {0} harts, more than the PLIC can serve (7936)")]
    TooManyHarts(u32),
    /// The ISA description is unusable (the text says why).
    #[error("device tree: bad ISA: {0}")]
    BadIsa(String),
    /// A virtio-mmio slot index is not below [`VIRTIO_SLOTS`].
    #[error("device tree: virtio-mmio slot {0} does not exist (the machine has slots 0 to 7)")]
    BadVirtioSlot(u32),
    /// An idle state has a bad name or a reserved SBI suspend type.
    #[error("device tree: bad idle state: {0}")]
    BadIdleState(String),
    /// `vm-fdt` refused a node or property (e.g. a NUL in `bootargs`).
    #[error("device tree: {0}")]
    Writer(#[from] vm_fdt::Error),
}

/// How the PLIC node lists the M-mode context of each hart (see the
/// module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlicMContexts {
    /// `<intc 11>`: firmware (or a bare-metal program) runs in M-mode.
    #[default]
    Wired,
    /// `<intc 0xffffffff>`: no M-mode software; the entry stays so context
    /// numbers match the PLIC model.
    Hidden,
}

/// The PLIC as described in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlicConfig {
    /// MMIO base.
    pub base: u64,
    /// Number of interrupt sources (`riscv,ndev`).
    pub ndev: u32,
    /// How M-mode contexts appear.
    pub m_contexts: PlicMContexts,
}

impl Default for PlicConfig {
    /// The `virt` PLIC at 0x0c00_0000 with 95 sources, M contexts wired.
    fn default() -> Self {
        PlicConfig { base: PLIC_BASE, ndev: PLIC_NDEV, m_contexts: PlicMContexts::Wired }
    }
}

/// A cpuidle state entered through SBI HSM `hart_suspend`
/// (`compatible = "riscv,idle-state"` under `/cpus/idle-states`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleState {
    /// Node name under `/cpus/idle-states`.
    pub name: String,
    /// The `suspend_type` passed to `hart_suspend`
    /// (`riscv,sbi-suspend-param`).
    pub suspend_param: u32,
    /// Worst-case entry latency in µs.
    pub entry_latency_us: u32,
    /// Worst-case exit latency in µs.
    pub exit_latency_us: u32,
    /// Shortest stay, entry included, for the state to pay off, in µs.
    pub min_residency_us: u32,
    /// Whether the hart's timer stops in this state (`local-timer-stop`).
    pub local_timer_stop: bool,
}

impl IdleState {
    /// The SBI default retentive (0) and non-retentive (0x8000_0000)
    /// suspend types. Latencies are estimates for hartvm, where a
    /// suspended hart is a host thread sleeping until an interrupt: the
    /// wake-up is a thread wake-up; non-retentive adds the guest saving
    /// and restoring its context. The timer keeps running in both.
    ///
    /// ```
    /// use hartvm_devices::fdt::IdleState;
    /// let s = IdleState::sbi_defaults();
    /// assert_eq!((s[0].suspend_param, s[1].suspend_param), (0, 0x8000_0000));
    /// ```
    pub fn sbi_defaults() -> Vec<IdleState> {
        vec![
            IdleState {
                name: "retentive".into(),
                suspend_param: 0,
                entry_latency_us: 5,
                exit_latency_us: 50,
                min_residency_us: 100,
                local_timer_stop: false,
            },
            IdleState {
                name: "non-retentive".into(),
                suspend_param: 0x8000_0000,
                entry_latency_us: 20,
                exit_latency_us: 100,
                min_residency_us: 500,
                local_timer_stop: false,
            },
        ]
    }

    /// Whether `param` is a suspend type the SBI spec allows (default or
    /// platform-specific, not reserved).
    fn param_is_valid(param: u32) -> bool {
        !matches!(param, 0x0000_0001..=0x0FFF_FFFF | 0x8000_0001..=0x8FFF_FFFF)
    }
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
    /// 64 or 32 (`riscv,isa-base` is `rv{xlen}i`).
    pub xlen: u32,
    /// ISA extensions of every hart, e.g. `["i", "m", "a", "f", "d", "c",
    /// "zicsr", "zifencei", "zba"]`; put `"sstc"` here only when the
    /// harts implement it. Any order: `riscv,isa` and
    /// `riscv,isa-extensions` get them in canonical order
    /// ([`canonical_extensions`]).
    pub extensions: Vec<String>,
    /// `mmu-type` of every cpu, e.g. `"riscv,sv57"`.
    pub mmu_type: &'static str,
    /// `timebase-frequency` of `/cpus` (the CLINT's `mtime` rate).
    pub timebase_frequency: u32,
    /// Kernel command line (`/chosen/bootargs`).
    pub bootargs: Option<String>,
    /// Initial ramdisk as `(start, end)` physical addresses, `end` exclusive.
    pub initrd: Option<(u64, u64)>,
    /// Entropy for the kernel's random pool (`/chosen/rng-seed`).
    pub rng_seed: Option<Vec<u8>>,
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
    /// The PLIC, if the machine has one. With it, the UART, RTC and
    /// virtio slots get `interrupt-parent` and `interrupts`.
    pub plic: Option<PlicConfig>,
    /// Base of the goldfish RTC, if the machine has one.
    pub rtc_base: Option<u64>,
    /// virtio-mmio slots (0..8) to describe; see the module documentation.
    pub virtio_slots: Vec<u32>,
    /// cpuidle states through SBI HSM suspend (empty: no `idle-states`).
    pub idle_states: Vec<IdleState>,
}

impl Default for FdtConfig {
    /// One hart, 128 MiB of RAM at 0x8000_0000, RV64GC with Zba, Zbb, Zbs
    /// and Zicond, the `virt` memory map with PLIC and RTC, no virtio slot,
    /// no idle state.
    fn default() -> Self {
        let extensions = ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "zba", "zbb", "zbs", "zicond"];
        FdtConfig {
            num_harts: 1,
            mem_base: 0x8000_0000,
            mem_size: 128 << 20,
            xlen: 64,
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
            mmu_type: "riscv,sv57",
            timebase_frequency: 10_000_000,
            bootargs: None,
            initrd: None,
            rng_seed: None,
            model: "riscv-virtio,qemu".to_string(),
            uart_base: 0x1000_0000,
            uart_clock: crate::uart::UART_CLOCK_HZ,
            clint_base: 0x200_0000,
            test_base: 0x10_0000,
            plic: Some(PlicConfig::default()),
            rtc_base: Some(RTC_BASE),
            virtio_slots: Vec::new(),
            idle_states: Vec::new(),
        }
    }
}

/// State shared by the builder and the [`FdtNode`]s while a tree is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdtContext {
    /// Phandle of each hart's `riscv,cpu-intc` node, indexed by hart.
    pub cpu_intc_phandles: Vec<u32>,
    /// Phandle of the platform interrupt controller (the PLIC): set by the
    /// builder when [`FdtConfig::plic`] is given, else by an external
    /// controller's node in [`FdtNode::reserve`]; devices with wired
    /// interrupts reference it.
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
/// for devices the builder does not describe itself).
///
/// ```
/// use hartvm_devices::fdt::{build_fdt_with, vm_fdt::FdtWriter, FdtConfig, FdtContext, FdtError, FdtNode};
///
/// struct Flash;
/// impl FdtNode for Flash {
///     fn write(&self, fdt: &mut FdtWriter, _ctx: &mut FdtContext) -> Result<(), FdtError> {
///         let node = fdt.begin_node("flash@20000000")?;
///         fdt.property_string("compatible", "cfi-flash")?;
///         fdt.property_array_u64("reg", &[0x2000_0000, 0x200_0000])?;
///         fdt.property_u32("bank-width", 4)?;
///         fdt.end_node(node)?;
///         Ok(())
///     }
/// }
///
/// let dtb = build_fdt_with(&FdtConfig::default(), &[&Flash]).unwrap();
/// assert_eq!(&dtb[..4], &[0xd0, 0x0d, 0xfe, 0xed]);
/// ```
pub trait FdtNode {
    /// Called for every node before anything is written: allocate phandles
    /// here (and set [`FdtContext::interrupt_parent`] if this is the
    /// platform interrupt controller and the builder has none).
    fn reserve(&self, _ctx: &mut FdtContext) {}

    /// Writes the node (begin, properties, end) as a child of `/soc`, whose
    /// `#address-cells` and `#size-cells` are 2.
    fn write(&self, fdt: &mut FdtWriter, ctx: &mut FdtContext) -> Result<(), FdtError>;
}

/// Builds the device tree of the `virt` machine without extra nodes.
///
/// # Errors
///
/// [`FdtError`] for zero or too many harts, a bad extension list, a virtio slot past
/// 7, a bad idle state, or strings `vm-fdt` rejects (NUL bytes).
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

/// Phandles the builder hands out before writing.
struct Phandles {
    cpus: Vec<u32>,
    test: u32,
    idle: Vec<u32>,
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
    if cfg.num_harts > MAX_HARTS {
        return Err(FdtError::TooManyHarts(cfg.num_harts));
    }
    if cfg.xlen != 64 && cfg.xlen != 32 {
        return Err(FdtError::BadIsa(format!("XLEN {} (expected 32 or 64)", cfg.xlen)));
    }
    let extensions = canonical_extensions(&cfg.extensions)?;
    if let Some(&slot) = cfg.virtio_slots.iter().find(|&&s| s >= VIRTIO_SLOTS) {
        return Err(FdtError::BadVirtioSlot(slot));
    }
    check_idle_states(&cfg.idle_states)?;

    let mut ctx = FdtContext { cpu_intc_phandles: Vec::new(), interrupt_parent: None, next_phandle: 1 };
    ctx.cpu_intc_phandles = (0..cfg.num_harts).map(|_| ctx.alloc_phandle()).collect();
    let ph = Phandles {
        cpus: (0..cfg.num_harts).map(|_| ctx.alloc_phandle()).collect(),
        test: ctx.alloc_phandle(),
        idle: cfg.idle_states.iter().map(|_| ctx.alloc_phandle()).collect(),
    };
    let plic_phandle = cfg.plic.map(|_| ctx.alloc_phandle());
    ctx.interrupt_parent = plic_phandle;
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

    write_chosen(&mut fdt, cfg)?;

    let memory = fdt.begin_node(&format!("memory@{:x}", cfg.mem_base))?;
    fdt.property_string("device_type", "memory")?;
    fdt.property_array_u64("reg", &[cfg.mem_base, cfg.mem_size])?;
    fdt.end_node(memory)?;

    write_cpus(&mut fdt, cfg, &ctx, &ph, &extensions)?;

    let soc = fdt.begin_node("soc")?;
    fdt.property_u32("#address-cells", 2)?;
    fdt.property_u32("#size-cells", 2)?;
    fdt.property_string("compatible", "simple-bus")?;
    fdt.property_null("ranges")?;

    let test = fdt.begin_node(&format!("test@{:x}", cfg.test_base))?;
    fdt.property_string_list("compatible", vec!["sifive,test1".into(), "sifive,test0".into(), "syscon".into()])?;
    fdt.property_array_u64("reg", &[cfg.test_base, crate::test_finisher::FINISHER_MMIO_SIZE])?;
    fdt.property_phandle(ph.test)?;
    fdt.end_node(test)?;

    let clint = fdt.begin_node(&format!("clint@{:x}", cfg.clint_base))?;
    fdt.property_string_list("compatible", vec!["sifive,clint0".into(), "riscv,clint0".into()])?;
    fdt.property_array_u64("reg", &[cfg.clint_base, crate::clint::CLINT_MMIO_SIZE])?;
    let irqs: Vec<u32> = ctx.cpu_intc_phandles.iter().flat_map(|&p| [p, IRQ_M_SOFT, p, IRQ_M_TIMER]).collect();
    fdt.property_array_u32("interrupts-extended", &irqs)?;
    fdt.end_node(clint)?;

    if let (Some(plic), Some(phandle)) = (cfg.plic, plic_phandle) {
        write_plic(&mut fdt, &plic, phandle, &ctx.cpu_intc_phandles)?;
    }

    let serial = fdt.begin_node(&format!("serial@{:x}", cfg.uart_base))?;
    fdt.property_string("compatible", "ns16550a")?;
    fdt.property_array_u64("reg", &[cfg.uart_base, crate::uart::UART_MMIO_SIZE])?;
    fdt.property_u32("clock-frequency", cfg.uart_clock)?;
    wired_interrupt(&mut fdt, &ctx, UART_IRQ)?;
    fdt.end_node(serial)?;

    if let Some(base) = cfg.rtc_base {
        let rtc = fdt.begin_node(&format!("rtc@{base:x}"))?;
        fdt.property_string("compatible", "google,goldfish-rtc")?;
        fdt.property_array_u64("reg", &[base, RTC_SIZE])?;
        wired_interrupt(&mut fdt, &ctx, RTC_IRQ)?;
        fdt.end_node(rtc)?;
    }

    let mut slots = cfg.virtio_slots.clone();
    slots.sort_unstable();
    slots.dedup();
    for slot in slots {
        let base = VIRTIO_BASE + u64::from(slot) * VIRTIO_STRIDE;
        let node = fdt.begin_node(&format!("virtio_mmio@{base:x}"))?;
        fdt.property_string("compatible", "virtio,mmio")?;
        fdt.property_array_u64("reg", &[base, VIRTIO_STRIDE])?;
        wired_interrupt(&mut fdt, &ctx, VIRTIO_IRQ_BASE + slot)?;
        fdt.end_node(node)?;
    }

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
        fdt.property_u32("regmap", ph.test)?;
        fdt.property_u32("offset", 0)?;
        fdt.property_u32("value", value)?;
        fdt.end_node(node)?;
    }

    fdt.end_node(root)?;
    Ok(fdt.finish()?)
}

/// Rejects idle states Linux would refuse: names that are not node names
/// and reserved SBI suspend types.
fn check_idle_states(states: &[IdleState]) -> Result<(), FdtError> {
    for (i, s) in states.iter().enumerate() {
        let name_ok = !s.name.is_empty()
            && s.name.len() <= 31
            && s.name.bytes().all(|b| b.is_ascii_alphanumeric() || b",._+-".contains(&b));
        if !name_ok {
            return Err(FdtError::BadIdleState(format!("{:?} is not a valid node name", s.name)));
        }
        if states[..i].iter().any(|o| o.name == s.name) {
            return Err(FdtError::BadIdleState(format!("two states are named {:?}", s.name)));
        }
        if !IdleState::param_is_valid(s.suspend_param) {
            return Err(FdtError::BadIdleState(format!(
                "{}: suspend type {:#x} is reserved by the SBI spec",
                s.name, s.suspend_param
            )));
        }
    }
    Ok(())
}

fn write_chosen(fdt: &mut FdtWriter, cfg: &FdtConfig) -> Result<(), FdtError> {
    let chosen = fdt.begin_node("chosen")?;
    fdt.property_string("stdout-path", &format!("/soc/serial@{:x}", cfg.uart_base))?;
    if let Some(args) = &cfg.bootargs {
        fdt.property_string("bootargs", args)?;
    }
    if let Some((start, end)) = cfg.initrd {
        fdt.property_u64("linux,initrd-start", start)?;
        fdt.property_u64("linux,initrd-end", end)?;
    }
    if let Some(seed) = &cfg.rng_seed {
        fdt.property("rng-seed", seed)?;
    }
    fdt.end_node(chosen)?;
    Ok(())
}

fn write_cpus(
    fdt: &mut FdtWriter,
    cfg: &FdtConfig,
    ctx: &FdtContext,
    ph: &Phandles,
    extensions: &[String],
) -> Result<(), FdtError> {
    let isa = isa_string(cfg.xlen, extensions);
    let cpus = fdt.begin_node("cpus")?;
    fdt.property_u32("#address-cells", 1)?;
    fdt.property_u32("#size-cells", 0)?;
    fdt.property_u32("timebase-frequency", cfg.timebase_frequency)?;
    for (hart, (&intc_phandle, &cpu_phandle)) in ctx.cpu_intc_phandles.iter().zip(&ph.cpus).enumerate() {
        let cpu = fdt.begin_node(&format!("cpu@{hart:x}"))?;
        fdt.property_string("device_type", "cpu")?;
        fdt.property_u32("reg", hart as u32)?;
        fdt.property_string("status", "okay")?;
        fdt.property_string("compatible", "riscv")?;
        fdt.property_string("riscv,isa", &isa)?;
        fdt.property_string("riscv,isa-base", &format!("rv{}i", cfg.xlen))?;
        fdt.property_string_list("riscv,isa-extensions", extensions.to_vec())?;
        fdt.property_string("mmu-type", cfg.mmu_type)?;
        if !ph.idle.is_empty() {
            fdt.property_array_u32("cpu-idle-states", &ph.idle)?;
        }
        fdt.property_phandle(cpu_phandle)?;
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

    // Linux builds its CPU topology from cpu-map; without one every hart
    // is its own package.
    let map = fdt.begin_node("cpu-map")?;
    let cluster = fdt.begin_node("cluster0")?;
    for (hart, &cpu_phandle) in ph.cpus.iter().enumerate() {
        let core = fdt.begin_node(&format!("core{hart}"))?;
        fdt.property_u32("cpu", cpu_phandle)?;
        fdt.end_node(core)?;
    }
    fdt.end_node(cluster)?;
    fdt.end_node(map)?;

    if !cfg.idle_states.is_empty() {
        let idle = fdt.begin_node("idle-states")?;
        for (state, &phandle) in cfg.idle_states.iter().zip(&ph.idle) {
            let node = fdt.begin_node(&state.name)?;
            fdt.property_string("compatible", "riscv,idle-state")?;
            fdt.property_u32("riscv,sbi-suspend-param", state.suspend_param)?;
            if state.local_timer_stop {
                fdt.property_null("local-timer-stop")?;
            }
            fdt.property_u32("entry-latency-us", state.entry_latency_us)?;
            fdt.property_u32("exit-latency-us", state.exit_latency_us)?;
            fdt.property_u32("min-residency-us", state.min_residency_us)?;
            fdt.property_phandle(phandle)?;
            fdt.end_node(node)?;
        }
        fdt.end_node(idle)?;
    }
    fdt.end_node(cpus)?;
    Ok(())
}

fn write_plic(fdt: &mut FdtWriter, plic: &PlicConfig, phandle: u32, intcs: &[u32]) -> Result<(), FdtError> {
    let node = fdt.begin_node(&format!("plic@{:x}", plic.base))?;
    fdt.property_string_list("compatible", vec!["sifive,plic-1.0.0".into(), "riscv,plic0".into()])?;
    fdt.property_array_u64("reg", &[plic.base, PLIC_SIZE])?;
    fdt.property_u32("#address-cells", 0)?;
    fdt.property_u32("#interrupt-cells", 1)?;
    fdt.property_null("interrupt-controller")?;
    fdt.property_u32("riscv,ndev", plic.ndev)?;
    let m_irq = match plic.m_contexts {
        PlicMContexts::Wired => IRQ_M_EXT,
        PlicMContexts::Hidden => IRQ_ABSENT,
    };
    let contexts: Vec<u32> = intcs.iter().flat_map(|&p| [p, m_irq, p, IRQ_S_EXT]).collect();
    fdt.property_array_u32("interrupts-extended", &contexts)?;
    fdt.property_phandle(phandle)?;
    fdt.end_node(node)?;
    Ok(())
}

/// `interrupt-parent` + `interrupts` of a device wired to the PLIC, when
/// there is an interrupt controller to reference.
fn wired_interrupt(fdt: &mut FdtWriter, ctx: &FdtContext, irq: u32) -> Result<(), FdtError> {
    if let Some(parent) = ctx.interrupt_parent {
        fdt.property_u32("interrupt-parent", parent)?;
        fdt.property_u32("interrupts", irq)?;
    }
    Ok(())
}
