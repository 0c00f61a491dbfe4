//! The KVM-shaped hypervisor API driven purely through its public surface:
//! ONE_REG, mp_state, forwarded SBI calls, system events, HSM across vCPU
//! threads, and many threads hammering power states and kicks at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hartvm_runtime::one_reg::id;
use hartvm_runtime::{MpState, RegError, SbiExtension, SystemEvent, Vcpu, VcpuExit, Vm, VmConfig, RAM_BASE};

/// A tiny RISC-V assembler: just what the guests below need.
mod asm {
    pub const A0: u32 = 10;
    pub const A1: u32 = 11;
    pub const A2: u32 = 12;
    pub const A6: u32 = 16;
    pub const A7: u32 = 17;
    pub const T0: u32 = 5;
    pub const T1: u32 = 6;

    pub fn addi(rd: u32, rs: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | rs << 15 | rd << 7 | 0x13
    }
    fn lui(rd: u32, upper: u32) -> u32 {
        upper << 12 | rd << 7 | 0x37
    }
    fn addiw(rd: u32, rs: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | rs << 15 | rd << 7 | 0x1b
    }
    /// Loads a 32-bit value (sign-extended) into `rd`.
    pub fn li(rd: u32, value: i32) -> Vec<u32> {
        let low = (value << 20) >> 20;
        let upper = (value.wrapping_sub(low) as u32) >> 12;
        if upper == 0 {
            vec![addi(rd, 0, low)]
        } else {
            vec![lui(rd, upper), addiw(rd, rd, low)]
        }
    }
    /// Loads a 32-bit address (zero-extended: RAM is at 0x8000_0000).
    pub fn la(rd: u32, addr: u64) -> Vec<u32> {
        let mut code = li(rd, addr as u32 as i32);
        code.push(32 << 20 | rd << 15 | 1 << 12 | rd << 7 | 0x13); // slli rd, rd, 32
        code.push(32 << 20 | rd << 15 | 5 << 12 | rd << 7 | 0x13); // srli rd, rd, 32
        code
    }
    pub fn ecall() -> u32 {
        0x73
    }
    /// `amoadd.d x0, rs2, (rs1)`.
    pub fn amoadd_d(rs1: u32, rs2: u32) -> u32 {
        rs2 << 20 | rs1 << 15 | 3 << 12 | 0x2f
    }
    /// `jal x0, offset`.
    pub fn j(offset: i32) -> u32 {
        let o = offset as u32;
        ((o >> 20 & 1) << 31) | ((o >> 1 & 0x3ff) << 21) | ((o >> 11 & 1) << 20) | ((o >> 12 & 0xff) << 12) | 0x6f
    }
    /// An SBI call: a7 = eid, a6 = fid, then `ecall`.
    pub fn sbi(eid: u32, fid: u32) -> Vec<u32> {
        let mut code = li(A7, eid as i32);
        code.extend(li(A6, fid as i32));
        code.push(ecall());
        code
    }
}

const DBCN: u32 = 0x4442_434E;
const SRST: u32 = 0x5352_5354;
const HSM: u32 = 0x48_534D;

fn sbi_vm(harts: usize) -> Vm {
    Vm::new(VmConfig { mem_size: 4 << 20, num_harts: harts, sbi: true, ..VmConfig::default() }).unwrap()
}

fn load(vm: &Vm, addr: u64, code: &[u32]) {
    for (k, w) in code.iter().enumerate() {
        assert!(vm.memory().write(addr + 4 * k as u64, &w.to_le_bytes()));
    }
}

fn get(vcpu: &Vcpu, reg: u64) -> u64 {
    let mut buf = [0u8; 8];
    assert_eq!(vcpu.get_one_reg(reg, &mut buf), Ok(8), "{reg:#x}");
    u64::from_le_bytes(buf)
}

#[test]
fn one_reg_ids_sizes_and_errors() {
    let vm = sbi_vm(2);
    let mut vcpu = vm.create_vcpu(1).unwrap();
    let ids = vcpu.reg_list();
    assert!(ids.len() > 100, "{} registers", ids.len());
    for &reg in &ids {
        let size = if reg & id::SIZE_MASK == id::SIZE_U32 { 4 } else { 8 };
        let mut buf = vec![0u8; size];
        assert_eq!(vcpu.get_one_reg(reg, &mut buf), Ok(size), "{reg:#x}");
    }
    // A started hart's state: S-mode, a0 = hart id.
    assert_eq!(get(&vcpu, id::u64_reg(id::CORE, 0, 32)), 1);
    assert_eq!(get(&vcpu, id::u64_reg(id::CORE, 0, 10)), 1);
    assert_eq!(get(&vcpu, id::u64_reg(id::TIMER, 0, 0)), 10_000_000);
    // Round trips.
    for (reg, value) in [
        (id::u64_reg(id::CORE, 0, 0), RAM_BASE + 0x40),
        (id::u64_reg(id::CORE, 0, 5), 0x1234_5678_9abc_def0),
        (id::u64_reg(id::CSR, 0, 3), 0x5555),           // sscratch
        (id::u64_reg(id::CSR, 0, 2), RAM_BASE + 0x100), // stvec
        (id::u64_reg(id::FP_D, 0, 7), 0x4009_21fb_5444_2d18),
        (id::u64_reg(id::TIMER, 0, 2), 12345), // compare
    ] {
        assert_eq!(vcpu.set_one_reg(reg, &value.to_le_bytes()), Ok(8));
        assert_eq!(get(&vcpu, reg), value, "{reg:#x}");
    }
    let f3 = id::u32_reg(id::FP_F, 0, 3);
    assert_eq!(vcpu.set_one_reg(f3, &0x3fc0_0000u32.to_le_bytes()), Ok(4));
    let mut single = [0u8; 4];
    vcpu.get_one_reg(f3, &mut single).unwrap();
    assert_eq!(u32::from_le_bytes(single), 0x3fc0_0000);
    assert_eq!(get(&vcpu, id::u64_reg(id::FP_D, 0, 3)), 0xffff_ffff_3fc0_0000, "NaN-boxed");
    // Errors: unknown ids, wrong sizes, bad values.
    for unknown in [0, id::u64_reg(id::CORE, 0, 33), id::u64_reg(9, 0, 0), id::u64_reg(id::SBI_EXT, 0, 6)] {
        let err = vcpu.get_one_reg(unknown, &mut [0u8; 8]).unwrap_err();
        assert_eq!((err, err.errno()), (RegError::UnknownId(unknown), 2));
    }
    let pc = id::u64_reg(id::CORE, 0, 0);
    assert!(matches!(vcpu.get_one_reg(pc, &mut [0u8; 4]), Err(RegError::WrongSize { .. })));
    assert!(matches!(vcpu.set_one_reg(pc, &[0u8; 16]), Err(RegError::WrongSize { .. })));
    let pc32 = id::u32_reg(id::CORE, 0, 0);
    assert_eq!(vcpu.get_one_reg(pc32, &mut [0u8; 4]).unwrap_err().errno(), 22);
    let mode = id::u64_reg(id::CORE, 0, 32);
    assert_eq!(vcpu.set_one_reg(mode, &3u64.to_le_bytes()), Err(RegError::InvalidValue(mode)));
    let isa = id::u64_reg(id::CONFIG, 0, 0);
    let misa = get(&vcpu, isa);
    assert_eq!(misa & 0b1_0001_0010_1101, 0b1_0001_0010_1101, "IMAFDC");
    assert!(vcpu.set_one_reg(isa, &(misa ^ 1).to_le_bytes()).is_err());
    // SBI extensions: switchable until the first run, EBUSY after.
    let susp = id::u64_reg(id::SBI_EXT, 0, SbiExtension::Susp.kvm_id());
    assert_eq!(get(&vcpu, susp), 0, "SUSP is off by default");
    vcpu.set_one_reg(susp, &1u64.to_le_bytes()).unwrap();
    assert_eq!(get(&vcpu, susp), 1);
    vcpu.handle().kick();
    assert_eq!(vcpu.run(), VcpuExit::Intr); // stopped vCPU: the kick returns at once
    assert_eq!(vcpu.set_one_reg(susp, &0u64.to_le_bytes()), Err(RegError::Busy));
    assert_eq!(RegError::Busy.errno(), 16);
}

#[test]
fn forwarded_calls_and_system_events() {
    let vm = sbi_vm(1);
    let mut code = asm::li(asm::A0, b'h' as i32);
    code.extend(asm::sbi(DBCN, 2)); // write_byte: forwarded to the VMM
    code.push(asm::addi(asm::A2, asm::A0, 0)); // keep what the VMM returned
    code.extend(asm::li(asm::A0, 0));
    code.extend(asm::li(asm::A1, 1));
    code.extend(asm::sbi(SRST, 0)); // shutdown, reason "system failure"
    load(&vm, RAM_BASE, &code);
    let mut vcpu = vm.create_vcpu(0).unwrap();
    assert_eq!(vcpu.get_mp_state(), MpState::Runnable);
    match vcpu.run() {
        VcpuExit::RiscvSbi { extension_id, function_id, args, ret } => {
            assert_eq!((extension_id, function_id, args[0]), (DBCN as u64, 2, b'h' as u64));
            assert_eq!(*ret, [(-2i64) as u64, 0], "preset to NOT_SUPPORTED");
            *ret = [0, 0];
        }
        other => panic!("expected a forwarded call, got {other:?}"),
    }
    assert_eq!(vcpu.run(), VcpuExit::SystemEvent { event: SystemEvent::Shutdown, data: 1 });
    assert_eq!(get(&vcpu, id::u64_reg(id::CORE, 0, 12)), 0, "a0 of write_byte as the VMM set it");
    assert_eq!(vcpu.get_mp_state(), MpState::Stopped, "a shutdown stops every vCPU");
}

/// Hart 0 starts hart 1 with an opaque value; hart 1 adds it to a counter
/// in RAM and stops; hart 0 spins. Each vCPU runs on its own thread.
#[test]
fn hsm_start_across_vcpu_threads() {
    let vm = sbi_vm(2);
    let counter = RAM_BASE + 0x2000;
    let hart1 = RAM_BASE + 0x1000;
    let mut boot = asm::li(asm::A0, 1);
    boot.extend(asm::la(asm::A1, hart1));
    boot.extend(asm::li(asm::A2, 0x77));
    boot.extend(asm::sbi(HSM, 0));
    boot.push(asm::j(0));
    load(&vm, RAM_BASE, &boot);
    let mut second = asm::la(asm::T0, counter);
    second.push(asm::amoadd_d(asm::T0, asm::A1));
    second.extend(asm::sbi(HSM, 1)); // hart_stop
    load(&vm, hart1, &second);
    let handle1 = vm.vcpu_handle(1).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..2)
        .map(|n| {
            let (vm, done) = (vm.clone(), done.clone());
            std::thread::spawn(move || {
                let mut vcpu = vm.create_vcpu(n).unwrap();
                while !done.load(Ordering::Acquire) {
                    assert!(matches!(vcpu.run(), VcpuExit::Intr));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut word = [0u8; 8];
    while u64::from_le_bytes(word) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
        vm.memory().read(counter, &mut word);
    }
    assert_eq!(u64::from_le_bytes(word), 0x77, "hart 1 received the opaque value");
    while handle1.get_mp_state() != MpState::Stopped && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(handle1.get_mp_state(), MpState::Stopped, "hart 1 stopped itself");
    done.store(true, Ordering::Release);
    (0..2).for_each(|n| vm.kick(n));
    threads.into_iter().for_each(|t| t.join().unwrap());
}

/// Several host threads power vCPUs on and off and kick them while hart 0
/// keeps starting hart 1 and hart 1 keeps stopping itself: no deadlock, no
/// panic, and every power state read is one of the two valid ones.
#[test]
fn power_states_hsm_and_kicks_from_many_threads() {
    let vm = sbi_vm(3);
    let counter = RAM_BASE + 0x3000;
    let hart1 = RAM_BASE + 0x1000;
    // hart 0: loop { hart_start(1, hart1, 1) }
    let mut boot = asm::li(asm::A0, 1);
    boot.extend(asm::la(asm::A1, hart1));
    boot.extend(asm::li(asm::A2, 1));
    boot.extend(asm::sbi(HSM, 0));
    let back = -(4 * boot.len() as i32);
    boot.push(asm::j(back));
    load(&vm, RAM_BASE, &boot);
    // hart 1 (and hart 2 when a host thread powers it on): count, stop.
    let mut second = asm::la(asm::T0, counter);
    second.extend(asm::li(asm::T1, 1));
    second.push(asm::amoadd_d(asm::T0, asm::T1));
    second.extend(asm::sbi(HSM, 1));
    load(&vm, hart1, &second);
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads: Vec<_> = (0..3)
        .map(|n| {
            let (vm, stop) = (vm.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut vcpu = vm.create_vcpu(n).unwrap();
                if n == 2 {
                    vcpu.state_mut().pc = RAM_BASE + 0x1000;
                }
                while !stop.load(Ordering::Acquire) {
                    match vcpu.run() {
                        VcpuExit::Intr => {}
                        other => panic!("vCPU {n}: unexpected exit {other:?}"),
                    }
                }
            })
        })
        .collect();
    for t in 0..3 {
        let (vm, stop) = (vm.clone(), stop.clone());
        threads.push(std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Acquire) {
                let target = vm.vcpu_handle(1 + (n as usize + t) % 2).unwrap();
                let state = if n.is_multiple_of(3) { MpState::Stopped } else { MpState::Runnable };
                target.set_mp_state(state);
                let seen = target.get_mp_state();
                assert!(matches!(seen, MpState::Runnable | MpState::Stopped));
                vm.vcpu_handle((n % 3) as usize).unwrap().kick();
                n += 1;
                if n.is_multiple_of(64) {
                    std::thread::yield_now();
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut word = [0u8; 8];
    loop {
        vm.memory().read(counter, &mut word);
        if u64::from_le_bytes(word) >= 2_000 || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::Release);
    (0..3).for_each(|n| vm.kick(n));
    for t in threads {
        t.join().expect("no thread panicked");
    }
    assert!(u64::from_le_bytes(word) >= 2_000, "only {} starts ran", u64::from_le_bytes(word));
}
