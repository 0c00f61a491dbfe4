//! Drives a `Vm` purely through the public API, as a VMM would.

use std::time::Duration;

use hartvm_runtime::{Privilege, VcpuExit, Vm, VmConfig, RAM_BASE};

const UART: u64 = 0x1000_0000;

/// lb from a device, add 1, sb to the device, sd to RAM+0x1000, spin.
const PROGRAM: [u32; 7] = [
    0x1000_05b7, // lui   a1, 0x10000
    0x0055_8503, // lb    a0, 5(a1)
    0x0015_0513, // addi  a0, a0, 1
    0x00a5_8023, // sb    a0, 0(a1)
    0x0000_1617, // auipc a2, 1
    0xfea6_3823, // sd    a0, -16(a2)
    0x0000_006f, // j     .
];

fn vm_with_program() -> Vm {
    let vm =
        Vm::new(VmConfig { mem_size: 1 << 20, num_harts: 1, mmio_regions: vec![(UART, 0x100)], ..VmConfig::default() })
            .unwrap();
    for (k, w) in PROGRAM.iter().enumerate() {
        assert!(vm.memory().write(RAM_BASE + 4 * k as u64, &w.to_le_bytes()));
    }
    vm
}

#[test]
fn mmio_exits_borrow_the_data_and_resume() {
    let vm = vm_with_program();
    assert!(vm.watch_word(RAM_BASE + 0x1000));
    let mut vcpu = vm.create_vcpu(0).unwrap();
    match vcpu.run() {
        VcpuExit::MmioRead { addr, data } => {
            assert_eq!((addr, data.len()), (UART + 5, 1));
            data[0] = 0xfe; // -2 as a signed byte
        }
        other => panic!("expected MmioRead, got {other:?}"),
    }
    match vcpu.run() {
        VcpuExit::MmioWrite { addr, data } => assert_eq!((addr, data), (UART, &[0xff][..])),
        other => panic!("expected MmioWrite, got {other:?}"),
    }
    assert_eq!(vcpu.run(), VcpuExit::Watch { addr: RAM_BASE + 0x1000, value: u64::MAX });
    assert_eq!(vcpu.state().x[10], u64::MAX, "lb sign-extends device data");
    assert_eq!(vcpu.state().pc, RAM_BASE + 0x18);
    assert_eq!(vcpu.stats().instructions, 6);
}

#[test]
fn instruction_limit_and_kick_end_a_spinning_guest() {
    let vm = vm_with_program();
    let mut vcpu = vm.create_vcpu(0).unwrap();
    vcpu.set_instruction_limit(10_000);
    loop {
        match vcpu.run() {
            VcpuExit::MmioRead { data, .. } => data.fill(0),
            VcpuExit::InstructionLimit => break,
            _ => {}
        }
    }
    assert!(vcpu.stats().instructions >= 10_000);
    vcpu.set_instruction_limit(u64::MAX);
    let kicker = vm.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        kicker.kick(0);
    });
    assert_eq!(vcpu.run(), VcpuExit::Intr);
    t.join().unwrap();
}

#[test]
fn devices_outside_mmio_regions_fault() {
    let vm = Vm::new(VmConfig { mem_size: 1 << 20, ..VmConfig::default() }).unwrap();
    // lw t1, 0(t0) with t0 unmapped traps to mtvec, which spins.
    let mut vcpu = vm.create_vcpu(0).unwrap();
    let s = vcpu.state_mut();
    s.csr.mtvec = RAM_BASE + 0x100;
    s.x[5] = 0x4000_0000; // unmapped
    vm.memory().write(RAM_BASE, &0x0002_a303u32.to_le_bytes());
    vm.memory().write(RAM_BASE + 4, &0x0000_006fu32.to_le_bytes());
    vm.memory().write(RAM_BASE + 0x100, &0x0000_006fu32.to_le_bytes());
    vcpu.set_instruction_limit(1000);
    assert_eq!(vcpu.run(), VcpuExit::InstructionLimit);
    let s = vcpu.state();
    assert_eq!((s.csr.mcause, s.csr.mtval, s.csr.mepc), (5, 0x4000_0000, RAM_BASE));
    assert_eq!((s.pc, s.privilege), (RAM_BASE + 0x100, Privilege::Machine));
}

#[test]
fn vcpu_ids_are_checked() {
    let vm = Vm::new(VmConfig { mem_size: 1 << 20, num_harts: 2, ..VmConfig::default() }).unwrap();
    assert!(vm.create_vcpu(0).is_ok());
    assert!(vm.create_vcpu(0).is_err(), "each id once");
    assert!(vm.create_vcpu(2).is_err(), "out of range");
    assert!(Vm::new(VmConfig { num_harts: 0, ..VmConfig::default() }).is_err());
    assert!(Vm::new(VmConfig { num_harts: 65, ..VmConfig::default() }).is_err());
    assert!(Vm::new(VmConfig { mem_size: 12345, ..VmConfig::default() }).is_err());
}
