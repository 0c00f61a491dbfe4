//! Extension ids, and which extensions a vCPU offers.

/// Extension ids (the a7 values of the SBI specification).
pub mod eid {
    /// Legacy extensions occupy 0x00..=0x08 (set_timer .. shutdown).
    pub const LEGACY_LAST: u64 = 0x08;
    /// Base extension.
    pub const BASE: u64 = 0x10;
    /// Timer extension ("TIME").
    pub const TIME: u64 = 0x5449_4D45;
    /// Inter-processor interrupts ("sPI").
    pub const IPI: u64 = 0x73_5049;
    /// Remote fences ("RFNC").
    pub const RFENCE: u64 = 0x5246_4E43;
    /// Hart state management ("HSM").
    pub const HSM: u64 = 0x48_534D;
    /// System reset ("SRST").
    pub const SRST: u64 = 0x5352_5354;
    /// Performance monitoring ("PMU").
    pub const PMU: u64 = 0x50_4D55;
    /// Debug console ("DBCN").
    pub const DBCN: u64 = 0x4442_434E;
    /// Steal-time accounting ("STA").
    pub const STA: u64 = 0x53_5441;
    /// System suspend ("SUSP").
    pub const SUSP: u64 = 0x5355_5350;
    /// First and last experimental extension id.
    pub const EXPERIMENTAL: (u64, u64) = (0x0800_0000, 0x08FF_FFFF);
    /// First and last vendor extension id.
    pub const VENDOR: (u64, u64) = (0x0900_0000, 0x09FF_FFFF);
}

/// The extensions a VMM can switch on and off per vCPU, numbered as KVM
/// numbers them in its `SBI_EXT` registers. BASE is always on and has no
/// number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Extension {
    /// Legacy v0.1 calls (EIDs 0x00 to 0x08).
    V01 = 0,
    /// TIME.
    Time = 1,
    /// IPI.
    Ipi = 2,
    /// RFENCE.
    Rfence = 3,
    /// SRST.
    Srst = 4,
    /// HSM.
    Hsm = 5,
    /// PMU (not implemented).
    Pmu = 6,
    /// Experimental extension ids (none implemented).
    Experimental = 7,
    /// Vendor extension ids (none implemented).
    Vendor = 8,
    /// DBCN.
    Dbcn = 9,
    /// STA (not implemented).
    Sta = 10,
    /// SUSP.
    Susp = 11,
}

impl Extension {
    /// Every extension, in KVM's order.
    pub const ALL: [Extension; 12] = [
        Extension::V01,
        Extension::Time,
        Extension::Ipi,
        Extension::Rfence,
        Extension::Srst,
        Extension::Hsm,
        Extension::Pmu,
        Extension::Experimental,
        Extension::Vendor,
        Extension::Dbcn,
        Extension::Sta,
        Extension::Susp,
    ];

    /// The extension with KVM's number `n`.
    pub fn from_kvm_id(n: u64) -> Option<Extension> {
        Extension::ALL.get(usize::try_from(n).ok()?).copied()
    }

    /// KVM's number of this extension.
    pub fn kvm_id(self) -> u64 {
        self as u64
    }

    /// The extension an EID belongs to (`None` for BASE and unknown EIDs).
    pub fn of_eid(id: u64) -> Option<Extension> {
        Some(match id {
            0..=eid::LEGACY_LAST => Extension::V01,
            eid::TIME => Extension::Time,
            eid::IPI => Extension::Ipi,
            eid::RFENCE => Extension::Rfence,
            eid::SRST => Extension::Srst,
            eid::HSM => Extension::Hsm,
            eid::PMU => Extension::Pmu,
            eid::DBCN => Extension::Dbcn,
            eid::STA => Extension::Sta,
            eid::SUSP => Extension::Susp,
            _ if (eid::EXPERIMENTAL.0..=eid::EXPERIMENTAL.1).contains(&id) => Extension::Experimental,
            _ if (eid::VENDOR.0..=eid::VENDOR.1).contains(&id) => Extension::Vendor,
            _ => return None,
        })
    }

    /// Whether hartvm implements the extension (only those can be enabled).
    pub fn implemented(self) -> bool {
        !matches!(self, Extension::Pmu | Extension::Experimental | Extension::Vendor | Extension::Sta)
    }

    /// The extension's name as the command line spells it (`--sbi-disable`).
    pub fn name(self) -> &'static str {
        match self {
            Extension::V01 => "v01",
            Extension::Time => "time",
            Extension::Ipi => "ipi",
            Extension::Rfence => "rfence",
            Extension::Srst => "srst",
            Extension::Hsm => "hsm",
            Extension::Pmu => "pmu",
            Extension::Experimental => "experimental",
            Extension::Vendor => "vendor",
            Extension::Dbcn => "dbcn",
            Extension::Sta => "sta",
            Extension::Susp => "susp",
        }
    }

    /// The extension called `name` (case-insensitive; "legacy" means v01).
    pub fn from_name(name: &str) -> Option<Extension> {
        let name = name.trim().to_ascii_lowercase();
        if name == "legacy" {
            return Some(Extension::V01);
        }
        Extension::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The set of extensions a vCPU offers its guest.
///
/// ```
/// use hartvm_sbi::{Extension, ExtensionSet};
/// let mut set = ExtensionSet::default();
/// assert!(set.contains(Extension::Hsm));
/// assert!(!set.contains(Extension::Susp)); // only a VMM that can resume enables it
/// set.set(Extension::Susp, true).unwrap();
/// assert!(set.contains(Extension::Susp));
/// assert!(set.set(Extension::Pmu, true).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtensionSet(u32);

impl Default for ExtensionSet {
    /// Every implemented extension except SUSP: a system suspend needs a
    /// VMM that resumes the system, so the VMM opts in.
    fn default() -> ExtensionSet {
        let mut set = ExtensionSet(0);
        for e in Extension::ALL {
            if e.implemented() && e != Extension::Susp {
                set.0 |= 1 << e as u8;
            }
        }
        set
    }
}

/// The extension is not implemented, so it cannot be enabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotImplemented(pub Extension);

impl std::fmt::Display for NotImplemented {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the SBI extension {} is not implemented", self.0.name())
    }
}

impl std::error::Error for NotImplemented {}

impl ExtensionSet {
    /// Whether `e` is offered.
    pub fn contains(self, e: Extension) -> bool {
        self.0 & (1 << e as u8) != 0
    }

    /// Offers `e` or stops offering it; an unimplemented one can only be off.
    pub fn set(&mut self, e: Extension, on: bool) -> Result<(), NotImplemented> {
        if on && !e.implemented() {
            return Err(NotImplemented(e));
        }
        if on {
            self.0 |= 1 << e as u8;
        } else {
            self.0 &= !(1 << e as u8);
        }
        Ok(())
    }

    /// Whether the extension owning EID `id` answers calls (BASE always does).
    pub fn serves(self, id: u64) -> bool {
        id == eid::BASE || Extension::of_eid(id).is_some_and(|e| self.contains(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_ids_spell_their_names() {
        assert_eq!(&eid::TIME.to_be_bytes()[4..], b"TIME");
        assert_eq!(&eid::SRST.to_be_bytes()[4..], b"SRST");
        assert_eq!(&eid::SUSP.to_be_bytes()[4..], b"SUSP");
        assert_eq!(&eid::DBCN.to_be_bytes()[4..], b"DBCN");
        assert_eq!(&eid::RFENCE.to_be_bytes()[4..], b"RFNC");
        assert_eq!(&eid::HSM.to_be_bytes()[5..], b"HSM");
        assert_eq!(&eid::IPI.to_be_bytes()[5..], b"sPI");
        assert_eq!(&eid::PMU.to_be_bytes()[5..], b"PMU");
        assert_eq!(&eid::STA.to_be_bytes()[5..], b"STA");
    }

    #[test]
    fn kvm_numbers_round_trip() {
        for (k, e) in Extension::ALL.iter().enumerate() {
            assert_eq!(e.kvm_id(), k as u64);
            assert_eq!(Extension::from_kvm_id(k as u64), Some(*e));
            assert_eq!(Extension::from_name(e.name()), Some(*e));
        }
        assert_eq!(Extension::from_kvm_id(12), None);
        assert_eq!(Extension::from_name("SUSP"), Some(Extension::Susp));
        assert_eq!(Extension::from_name("nope"), None);
    }

    #[test]
    fn eids_map_to_extensions() {
        assert_eq!(Extension::of_eid(0), Some(Extension::V01));
        assert_eq!(Extension::of_eid(8), Some(Extension::V01));
        assert_eq!(Extension::of_eid(9), None);
        assert_eq!(Extension::of_eid(eid::BASE), None);
        assert_eq!(Extension::of_eid(0x0812_3456), Some(Extension::Experimental));
        assert_eq!(Extension::of_eid(0x09AB_CDEF), Some(Extension::Vendor));
        let set = ExtensionSet::default();
        assert!(set.serves(eid::BASE));
        assert!(set.serves(eid::HSM));
        assert!(!set.serves(eid::SUSP));
        assert!(!set.serves(eid::PMU));
        assert!(!set.serves(0x1234_5678));
    }
}
