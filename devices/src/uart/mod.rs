//! ns16550a UART (8-bit registers at offsets 0..8, register shift 0).
//!
//! Transmitted bytes go to an output sink, received bytes come from an
//! input queue the VMM fills with [`Uart::push_input`]. The transmitter is
//! infinitely fast: THR is always empty again right after a write, so LSR
//! always shows THRE and TEMT. The interrupt line is a level,
//! [`Uart::interrupt_pending`], that the VMM forwards to its interrupt
//! controller after MMIO accesses and after pushing input.
//!
//! Output is buffered and flushed to the sink at a newline, when the buffer
//! grows large, when output has waited for a while, when the guest polls
//! LSR with no input pending (a polled `getchar` loop), and whenever the
//! VMM calls [`Uart::flush`] — it should do so when a vCPU goes idle (WFI)
//! so that prompts without a newline appear.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::irq::IrqLine;
use crate::mmio::MmioDevice;

#[cfg(test)]
mod tests;

/// Size of the UART's MMIO window on the `virt` machine.
pub const UART_MMIO_SIZE: u64 = 0x100;
/// Input clock of the `virt` machine's UART (the `clock-frequency` in the DT).
pub const UART_CLOCK_HZ: u32 = 3_686_400;

// Register offsets (DLAB = 0 unless noted).
const RBR_THR_DLL: u64 = 0;
const IER_DLM: u64 = 1;
const IIR_FCR: u64 = 2;
const LCR: u64 = 3;
const MCR: u64 = 4;
const LSR: u64 = 5;
const MSR: u64 = 6;
const SCR: u64 = 7;

/// IER: received data available interrupt enable.
pub const IER_ERBFI: u8 = 0x01;
/// IER: transmitter holding register empty interrupt enable.
pub const IER_ETBEI: u8 = 0x02;
/// IER: receiver line status interrupt enable.
pub const IER_ELSI: u8 = 0x04;
/// IER: modem status interrupt enable.
pub const IER_EDSSI: u8 = 0x08;

/// IIR: no interrupt pending.
pub const IIR_NO_INT: u8 = 0x01;
/// IIR: transmitter holding register empty.
pub const IIR_THRE: u8 = 0x02;
/// IIR: received data available.
pub const IIR_RDA: u8 = 0x04;
/// IIR: FIFOs enabled (bits 7:6).
pub const IIR_FIFO_ENABLED: u8 = 0xc0;

/// FCR: enable FIFOs.
pub const FCR_ENABLE: u8 = 0x01;
/// FCR: clear the receive FIFO.
pub const FCR_CLEAR_RX: u8 = 0x02;
/// FCR: clear the transmit FIFO.
pub const FCR_CLEAR_TX: u8 = 0x04;

/// LCR: divisor latch access bit.
pub const LCR_DLAB: u8 = 0x80;

/// MCR: loopback mode.
pub const MCR_LOOP: u8 = 0x10;

/// LSR: data ready.
pub const LSR_DR: u8 = 0x01;
/// LSR: transmitter holding register empty.
pub const LSR_THRE: u8 = 0x20;
/// LSR: transmitter empty.
pub const LSR_TEMT: u8 = 0x40;

/// MSR: clear to send.
pub const MSR_CTS: u8 = 0x10;
/// MSR: data set ready.
pub const MSR_DSR: u8 = 0x20;
/// MSR: ring indicator.
pub const MSR_RI: u8 = 0x40;
/// MSR: data carrier detect.
pub const MSR_DCD: u8 = 0x80;

const FLUSH_THRESHOLD: usize = 4096;
const FLUSH_INTERVAL: Duration = Duration::from_millis(20);

struct State {
    ier: u8,
    lcr: u8,
    mcr: u8,
    scr: u8,
    dll: u8,
    dlm: u8,
    fifo_enabled: bool,
    /// The THRE interrupt is pending (16550 rules: raised when THR becomes
    /// empty or ETBEI is enabled while it is, cleared by reading IIR while it
    /// is the identified source, or by writing THR).
    thre_pending: bool,
    /// Modem status delta bits (MSR 3:0), only ever set in loopback mode.
    msr_delta: u8,
    input: VecDeque<u8>,
    out_buf: Vec<u8>,
    last_flush: Instant,
    sink: Box<dyn Write + Send>,
}

impl State {
    fn loopback(&self) -> bool {
        self.mcr & MCR_LOOP != 0
    }

    fn dlab(&self) -> bool {
        self.lcr & LCR_DLAB != 0
    }

    fn msr_lines(&self) -> u8 {
        if self.loopback() {
            // DTR → DSR, RTS → CTS, OUT1 → RI, OUT2 → DCD.
            let m = self.mcr;
            ((m & 0x01) << 5) | ((m & 0x02) << 3) | ((m & 0x04) << 4) | ((m & 0x08) << 4)
        } else {
            // A terminal is always attached.
            MSR_DCD | MSR_DSR | MSR_CTS
        }
    }

    /// The highest-priority pending interrupt source, as IIR bits 3:0.
    fn iir_id(&self) -> u8 {
        if self.ier & IER_ERBFI != 0 && !self.input.is_empty() {
            IIR_RDA
        } else if self.ier & IER_ETBEI != 0 && self.thre_pending {
            IIR_THRE
        } else if self.ier & IER_EDSSI != 0 && self.msr_delta != 0 {
            0x00
        } else {
            IIR_NO_INT
        }
    }

    fn transmit(&mut self, byte: u8) {
        if self.loopback() {
            self.input.push_back(byte);
        } else {
            self.out_buf.push(byte);
            if byte == b'\n' || self.out_buf.len() >= FLUSH_THRESHOLD || self.last_flush.elapsed() >= FLUSH_INTERVAL {
                self.flush();
            }
        }
        // THR empties at once.
        self.thre_pending = true;
    }

    fn flush(&mut self) {
        if !self.out_buf.is_empty() {
            // A broken sink must not take the guest down: drop the output.
            let _ = self.sink.write_all(&self.out_buf);
            self.out_buf.clear();
        }
        let _ = self.sink.flush();
        self.last_flush = Instant::now();
    }

    fn read_reg(&mut self, reg: u64) -> u8 {
        match reg {
            RBR_THR_DLL if self.dlab() => self.dll,
            RBR_THR_DLL => self.input.pop_front().unwrap_or(0),
            IER_DLM if self.dlab() => self.dlm,
            IER_DLM => self.ier,
            IIR_FCR => {
                let id = self.iir_id();
                if id == IIR_THRE {
                    self.thre_pending = false;
                }
                id | if self.fifo_enabled { IIR_FIFO_ENABLED } else { 0 }
            }
            LCR => self.lcr,
            MCR => self.mcr,
            LSR => {
                let dr = !self.input.is_empty();
                if !dr && !self.out_buf.is_empty() {
                    // The guest is polling for input: show what it printed.
                    self.flush();
                }
                LSR_THRE | LSR_TEMT | if dr { LSR_DR } else { 0 }
            }
            MSR => {
                let v = self.msr_lines() | self.msr_delta;
                self.msr_delta = 0;
                v
            }
            SCR => self.scr,
            _ => 0,
        }
    }

    fn write_reg(&mut self, reg: u64, v: u8) {
        match reg {
            RBR_THR_DLL if self.dlab() => self.dll = v,
            RBR_THR_DLL => self.transmit(v),
            IER_DLM if self.dlab() => self.dlm = v,
            IER_DLM => {
                let old = self.ier;
                self.ier = v & 0x0f;
                if old & IER_ETBEI == 0 && self.ier & IER_ETBEI != 0 {
                    // Enabling ETBEI while THR is empty raises THRE.
                    self.thre_pending = true;
                }
            }
            IIR_FCR => {
                self.fifo_enabled = v & FCR_ENABLE != 0;
                if v & FCR_CLEAR_RX != 0 {
                    self.input.clear();
                }
            }
            LCR => self.lcr = v,
            MCR => {
                let old_lines = self.msr_lines();
                self.mcr = v & 0x1f;
                if self.loopback() {
                    // Delta bits: DCTS, DDSR, TERI (RI went low), DDCD.
                    let new_lines = self.msr_lines();
                    let changed = old_lines ^ new_lines;
                    let mut delta = (changed >> 4) & 0x0b;
                    if old_lines & MSR_RI != 0 && new_lines & MSR_RI == 0 {
                        delta |= 0x04;
                    }
                    self.msr_delta |= delta;
                }
            }
            SCR => self.scr = v,
            // LSR and MSR are read-only (factory test writes ignored).
            _ => {}
        }
    }
}

/// An ns16550a UART.
///
/// ```
/// use hartvm_devices::mmio::MmioDevice;
/// use hartvm_devices::uart::Uart;
/// use std::io::Write;
/// use std::sync::{Arc, Mutex};
///
/// #[derive(Clone, Default)]
/// struct Capture(Arc<Mutex<Vec<u8>>>);
/// impl Write for Capture {
///     fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
///         self.0.lock().unwrap().extend_from_slice(b);
///         Ok(b.len())
///     }
///     fn flush(&mut self) -> std::io::Result<()> { Ok(()) }
/// }
///
/// let out = Capture::default();
/// let uart = Uart::new(Box::new(out.clone()));
/// for &b in b"hi\n" {
///     uart.write(0, &[b]); // THR
/// }
/// assert_eq!(&*out.0.lock().unwrap(), b"hi\n");
///
/// uart.push_input(b"x");
/// let mut lsr = [0u8];
/// uart.read(5, &mut lsr);
/// assert_eq!(lsr[0] & 1, 1); // data ready
/// let mut rbr = [0u8];
/// uart.read(0, &mut rbr);
/// assert_eq!(rbr[0], b'x');
/// ```
pub struct Uart {
    state: Mutex<State>,
}

impl std::fmt::Debug for Uart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.lock();
        f.debug_struct("Uart")
            .field("ier", &s.ier)
            .field("lcr", &s.lcr)
            .field("mcr", &s.mcr)
            .field("input_len", &s.input.len())
            .finish_non_exhaustive()
    }
}

impl Uart {
    /// Creates a UART in its reset state that transmits to `sink`.
    pub fn new(sink: Box<dyn Write + Send>) -> Self {
        Uart {
            state: Mutex::new(State {
                ier: 0,
                lcr: 0,
                mcr: 0,
                scr: 0,
                dll: 0,
                dlm: 0,
                fifo_enabled: false,
                thre_pending: false,
                msr_delta: 0,
                input: VecDeque::new(),
                out_buf: Vec::new(),
                last_flush: Instant::now(),
                sink,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves consistent state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues bytes the guest will read from RBR (console input).
    pub fn push_input(&self, bytes: &[u8]) {
        self.lock().input.extend(bytes);
    }

    /// Number of received bytes the guest has not read yet.
    pub fn pending_input(&self) -> usize {
        self.lock().input.len()
    }

    /// Writes buffered output to the sink and flushes the sink.
    pub fn flush(&self) {
        self.lock().flush();
    }

    /// Level of the UART's interrupt line: received data available with
    /// IER.ERBFI, THR empty with IER.ETBEI (until IIR is read or THR is
    /// written), or a modem status change with IER.EDSSI.
    pub fn interrupt_pending(&self) -> bool {
        self.lock().iir_id() != IIR_NO_INT
    }

    /// Drives `line` with [`Uart::interrupt_pending`]; the VMM calls it
    /// after MMIO accesses to the UART and after [`Uart::push_input`].
    ///
    /// ```
    /// use hartvm_devices::irq::LevelCell;
    /// use hartvm_devices::mmio::MmioDevice;
    /// use hartvm_devices::uart::Uart;
    ///
    /// let uart = Uart::new(Box::new(std::io::sink()));
    /// let line = LevelCell::default();
    /// uart.write(1, &[1]); // IER: received data available
    /// uart.push_input(b"x");
    /// uart.update_irq(&line);
    /// assert!(line.level());
    /// ```
    pub fn update_irq(&self, line: &dyn IrqLine) {
        line.set_level(self.interrupt_pending());
    }
}

impl MmioDevice for Uart {
    fn read(&self, offset: u64, data: &mut [u8]) {
        data.fill(0);
        if data.len() == 1 && offset < 8 {
            data[0] = self.lock().read_reg(offset);
        }
    }

    fn write(&self, offset: u64, data: &[u8]) {
        if data.len() == 1 && offset < 8 {
            self.lock().write_reg(offset, data[0]);
        }
    }
}

impl Drop for Uart {
    fn drop(&mut self) {
        self.lock().flush();
    }
}
