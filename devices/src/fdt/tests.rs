use super::*;
use std::collections::BTreeMap;

type Props = BTreeMap<String, Vec<u8>>;

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(b[at..at + 4].try_into().unwrap())
}

/// A minimal FDT reader: checks the header and returns every node's path
/// with its properties.
fn walk(dtb: &[u8]) -> BTreeMap<String, Props> {
    assert_eq!(be32(dtb, 0), 0xd00d_feed, "magic");
    assert_eq!(be32(dtb, 4) as usize, dtb.len(), "totalsize");
    assert_eq!(be32(dtb, 20), 17, "version");
    let off_struct = be32(dtb, 8) as usize;
    let off_strings = be32(dtb, 12) as usize;
    let size_struct = be32(dtb, 36) as usize;
    let strings = &dtb[off_strings..off_strings + be32(dtb, 32) as usize];
    let cstr = |b: &[u8]| -> String {
        let end = b.iter().position(|&c| c == 0).expect("NUL-terminated");
        String::from_utf8(b[..end].to_vec()).unwrap()
    };
    let mut nodes = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    let mut at = off_struct;
    let end = off_struct + size_struct;
    loop {
        assert!(at < end, "structure block ended without FDT_END");
        let token = be32(dtb, at);
        at += 4;
        match token {
            1 => {
                let name = cstr(&dtb[at..]);
                at += (name.len() + 1).next_multiple_of(4);
                let path = match stack.last() {
                    None => "/".to_string(),
                    Some(p) if p == "/" => format!("/{name}"),
                    Some(p) => format!("{p}/{name}"),
                };
                assert!(nodes.insert(path.clone(), Props::new()).is_none(), "duplicate {path}");
                stack.push(path);
            }
            2 => {
                stack.pop().expect("unbalanced END_NODE");
            }
            3 => {
                let len = be32(dtb, at) as usize;
                let name = cstr(&strings[be32(dtb, at + 4) as usize..]);
                let value = dtb[at + 8..at + 8 + len].to_vec();
                at += 8 + len.next_multiple_of(4);
                let node = nodes.get_mut(stack.last().expect("prop outside node")).unwrap();
                assert!(node.insert(name.clone(), value).is_none(), "duplicate prop {name}");
            }
            4 => {}
            9 => break,
            t => panic!("bad token {t}"),
        }
    }
    assert!(stack.is_empty());
    nodes
}

fn s(v: &[u8]) -> Vec<String> {
    v.split(|&c| c == 0).filter(|x| !x.is_empty()).map(|x| String::from_utf8(x.to_vec()).unwrap()).collect()
}

fn cells(v: &[u8]) -> Vec<u32> {
    v.chunks(4).map(|c| u32::from_be_bytes(c.try_into().unwrap())).collect()
}

fn prop<'a>(t: &'a BTreeMap<String, Props>, node: &str, name: &str) -> &'a [u8] {
    t.get(node).unwrap_or_else(|| panic!("no node {node}")).get(name).unwrap_or_else(|| panic!("no {node}:{name}"))
}

/// Decompiles with dtc (when installed) and returns the DTS, asserting
/// dtc printed no warnings.
fn dtc(dtb: &[u8]) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = match Command::new("dtc")
        .args(["-I", "dtb", "-O", "dts", "-o", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("skipped: dtc not installed");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(dtb).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dtc failed: {stderr}");
    assert!(stderr.trim().is_empty(), "dtc warnings:\n{stderr}");
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn default_machine() {
    let dtb = build_fdt(&FdtConfig::default()).unwrap();
    let t = walk(&dtb);
    let paths: Vec<&str> = t.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "/",
            "/chosen",
            "/cpus",
            "/cpus/cpu@0",
            "/cpus/cpu@0/interrupt-controller",
            "/memory@80000000",
            "/poweroff",
            "/reboot",
            "/soc",
            "/soc/clint@2000000",
            "/soc/serial@10000000",
            "/soc/test@100000",
        ]
    );
    assert_eq!(s(prop(&t, "/", "compatible")), ["riscv-virtio"]);
    assert_eq!(cells(prop(&t, "/", "#address-cells")), [2]);
    assert_eq!(s(prop(&t, "/chosen", "stdout-path")), ["/soc/serial@10000000"]);
    assert!(!t["/chosen"].contains_key("bootargs"));
    assert_eq!(cells(prop(&t, "/memory@80000000", "reg")), [0, 0x8000_0000, 0, 128 << 20]);
    assert_eq!(cells(prop(&t, "/cpus", "timebase-frequency")), [10_000_000]);
    let cpu = "/cpus/cpu@0";
    assert_eq!(s(prop(&t, cpu, "device_type")), ["cpu"]);
    assert_eq!(cells(prop(&t, cpu, "reg")), [0]);
    assert_eq!(s(prop(&t, cpu, "status")), ["okay"]);
    assert_eq!(s(prop(&t, cpu, "riscv,isa")), ["rv64imafdc_zicsr_zifencei_zba_zbb_zbs_zicond"]);
    assert_eq!(s(prop(&t, cpu, "riscv,isa-base")), ["rv64i"]);
    assert_eq!(
        s(prop(&t, cpu, "riscv,isa-extensions")),
        ["i", "m", "a", "f", "d", "c", "zicsr", "zifencei", "zba", "zbb", "zbs", "zicond"]
    );
    assert_eq!(s(prop(&t, cpu, "mmu-type")), ["riscv,sv57"]);
    let intc = "/cpus/cpu@0/interrupt-controller";
    assert_eq!(s(prop(&t, intc, "compatible")), ["riscv,cpu-intc"]);
    assert_eq!(prop(&t, intc, "interrupt-controller"), b"");
    let intc_ph = cells(prop(&t, intc, "phandle"))[0];
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "interrupts-extended")), [intc_ph, 3, intc_ph, 7]);
    assert_eq!(s(prop(&t, "/soc/clint@2000000", "compatible")), ["sifive,clint0", "riscv,clint0"]);
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "reg")), [0, 0x200_0000, 0, 0x10000]);
    let serial = "/soc/serial@10000000";
    assert_eq!(s(prop(&t, serial, "compatible")), ["ns16550a"]);
    assert_eq!(cells(prop(&t, serial, "clock-frequency")), [3_686_400]);
    assert_eq!(cells(prop(&t, serial, "reg")), [0, 0x1000_0000, 0, 0x100]);
    assert!(!t[serial].contains_key("interrupts"));
    let test = "/soc/test@100000";
    assert_eq!(s(prop(&t, test, "compatible")), ["sifive,test1", "sifive,test0", "syscon"]);
    let test_ph = cells(prop(&t, test, "phandle"))[0];
    assert_ne!(test_ph, intc_ph);
    for (node, compat, value) in [("/poweroff", "syscon-poweroff", 0x5555), ("/reboot", "syscon-reboot", 0x7777)] {
        assert_eq!(s(prop(&t, node, "compatible")), [compat]);
        assert_eq!(cells(prop(&t, node, "regmap")), [test_ph]);
        assert_eq!(cells(prop(&t, node, "offset")), [0]);
        assert_eq!(cells(prop(&t, node, "value")), [value]);
    }
    assert_eq!(s(prop(&t, "/soc", "compatible")), ["simple-bus"]);
    assert_eq!(prop(&t, "/soc", "ranges"), b"");
}

#[test]
fn smp_bootargs_initrd() {
    let cfg = FdtConfig {
        num_harts: 4,
        mem_size: 2 << 30,
        bootargs: Some("console=ttyS0 earlycon".into()),
        initrd: Some((0x8800_0000, 0x8812_3456)),
        ..FdtConfig::default()
    };
    let t = walk(&build_fdt(&cfg).unwrap());
    let phandles: Vec<u32> = (0..4)
        .map(|h| {
            let cpu = format!("/cpus/cpu@{h}");
            assert_eq!(cells(prop(&t, &cpu, "reg")), [h]);
            cells(prop(&t, &format!("{cpu}/interrupt-controller"), "phandle"))[0]
        })
        .collect();
    let mut uniq = phandles.clone();
    uniq.dedup();
    assert_eq!(uniq.len(), 4);
    let expect: Vec<u32> = phandles.iter().flat_map(|&p| [p, 3, p, 7]).collect();
    assert_eq!(cells(prop(&t, "/soc/clint@2000000", "interrupts-extended")), expect);
    assert_eq!(s(prop(&t, "/chosen", "bootargs")), ["console=ttyS0 earlycon"]);
    assert_eq!(cells(prop(&t, "/chosen", "linux,initrd-start")), [0, 0x8800_0000]);
    assert_eq!(cells(prop(&t, "/chosen", "linux,initrd-end")), [0, 0x8812_3456]);
    assert_eq!(cells(prop(&t, "/memory@80000000", "reg")), [0, 0x8000_0000, 0, 0x8000_0000]);
}

#[test]
fn dtc_accepts_it_without_warnings() {
    let cfg = FdtConfig {
        num_harts: 2,
        bootargs: Some("console=ttyS0".into()),
        initrd: Some((0x8400_0000, 0x8500_0000)),
        ..FdtConfig::default()
    };
    let Some(dts) = dtc(&build_fdt(&cfg).unwrap()) else {
        return;
    };
    // dtc 1.6 prints string lists as "a\0b", newer versions as "a", "b".
    let dts = dts.replace("\\0", "\", \"");
    for needle in [
        "compatible = \"riscv-virtio\";",
        "cpu@1 {",
        "riscv,isa-extensions = \"i\", \"m\"",
        "stdout-path = \"/soc/serial@10000000\";",
        "bootargs = \"console=ttyS0\";",
        "serial@10000000 {",
        "clint@2000000 {",
        "test@100000 {",
        "compatible = \"syscon-poweroff\";",
        "value = <0x7777>;",
        "memory@80000000 {",
    ] {
        assert!(dts.contains(needle), "{needle:?} missing in:\n{dts}");
    }
}

/// A PLIC-like node using the extension point.
struct FakePlic;

impl FdtNode for FakePlic {
    fn reserve(&self, ctx: &mut FdtContext) {
        let p = ctx.alloc_phandle();
        ctx.interrupt_parent = Some(p);
    }
    fn write(&self, fdt: &mut FdtWriter, ctx: &mut FdtContext) -> Result<(), FdtError> {
        let node = fdt.begin_node("plic@c000000")?;
        fdt.property_string("compatible", "riscv,plic0")?;
        fdt.property_array_u64("reg", &[0xc00_0000, 0x60_0000])?;
        fdt.property_u32("#address-cells", 0)?;
        fdt.property_u32("#interrupt-cells", 1)?;
        fdt.property_null("interrupt-controller")?;
        fdt.property_u32("riscv,ndev", 95)?;
        let ext: Vec<u32> = ctx.cpu_intc_phandles.iter().flat_map(|&p| [p, 11, p, 9]).collect();
        fdt.property_array_u32("interrupts-extended", &ext)?;
        fdt.property_phandle(ctx.interrupt_parent.unwrap())?;
        fdt.end_node(node)?;
        Ok(())
    }
}

#[test]
fn extension_nodes_and_uart_interrupt() {
    let dtb = build_fdt_with(&FdtConfig::default(), &[&FakePlic]).unwrap();
    let t = walk(&dtb);
    let plic_ph = cells(prop(&t, "/soc/plic@c000000", "phandle"))[0];
    let serial = "/soc/serial@10000000";
    assert_eq!(cells(prop(&t, serial, "interrupt-parent")), [plic_ph]);
    assert_eq!(cells(prop(&t, serial, "interrupts")), [10]);
    dtc(&dtb);
}

#[test]
fn errors() {
    let no_harts = FdtConfig { num_harts: 0, ..FdtConfig::default() };
    assert!(matches!(build_fdt(&no_harts), Err(FdtError::NoHarts)));
    let bad_isa = FdtConfig { isa: "x86_64".into(), ..FdtConfig::default() };
    assert!(matches!(build_fdt(&bad_isa), Err(FdtError::BadIsa(_))));
    let nul = FdtConfig { bootargs: Some("a\0b".into()), ..FdtConfig::default() };
    let err = build_fdt(&nul).unwrap_err();
    assert!(matches!(err, FdtError::Writer(_)));
    assert!(err.to_string().starts_with("device tree: "));
}

#[test]
fn isa_parsing() {
    let (base, ext) = isa_extensions("rv64gc").unwrap();
    assert_eq!(base, "rv64i");
    assert_eq!(ext, ["i", "m", "a", "f", "d", "zicsr", "zifencei", "c"]);
    let (base, ext) = isa_extensions("RV32IMAC_Zicsr_zicsr").unwrap();
    assert_eq!(base, "rv32i");
    assert_eq!(ext, ["i", "m", "a", "c", "zicsr"]);
    let (_, ext) = isa_extensions("rv64gc_zicsr").unwrap();
    assert_eq!(ext.iter().filter(|e| *e == "zicsr").count(), 1);
    assert!(isa_extensions("rv128i").is_none());
    assert!(isa_extensions("").is_none());
    assert_eq!(isa_extensions("rv64").unwrap().1, Vec::<String>::new());
}
