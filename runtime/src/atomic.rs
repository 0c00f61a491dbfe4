//! The A extension as real host atomics on guest RAM shared by harts.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use hartvm_frontend::{Inst, Op};

use crate::interp::Flow;
use crate::memory::PAGE_SIZE;
use crate::mmu::{Access, Exception};
use crate::vcpu::Core;

/// The read-modify-write an AMO performs on `old` with operand `v`.
fn amo_value(op: Op, old: u64, v: u64, word: bool) -> u64 {
    let (so, sv) = if word { (old as i32 as i64, v as i32 as i64) } else { (old as i64, v as i64) };
    let (uo, uv) = if word { (old as u32 as u64, v as u32 as u64) } else { (old, v) };
    match op {
        Op::AmoswapW | Op::AmoswapD => v,
        Op::AmoaddW | Op::AmoaddD => old.wrapping_add(v),
        Op::AmoxorW | Op::AmoxorD => old ^ v,
        Op::AmoandW | Op::AmoandD => old & v,
        Op::AmoorW | Op::AmoorD => old | v,
        Op::AmominW | Op::AmominD => so.min(sv) as u64,
        Op::AmomaxW | Op::AmomaxD => so.max(sv) as u64,
        Op::AmominuW | Op::AmominuD => uo.min(uv),
        _ => uo.max(uv),
    }
}

impl Core {
    /// Executes LR, SC or an AMO.
    #[inline(never)]
    pub(crate) fn exec_atomic(&mut self, i: &Inst) -> Flow {
        let Some(size) = i.op.amo_width().map(u64::from) else { return crate::interp::illegal(i) };
        let word = size == 4;
        let va = self.hart.x[i.rs1 as usize];
        let is_lr = matches!(i.op, Op::LrW | Op::LrD);
        let access = if is_lr { Access::Load } else { Access::Store };
        if va & (size - 1) != 0 {
            return Flow::Trap(Exception { cause: access.misaligned(), tval: va });
        }
        let pa = match self.hart.translate(&self.shared.mem, va, size, access) {
            Ok(pa) => pa,
            Err(e) => return Flow::Trap(e),
        };
        if !self.shared.mem.contains(pa, size) {
            return Flow::Trap(Exception { cause: access.access_fault(), tval: va });
        }
        let src = self.hart.x[i.rs2 as usize];
        let result = match i.op {
            Op::LrW | Op::LrD => {
                let v = self.atomic_load(pa, word);
                self.hart.reservation = Some((pa, v));
                v
            }
            Op::ScW | Op::ScD => self.store_conditional(pa, src, word),
            _ => self.amo(i.op, pa, src, word),
        };
        if !is_lr && self.shared.mem.take_code_page(pa) {
            self.dirty_code_pages.push(pa / PAGE_SIZE);
            self.after_block = true;
        }
        if i.rd != 0 {
            self.hart.x[i.rd as usize] = if word { result as i32 as i64 as u64 } else { result };
        }
        Flow::Next
    }

    fn word32(&self, pa: u64) -> &AtomicU32 {
        self.shared.mem.atomic_u32(pa).expect("aligned RAM address checked by exec_atomic")
    }

    fn word64(&self, pa: u64) -> &AtomicU64 {
        self.shared.mem.atomic_u64(pa).expect("aligned RAM address checked by exec_atomic")
    }

    fn atomic_load(&self, pa: u64, word: bool) -> u64 {
        if word {
            self.word32(pa).load(Ordering::SeqCst) as u64
        } else {
            self.word64(pa).load(Ordering::SeqCst)
        }
    }

    /// SC succeeds if this hart holds the reservation and memory still
    /// holds the value LR saw (compare-and-swap on it); returns 0 or 1.
    fn store_conditional(&mut self, pa: u64, v: u64, word: bool) -> u64 {
        let Some((rpa, seen)) = self.hart.reservation.take() else { return 1 };
        if rpa != pa {
            return 1;
        }
        let ok = if word {
            self.word32(pa).compare_exchange(seen as u32, v as u32, Ordering::SeqCst, Ordering::SeqCst).is_ok()
        } else {
            self.word64(pa).compare_exchange(seen, v, Ordering::SeqCst, Ordering::SeqCst).is_ok()
        };
        (!ok) as u64
    }

    fn amo(&self, op: Op, pa: u64, v: u64, word: bool) -> u64 {
        if word {
            let cell = self.word32(pa);
            let f = |old: u32| Some(amo_value(op, old as u64, v, true) as u32);
            cell.fetch_update(Ordering::SeqCst, Ordering::SeqCst, f).unwrap_or_else(|x| x) as u64
        } else {
            let cell = self.word64(pa);
            let f = |old: u64| Some(amo_value(op, old, v, false));
            cell.fetch_update(Ordering::SeqCst, Ordering::SeqCst, f).unwrap_or_else(|x| x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_min_max_compare_as_32_bit() {
        assert_eq!(amo_value(Op::AmominW, 0xffff_ffff, 1, true) as u32, 0xffff_ffff);
        assert_eq!(amo_value(Op::AmominuW, 0xffff_ffff, 1, true) as u32, 1);
        assert_eq!(amo_value(Op::AmomaxD, 0, u64::MAX, false), 0);
        assert_eq!(amo_value(Op::AmomaxuD, 0, u64::MAX, false), u64::MAX);
    }
}
