//! The devices of the `virt` machine and their interrupt wiring: PLIC
//! outputs to the harts' MEIP/SEIP, the UART, RTC and virtio-mmio
//! transports on PLIC sources (DESIGN.md's memory map).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use hartvm_devices::irq::PlicLine;
use hartvm_devices::mmio::{MmioBus, MmioDevice};
use hartvm_devices::plic::{Plic, PlicBackend, PrivMode, PLIC_BASE, PLIC_MMIO_SIZE};
use hartvm_devices::rtc::{Rtc, RTC_BASE, RTC_IRQ, RTC_MMIO_SIZE};
use hartvm_devices::test_finisher::TestFinisher;
use hartvm_devices::uart::Uart;
use hartvm_devices::virtio::blk::Block;
use hartvm_devices::virtio::mmio::VirtioMmio;
use hartvm_devices::virtio::rng::Rng;
use hartvm_devices::virtio::{self, MemError, VirtioDevice, VIRTIO_MMIO_SIZE};
use hartvm_runtime::Vm;

use crate::cli::Drive;
use crate::console::{Console, ConsoleInput};

/// Device addresses of the QEMU `virt` machine (DESIGN.md).
pub mod map {
    /// Test finisher / syscon.
    pub const FINISHER: (u64, u64) = (0x10_0000, 0x1000);
    /// Goldfish RTC.
    pub const RTC: (u64, u64) = (super::RTC_BASE, super::RTC_MMIO_SIZE);
    /// CLINT / ACLINT.
    pub const CLINT: (u64, u64) = (0x200_0000, 0x1_0000);
    /// PLIC.
    pub const PLIC: (u64, u64) = (super::PLIC_BASE, super::PLIC_MMIO_SIZE);
    /// ns16550a UART0.
    pub const UART0: (u64, u64) = (0x1000_0000, 0x100);
    /// The eight virtio-mmio slots.
    pub const VIRTIO: (u64, u64) = (super::virtio::VIRTIO_MMIO_BASE, 8 * super::VIRTIO_MMIO_SIZE);
    /// UART0's PLIC source.
    pub const UART0_IRQ: u32 = 10;

    /// Every MMIO range, for the runtime (accesses there exit to the VMM).
    pub const REGIONS: [(u64, u64); 6] = [FINISHER, RTC, CLINT, PLIC, UART0, VIRTIO];
}

/// What devices a machine gets besides the fixed ones.
#[derive(Clone, Debug, Default)]
pub struct DeviceConfig {
    /// virtio-blk disks, in slot order.
    pub drives: Vec<Drive>,
    /// A virtio-rng fed from host entropy.
    pub rng: bool,
    /// A virtio-console (`hvc0`) on the host console, which then takes the
    /// console input instead of the UART.
    pub virtio_console: bool,
}

/// The device set of one boot (rebuilt at every reboot).
pub struct VirtDevices {
    /// Address → device.
    pub bus: MmioBus,
    /// Poweroff / reset / fail requests.
    pub finisher: Arc<TestFinisher>,
    /// The RTC, whose alarm the VMM polls.
    pub rtc: Arc<Rtc>,
    /// Populated virtio-mmio slots (for the device tree).
    pub virtio_slots: Vec<u32>,
    uart: Arc<ConsoleUart>,
}

/// The PLIC's outputs are the harts' external-interrupt lines.
struct HartLines(Vm);

impl PlicBackend for HartLines {
    fn set_external(&self, hart: usize, mode: PrivMode, level: bool) {
        match mode {
            PrivMode::Machine => self.0.set_meip(hart, level),
            PrivMode::Supervisor => self.0.set_seip(hart, level),
        }
    }
}

/// Guest RAM as virtio devices see it.
struct VirtioRam(Vm);

impl virtio::GuestMemory for VirtioRam {
    fn read(&self, addr: u64, buf: &mut [u8]) -> Result<(), MemError> {
        match self.0.memory().read(addr, buf) {
            true => Ok(()),
            false => Err(MemError { addr, len: buf.len() as u64 }),
        }
    }
    fn write(&self, addr: u64, buf: &[u8]) -> Result<(), MemError> {
        match self.0.memory().write(addr, buf) {
            true => Ok(()),
            false => Err(MemError { addr, len: buf.len() as u64 }),
        }
    }
}

/// The UART with its interrupt line kept up to date. Unless another
/// device owns console input, input is handed to it once the guest uses
/// it at all; a guest that never touches the UART (one using the SBI
/// console) leaves input to the SBI getchar.
struct ConsoleUart {
    uart: Uart,
    line: PlicLine,
    /// Console input, when the UART is where it goes.
    input: Option<ConsoleInput>,
    used: AtomicBool,
    /// Held across a register access and the line update it causes: two
    /// harts (or the input thread) updating the line from states sampled
    /// in the other order would leave it low with an interrupt pending,
    /// and the 8250 driver's output would stall.
    access: Mutex<()>,
}

impl ConsoleUart {
    fn take_input(&self) {
        let bytes = self.input.as_ref().map(ConsoleInput::take_all).unwrap_or_default();
        if !bytes.is_empty() {
            self.uart.push_input(&bytes);
        }
    }

    fn locked<R>(&self, f: impl FnOnce() -> R) -> R {
        let _guard = self.access.lock().unwrap_or_else(|e| e.into_inner());
        self.used.store(true, Ordering::Release);
        self.take_input();
        let result = f();
        self.uart.update_irq(&self.line);
        result
    }
}

impl MmioDevice for ConsoleUart {
    fn read(&self, offset: u64, data: &mut [u8]) {
        self.locked(|| self.uart.read(offset, data))
    }
    fn write(&self, offset: u64, data: &[u8]) {
        self.locked(|| self.uart.write(offset, data))
    }
}

impl VirtDevices {
    /// Builds the devices of a fresh machine over `vm`.
    pub fn new(vm: &Vm, console: &Console, input: &ConsoleInput, config: &DeviceConfig) -> Result<VirtDevices> {
        let plic = Arc::new(Plic::new(vm.num_harts(), Arc::new(HartLines(vm.clone())))?);
        let finisher = Arc::new(TestFinisher::new());
        let rtc = Arc::new(Rtc::new(Arc::new(PlicLine::new(plic.clone(), RTC_IRQ))));
        let uart = Arc::new(ConsoleUart {
            uart: Uart::new(Box::new(console.clone())),
            line: PlicLine::new(plic.clone(), map::UART0_IRQ),
            input: (!config.virtio_console).then(|| input.clone()),
            used: AtomicBool::new(false),
            access: Mutex::new(()),
        });
        let mut bus = MmioBus::new();
        bus.insert(map::FINISHER.0, map::FINISHER.1, finisher.clone())?;
        bus.insert(map::RTC.0, map::RTC.1, rtc.clone())?;
        bus.insert(map::CLINT.0, map::CLINT.1, crate::clint::clint_for(vm))?;
        bus.insert(map::PLIC.0, map::PLIC.1, plic.clone())?;
        bus.insert(map::UART0.0, map::UART0.1, uart.clone())?;
        let virtio_slots = virtio_slots(vm, &plic, &mut bus, console, input, config)?;
        if !config.virtio_console {
            let uart = Arc::downgrade(&uart);
            input.set_notify(move || {
                if let Some(uart) = uart.upgrade().filter(|u| u.used.load(Ordering::Acquire)) {
                    uart.locked(|| ());
                }
            });
        }
        Ok(VirtDevices { bus, finisher, rtc, virtio_slots, uart })
    }

    /// Writes out console output the UART still holds.
    pub fn flush(&self) {
        self.uart.uart.flush();
    }

    /// Lets timed devices act; how long until one needs to again.
    pub fn poll(&self) -> Option<Duration> {
        self.rtc.poll()
    }
}

/// Puts the virtio devices on the bus, slot after slot: disks, the rng,
/// then the console (which takes console input); returns the slots used.
fn virtio_slots(
    vm: &Vm,
    plic: &Arc<Plic>,
    bus: &mut MmioBus,
    console: &Console,
    input: &ConsoleInput,
    config: &DeviceConfig,
) -> Result<Vec<u32>> {
    let mut devices: Vec<Box<dyn VirtioDevice>> = Vec::new();
    for drive in &config.drives {
        devices.push(Box::new(Block::open(&drive.path, drive.readonly)?));
    }
    if config.rng {
        devices.push(Box::new(Rng::new().context("virtio-rng: cannot open the host's entropy source")?));
    }
    let hvc = config.virtio_console.then(|| virtio::console::Console::new(Box::new(console.clone())));
    let hvc_input = hvc.as_ref().map(|c| c.input());
    devices.extend(hvc.map(|c| Box::new(c) as Box<dyn VirtioDevice>));
    if devices.len() > virtio::VIRTIO_MMIO_SLOTS {
        anyhow::bail!(
            "too many virtio devices: {} (the machine has {} slots)",
            devices.len(),
            virtio::VIRTIO_MMIO_SLOTS
        );
    }
    let mut last = None;
    let slots = devices.len();
    for (slot, device) in devices.into_iter().enumerate() {
        let irq = Arc::new(PlicLine::new(plic.clone(), virtio::slot_irq(slot)));
        let transport = Arc::new(VirtioMmio::new(device, Arc::new(VirtioRam(vm.clone())), irq));
        bus.insert(virtio::slot_base(slot), VIRTIO_MMIO_SIZE, transport.clone())?;
        last = Some(transport);
    }
    if let (Some(hvc_input), Some(transport)) = (hvc_input, last) {
        let (feed, transport) = (input.clone(), Arc::downgrade(&transport));
        input.set_notify(move || {
            if let Some(transport) = transport.upgrade() {
                hvc_input.push(&feed.take_all());
                transport.process_queue(virtio::console::RX_QUEUE);
            }
        });
    }
    Ok((0..slots as u32).collect())
}
