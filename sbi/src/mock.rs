//! A scripted [`SbiHost`] for the extensions' unit tests.

use std::collections::HashMap;

use crate::{handle, ExtensionSet, HartSet, HsmStatus, Outcome, RemoteFence, SbiCall, SbiError, SbiHost};

/// What a handler asked the host to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Timer(u64),
    Ipi(HartSet),
    ClearIpi,
    Fence(HartSet, RemoteFence),
    Start(usize, u64, u64),
    Stop,
    SuspendRetentive,
    SuspendNonRetentive(u64, u64),
    SystemSuspend(u64, u64),
    StopAll,
}

/// Hart 0 calling, RAM at 0x8000_0000 (1 MiB), every other hart stopped.
pub(crate) struct MockHost {
    pub(crate) status: Vec<HsmStatus>,
    pub(crate) supervisor: bool,
    pub(crate) memory: HashMap<u64, u64>,
    pub(crate) events: Vec<Event>,
}

impl MockHost {
    pub(crate) fn new(harts: usize) -> MockHost {
        let mut status = vec![HsmStatus::Stopped; harts];
        status[0] = HsmStatus::Started;
        MockHost { status, supervisor: true, memory: HashMap::new(), events: Vec::new() }
    }
}

/// Calls `eid`/`fid` with `args` on `host`, every extension offered.
pub(crate) fn call(host: &mut MockHost, eid: u64, fid: u64, args: &[u64]) -> Outcome {
    let mut a = [0; 6];
    a[..args.len()].copy_from_slice(args);
    let mut all = ExtensionSet::default();
    all.set(crate::Extension::Susp, true).unwrap();
    handle(&SbiCall { eid, fid, args: a }, all, host)
}

impl SbiHost for MockHost {
    fn hart_id(&self) -> usize {
        0
    }
    fn num_harts(&self) -> usize {
        self.status.len()
    }
    fn is_ram(&self, addr: u64) -> bool {
        (0x8000_0000..0x8010_0000).contains(&addr)
    }
    fn caller_is_supervisor(&self) -> bool {
        self.supervisor
    }
    fn machine_ids(&self) -> [u64; 3] {
        [0x11, 0x22, 0x33]
    }
    fn read_u64(&mut self, va: u64) -> Option<u64> {
        self.memory.get(&va).copied()
    }
    fn set_timer(&mut self, when: u64) {
        self.events.push(Event::Timer(when));
    }
    fn send_ipi(&mut self, harts: HartSet) {
        self.events.push(Event::Ipi(harts));
    }
    fn clear_ipi(&mut self) -> bool {
        self.events.push(Event::ClearIpi);
        false
    }
    fn remote_fence(&mut self, harts: HartSet, fence: RemoteFence) {
        self.events.push(Event::Fence(harts, fence));
    }
    fn hart_start(&mut self, hart: usize, start_addr: u64, opaque: u64) -> Result<(), SbiError> {
        if self.status[hart] != HsmStatus::Stopped {
            return Err(SbiError::AlreadyAvailable);
        }
        self.status[hart] = HsmStatus::StartPending;
        self.events.push(Event::Start(hart, start_addr, opaque));
        Ok(())
    }
    fn hart_stop(&mut self) -> Result<(), SbiError> {
        self.events.push(Event::Stop);
        Ok(())
    }
    fn hart_status(&self, hart: usize) -> HsmStatus {
        self.status[hart]
    }
    fn hart_suspend_retentive(&mut self) {
        self.events.push(Event::SuspendRetentive);
    }
    fn hart_suspend_non_retentive(&mut self, resume_addr: u64, opaque: u64) {
        self.events.push(Event::SuspendNonRetentive(resume_addr, opaque));
    }
    fn system_suspend(&mut self, resume_addr: u64, opaque: u64) -> Result<(), SbiError> {
        if self.status[1..].iter().any(|s| *s != HsmStatus::Stopped) {
            return Err(SbiError::Denied);
        }
        self.events.push(Event::SystemSuspend(resume_addr, opaque));
        Ok(())
    }
    fn stop_all_harts(&mut self) {
        self.events.push(Event::StopAll);
    }
}
