use super::*;
use std::sync::Arc;

#[derive(Clone, Default)]
struct Capture {
    data: Arc<Mutex<Vec<u8>>>,
    flushes: Arc<Mutex<usize>>,
}

impl Write for Capture {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.data.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        *self.flushes.lock().unwrap() += 1;
        Ok(())
    }
}

impl Capture {
    fn text(&self) -> Vec<u8> {
        self.data.lock().unwrap().clone()
    }
}

fn uart() -> (Uart, Capture) {
    let c = Capture::default();
    (Uart::new(Box::new(c.clone())), c)
}

fn rd(u: &Uart, reg: u64) -> u8 {
    let mut b = [0xaa];
    u.read(reg, &mut b);
    b[0]
}

fn wr(u: &Uart, reg: u64, v: u8) {
    u.write(reg, &[v]);
}

#[test]
fn output_is_flushed_at_newline_and_on_demand() {
    let (u, c) = uart();
    for &b in b"ab" {
        wr(&u, 0, b);
    }
    assert_eq!(c.text(), b"");
    wr(&u, 0, b'\n');
    assert_eq!(c.text(), b"ab\n");
    wr(&u, 0, b'$');
    u.flush();
    assert_eq!(c.text(), b"ab\n$");
}

#[test]
fn polling_lsr_without_input_flushes_a_prompt() {
    let (u, c) = uart();
    for &b in b"login: " {
        wr(&u, 0, b);
    }
    assert_eq!(rd(&u, LSR), LSR_THRE | LSR_TEMT);
    assert_eq!(c.text(), b"login: ");
}

#[test]
fn drop_flushes() {
    let (u, c) = uart();
    wr(&u, 0, b'z');
    drop(u);
    assert_eq!(c.text(), b"z");
}

#[test]
fn broken_sink_is_harmless() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("gone"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::other("gone"))
        }
    }
    let u = Uart::new(Box::new(Broken));
    wr(&u, 0, b'\n');
    u.flush();
}

#[test]
fn input_queue_and_lsr() {
    let (u, _) = uart();
    assert_eq!(rd(&u, LSR) & LSR_DR, 0);
    assert_eq!(rd(&u, 0), 0); // empty RBR reads 0
    u.push_input(b"ok");
    assert_eq!(u.pending_input(), 2);
    assert_eq!(rd(&u, LSR), LSR_DR | LSR_THRE | LSR_TEMT);
    assert_eq!(rd(&u, 0), b'o');
    assert_eq!(rd(&u, 0), b'k');
    assert_eq!(rd(&u, LSR) & LSR_DR, 0);
}

#[test]
fn dlab_switches_divisor_latch() {
    let (u, c) = uart();
    wr(&u, IER_DLM, IER_ERBFI);
    wr(&u, LCR, LCR_DLAB | 0x03);
    wr(&u, 0, 0x01); // DLL, not THR
    wr(&u, 1, 0x02); // DLM, not IER
    assert_eq!(rd(&u, 0), 0x01);
    assert_eq!(rd(&u, 1), 0x02);
    assert_eq!(rd(&u, LCR), LCR_DLAB | 0x03);
    wr(&u, LCR, 0x03);
    assert_eq!(rd(&u, 1), IER_ERBFI);
    u.flush();
    assert_eq!(c.text(), b"");
}

#[test]
fn scratch_mcr_read_back_and_bad_accesses() {
    let (u, _) = uart();
    wr(&u, SCR, 0x5a);
    assert_eq!(rd(&u, SCR), 0x5a);
    wr(&u, MCR, 0x0b);
    assert_eq!(rd(&u, MCR), 0x0b);
    // Wrong size or offset: ignored, reads zero.
    u.write(SCR, &[1, 2]);
    assert_eq!(rd(&u, SCR), 0x5a);
    let mut b = [0xff; 4];
    u.read(SCR, &mut b);
    assert_eq!(b, [0; 4]);
    u.write(8, &[1]);
    u.write(u64::MAX, &[1]);
    assert_eq!(rd(&u, 0x20), 0);
    u.read(0, &mut []);
    u.write(0, &[]);
}

#[test]
fn rx_interrupt_level() {
    let (u, _) = uart();
    u.push_input(b"a");
    assert!(!u.interrupt_pending(), "IER disabled");
    assert_eq!(rd(&u, IIR_FCR), IIR_NO_INT);
    wr(&u, IER_DLM, IER_ERBFI);
    assert!(u.interrupt_pending());
    assert_eq!(rd(&u, IIR_FCR), IIR_RDA);
    // Reading IIR does not clear RDA; reading the data does.
    assert!(u.interrupt_pending());
    rd(&u, 0);
    assert!(!u.interrupt_pending());
    assert_eq!(rd(&u, IIR_FCR), IIR_NO_INT);
}

#[test]
fn thre_interrupt_follows_16550_rules() {
    let (u, _) = uart();
    assert!(!u.interrupt_pending());
    // Enabling ETBEI with an empty THR raises the interrupt.
    wr(&u, IER_DLM, IER_ETBEI);
    assert!(u.interrupt_pending());
    // Reading IIR identifies and clears it.
    assert_eq!(rd(&u, IIR_FCR), IIR_THRE);
    assert!(!u.interrupt_pending());
    assert_eq!(rd(&u, IIR_FCR), IIR_NO_INT);
    // A transmitted byte empties THR again: raised again.
    wr(&u, 0, b'x');
    assert!(u.interrupt_pending());
    // Disabling ETBEI lowers the line; re-enabling raises it again.
    wr(&u, IER_DLM, 0);
    assert!(!u.interrupt_pending());
    rd(&u, IIR_FCR);
    wr(&u, IER_DLM, IER_ETBEI);
    assert!(u.interrupt_pending());
}

#[test]
fn rx_has_priority_over_thre() {
    let (u, _) = uart();
    wr(&u, IER_DLM, IER_ETBEI | IER_ERBFI);
    u.push_input(b"q");
    assert_eq!(rd(&u, IIR_FCR), IIR_RDA);
    rd(&u, 0);
    assert_eq!(rd(&u, IIR_FCR), IIR_THRE);
    assert_eq!(rd(&u, IIR_FCR), IIR_NO_INT);
}

#[test]
fn fcr_fifo_bits_and_clear() {
    let (u, _) = uart();
    assert_eq!(rd(&u, IIR_FCR) & IIR_FIFO_ENABLED, 0);
    wr(&u, IIR_FCR, FCR_ENABLE);
    assert_eq!(rd(&u, IIR_FCR), IIR_FIFO_ENABLED | IIR_NO_INT);
    u.push_input(b"junk");
    wr(&u, IIR_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
    assert_eq!(u.pending_input(), 0);
    wr(&u, IIR_FCR, 0);
    assert_eq!(rd(&u, IIR_FCR), IIR_NO_INT);
}

#[test]
fn loopback_routes_tx_to_rx_and_mirrors_modem_lines() {
    let (u, c) = uart();
    assert_eq!(rd(&u, MSR), MSR_DCD | MSR_DSR | MSR_CTS);
    wr(&u, MCR, MCR_LOOP);
    wr(&u, 0, b'L');
    u.flush();
    assert_eq!(c.text(), b"");
    assert_eq!(rd(&u, LSR) & LSR_DR, LSR_DR);
    assert_eq!(rd(&u, 0), b'L');
    rd(&u, MSR); // clear deltas
    wr(&u, MCR, MCR_LOOP | 0x0f); // DTR RTS OUT1 OUT2
    assert_eq!(rd(&u, MSR), 0xf0 | 0x0b);
    assert_eq!(rd(&u, MSR), 0xf0);
    wr(&u, MCR, MCR_LOOP);
    assert_eq!(rd(&u, MSR), 0x0f); // all lines fell, RI trailing edge
}

#[test]
fn shared_between_threads() {
    let (u, c) = uart();
    let u = Arc::new(u);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let u = u.clone();
            std::thread::spawn(move || {
                for _ in 0..100 {
                    u.write(0, b"x");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    u.flush();
    assert_eq!(c.text().len(), 400);
    assert!(*c.flushes.lock().unwrap() >= 1);
}
