//! The CLINT device model over the runtime's timer and software-interrupt lines.

use std::sync::Arc;

use hartvm_devices::clint::{Clint, ClintBackend};
use hartvm_devices::mmio::MmioDevice;
use hartvm_runtime::Vm;

/// The hart timers and msip lines live in the runtime (like KVM's vCPU
/// timer); the CLINT is only their register layout.
struct VmClint(Vm);

impl ClintBackend for VmClint {
    fn num_harts(&self) -> usize {
        self.0.num_harts()
    }
    fn mtime(&self) -> u64 {
        self.0.mtime()
    }
    fn set_mtime(&self, v: u64) {
        self.0.set_mtime(v)
    }
    fn mtimecmp(&self, hart: usize) -> u64 {
        self.0.mtimecmp(hart)
    }
    fn set_mtimecmp(&self, hart: usize, v: u64) {
        self.0.set_mtimecmp(hart, v)
    }
    fn msip(&self, hart: usize) -> bool {
        self.0.msip(hart)
    }
    fn set_msip(&self, hart: usize, v: bool) {
        self.0.set_msip(hart, v)
    }
}

/// A CLINT MMIO device driving `vm`'s harts.
pub fn clint_for(vm: &Vm) -> Arc<dyn MmioDevice> {
    Arc::new(Clint::new(Arc::new(VmClint(vm.clone()))))
}
