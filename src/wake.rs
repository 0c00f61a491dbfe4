//! Waking a suspended guest (SBI SUSP): after `--wake-after`, on console
//! input, or on SIGUSR1.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::console::ConsoleInput;

/// Set by the SIGUSR1 handler, consumed by a waiting VMM.
static SIGUSR1_SEEN: AtomicBool = AtomicBool::new(false);

/// How often a suspended machine looks at its wake-up sources.
const POLL: Duration = Duration::from_millis(5);

extern "C" fn on_sigusr1(_: libc::c_int) {
    SIGUSR1_SEEN.store(true, Ordering::SeqCst);
}

/// Makes SIGUSR1 a wake-up request instead of the default (terminate).
pub fn catch_sigusr1() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe; the sigaction struct is fully initialized.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigusr1 as *const () as usize;
            action.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut());
        }
    });
}

/// Why a suspended guest woke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeReason {
    /// `--wake-after` elapsed.
    Timer,
    /// Console input arrived.
    Input,
    /// SIGUSR1.
    Signal,
    /// The run ended meanwhile (e.g. `--timeout`).
    Abandoned,
}

/// Waits for a wake-up source, or until `give_up()` says the run ended.
pub fn wait(wake_after: Option<Duration>, input: &ConsoleInput, give_up: impl Fn() -> bool) -> WakeReason {
    SIGUSR1_SEEN.store(false, Ordering::SeqCst);
    let deadline = wake_after.map(|d| Instant::now() + d);
    loop {
        if SIGUSR1_SEEN.swap(false, Ordering::SeqCst) {
            return WakeReason::Signal;
        }
        if input.has_input() {
            return WakeReason::Input;
        }
        if give_up() {
            return WakeReason::Abandoned;
        }
        let now = Instant::now();
        match deadline {
            Some(d) if now >= d => return WakeReason::Timer,
            Some(d) => std::thread::sleep(POLL.min(d - now)),
            None => std::thread::sleep(POLL),
        }
    }
}
