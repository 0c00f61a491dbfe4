//! Exit-only values of a loop, recomputed where an exit needs them.
//!
//! A loop's side exits store every register written and not yet stored,
//! so an exit taken early in an iteration, before a register is written
//! again, stores the value the register got in the previous iteration.
//! For a temporary that is written before it is read in every iteration
//! (half of a rotation, a shifted index, a partial sum), those exits are
//! its only readers across the back edge, yet they keep its value alive
//! around the whole loop: the loop computes it, and carries it in a host
//! register or spills it, every iteration.
//!
//! When that value is a short pure expression of values the next
//! iteration gets at its header anyway (other registers' values at the
//! back edge), the exits recompute it from those instead, and the loop
//! carries nothing for it. In the first iteration the register still
//! holds its value from memory, where the exit leaves it (entering the
//! loop stores whatever is pending).
//!
//! This applies to a loop trace whose one internal edge is the loop's
//! back edge, so that "written since the header" is the same on every
//! path through an iteration.

use std::collections::HashMap;

use cranelift_codegen::ir::InstBuilderBase;
use cranelift_frontend::Variable;

use super::*;

/// Most instructions an exit recomputes for one register.
const MAX_NODES: usize = 8;

/// A value a recomputed value is made from: register `reg`'s value at the
/// back edge, or (`low`) the low half of it, which is all that a 32-bit
/// value needs of a register holding it sign-extended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LeafReg {
    pub reg: u8,
    pub low: bool,
}

/// How an exit recomputes a register's value from the last back edge: the
/// value's expression tree in the function, with the values it is made of.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    /// The register's value at the back edge.
    pub root: Value,
    /// The tree's leaves that were other registers' values (or their low
    /// halves) at the back edge.
    pub leaves: Vec<(Value, LeafReg)>,
}

impl Plan {
    /// The register `v` came from, if it is one of the leaves.
    pub fn leaf(&self, v: Value) -> Option<LeafReg> {
        self.leaves.iter().find(|(l, _)| *l == v).map(|&(_, leaf)| leaf)
    }
}

/// The bookkeeping of one simple loop trace (see the module docs).
pub(super) struct Remat {
    /// Registers not written since the loop header on the current path.
    pub fresh: u32,
    /// Registers whose header value was read other than by a deferred side
    /// exit (a register read, an exit storing in place): the loop carries
    /// them as it always did.
    pub carried: u32,
    /// The header values of the carried registers (read where they were
    /// fresh).
    pub header: [Option<Value>; 32],
    /// The loop budget on entry (in a stack slot), and at the header:
    /// equal in the first iteration only (every iteration retires
    /// something).
    pub entry_left: StackSlot,
    pub header_left: Value,
    /// Variables that carry a register's back-edge value for plans only
    /// (for exits that cannot read it otherwise; see
    /// [`Emitter::leaf_value`]).
    pub leaf_vars: [Variable; 32],
    /// The plans, made at the back edge.
    pub plans: [Option<Plan>; 32],
    /// Whether the back edge has been emitted (nothing changes after it).
    pub decided: bool,
}

impl Remat {
    pub fn new(entry_left: StackSlot, header_left: Value, leaf_vars: [Variable; 32]) -> Remat {
        Remat {
            fresh: !0,
            carried: 0,
            header: [None; 32],
            entry_left,
            header_left,
            leaf_vars,
            plans: std::array::from_fn(|_| None),
            decided: false,
        }
    }

    /// Notes that register `r`'s variable was read, giving `v`.
    pub fn read(&mut self, r: usize, v: Value) {
        if self.decided || self.fresh & (1 << r) == 0 {
            return;
        }
        self.carried |= 1 << r;
        self.header[r].get_or_insert(v);
    }

    /// Notes that register `r` was written.
    pub fn written(&mut self, r: usize) {
        self.fresh &= !(1 << r);
    }

    /// The registers that have a plan.
    pub fn planned(&self) -> u32 {
        (1..32).filter(|&r| self.plans[r].is_some()).fold(0, |m, r| m | 1 << r)
    }
}

/// Registers' values at a back edge, to find leaves among.
pub(super) struct BackEdge {
    /// Value to the registers holding it.
    whole: HashMap<Value, Vec<u8>>,
    /// A 32-bit value to the registers holding it sign-extended.
    low: HashMap<Value, Vec<u8>>,
    /// `x` to the registers holding `ireduce(x)` sign-extended.
    low_of: HashMap<Value, Vec<u8>>,
}

impl BackEdge {
    /// From the registers' values, `(register, value)`.
    pub fn new(dfg: &DataFlowGraph, values: impl Iterator<Item = (u8, Value)>) -> BackEdge {
        let (mut whole, mut low, mut low_of) = (HashMap::new(), HashMap::new(), HashMap::new());
        for (o, v) in values {
            let v = dfg.resolve_aliases(v);
            whole.entry(v).or_insert_with(Vec::new).push(o);
            if let Some(w) = sign_extended(dfg, v) {
                low.entry(w).or_insert_with(Vec::new).push(o);
                if let Some(x) = unary(dfg, w, Opcode::Ireduce) {
                    low_of.entry(x).or_insert_with(Vec::new).push(o);
                }
            }
        }
        BackEdge { whole, low, low_of }
    }

    /// A register (other than `own`; of `prefer` if there is one) whose
    /// value, or whose value's low half, `v` is.
    fn find(&self, dfg: &DataFlowGraph, v: Value, own: u8, prefer: u32) -> Option<LeafReg> {
        let other = |map: &HashMap<Value, Vec<u8>>, v: Value| {
            map.get(&v)?.iter().copied().filter(|&o| o != own).max_by_key(|&o| prefer & (1 << o) != 0)
        };
        if let Some(reg) = other(&self.whole, v) {
            return Some(LeafReg { reg, low: false });
        }
        let low = other(&self.low, v).or_else(|| other(&self.low_of, unary(dfg, v, Opcode::Ireduce)?));
        low.map(|reg| LeafReg { reg, low: true })
    }
}

/// A plan for recomputing `root`, register `own`'s value at the back edge,
/// if it is a tree of at most [`MAX_NODES`] pure integer instructions whose
/// leaves are `invariant` values (defined before the loop) or other
/// registers' values at the back edge, of the registers of `prefer` where
/// several hold a value. Returns the tree's register leaves.
pub(super) fn tree(
    dfg: &DataFlowGraph,
    root: Value,
    own: u8,
    back: &BackEdge,
    invariant: &[Value],
    prefer: u32,
) -> Option<Vec<(Value, LeafReg)>> {
    let mut walk = Walk { dfg, own, back, invariant, prefer, leaves: Vec::new(), nodes: 0 };
    walk.visit(dfg.resolve_aliases(root)).then_some(walk.leaves)
}

struct Walk<'a> {
    dfg: &'a DataFlowGraph,
    own: u8,
    back: &'a BackEdge,
    invariant: &'a [Value],
    prefer: u32,
    leaves: Vec<(Value, LeafReg)>,
    nodes: usize,
}

impl Walk<'_> {
    fn visit(&mut self, v: Value) -> bool {
        if self.invariant.contains(&v) || self.leaves.iter().any(|&(l, _)| l == v) {
            return true;
        }
        if let Some(leaf) = self.back.find(self.dfg, v, self.own, self.prefer) {
            self.leaves.push((v, leaf));
            return true;
        }
        let dfg = self.dfg;
        let ValueDef::Result(inst, 0) = dfg.value_def(v) else { return false };
        if !recomputable(&dfg.insts[inst]) || !dfg.ctrl_typevar(inst).is_int() {
            return false;
        }
        self.nodes += 1;
        self.nodes <= MAX_NODES && dfg.inst_args(inst).iter().all(|&a| self.visit(dfg.resolve_aliases(a)))
    }
}

/// Whether an exit may compute `data` again: pure, cannot trap, reads no
/// memory, and its operands are all in its argument list.
pub(super) fn recomputable(data: &InstructionData) -> bool {
    use Opcode::*;
    match *data {
        InstructionData::UnaryImm { opcode, .. } => opcode == Iconst,
        InstructionData::Unary { opcode, .. } => {
            matches!(opcode, Ireduce | Sextend | Uextend | Bnot | Ineg | Clz | Ctz | Popcnt | Bswap)
        }
        InstructionData::Binary { opcode, .. } => matches!(
            opcode,
            Iadd | Isub
                | Imul
                | Umulhi
                | Smulhi
                | Band
                | Bor
                | Bxor
                | Ishl
                | Ushr
                | Sshr
                | Rotl
                | Rotr
                | Smin
                | Smax
                | Umin
                | Umax
        ),
        InstructionData::IntCompare { opcode, .. } => opcode == Icmp,
        InstructionData::Ternary { opcode, .. } => opcode == Select,
        _ => false,
    }
}

impl Emitter<'_> {
    /// Register `o`'s value at the header, in an exit where the registers
    /// of `fresh` are not yet written again: read from its own variable if
    /// it is among them (the loop carries it anyway when the exit stores
    /// it), else its header value if the loop carries it, else the
    /// variable the back edge set for this.
    fn leaf_value(&mut self, o: usize, fresh: u32) -> Value {
        let remat = self.remat.as_ref().expect("only simple loops recompute");
        if fresh & (1 << o) != 0 {
            return self.b.use_var(self.x[o]);
        }
        match remat.header[o] {
            Some(h) if remat.carried & (1 << o) != 0 => h,
            _ => self.b.use_var(remat.leaf_vars[o]),
        }
    }

    /// At the back edge: plans how exits recompute the registers that
    /// deferred side exits store with their header value and nothing else
    /// reads there, and sets the variables carrying their leaves.
    pub(super) fn plan_recomputing(&mut self) {
        let Some(remat) = &self.remat else { return };
        let stored_fresh = self.side_exits.iter().fold(0, |m, e| m | (e.fresh & e.dirty_x));
        let wanted = stored_fresh & !remat.carried & !remat.fresh;
        let (written, carried) = (!remat.fresh, remat.carried);
        let values: Vec<(u8, Value)> = (1..32u8)
            .rev()
            .filter(|&o| written & (1 << o) != 0)
            .map(|o| (o, self.b.use_var(self.x[o as usize])))
            .collect();
        let value_of = |r: u8| values.iter().find(|&&(o, _)| o == r).expect("a written register").1;
        let back = BackEdge::new(&self.b.func.dfg, values.iter().copied());
        let invariant = [self.ctx, self.pc_base];
        let mut plans: [Option<Plan>; 32] = std::array::from_fn(|_| None);
        let mut leaf_regs = 0u32;
        for r in (1..32u8).filter(|&r| wanted & (1 << r) != 0) {
            let root = value_of(r);
            // Registers the loop carries anyway make the cheapest leaves.
            let Some(leaves) = tree(&self.b.func.dfg, root, r, &back, &invariant, carried) else { continue };
            leaf_regs |= leaves.iter().fold(0, |m, (_, leaf)| m | 1 << leaf.reg);
            plans[r as usize] = Some(Plan { root, leaves });
        }
        // Unused, a variable costs nothing: no exit reading it, no block
        // parameter.
        for o in (1..32u8).filter(|&o| leaf_regs & (1 << o) != 0) {
            let var = self.remat.as_ref().expect("checked above").leaf_vars[o as usize];
            self.b.def_var(var, value_of(o));
        }
        let remat = self.remat.as_mut().expect("checked above");
        remat.plans = plans;
        remat.decided = true;
    }

    /// In a side exit where the registers of `fresh` have not been written
    /// since the header: stores those of `mask` with their values from the
    /// last back edge, recomputed by their plans, unless this is the first
    /// iteration (they are in memory then).
    pub(super) fn store_recomputed(&mut self, mask: u32, fresh: u32) {
        let Some(remat) = &self.remat else { return };
        if mask == 0 {
            return;
        }
        let (entry_left, header_left) = (remat.entry_left, remat.header_left);
        let entry_left = self.b.ins().stack_load(I64, I64, entry_left, 0);
        let first = self.b.ins().icmp(IntCC::Equal, header_left, entry_left);
        let (store, done) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(first, done, &[], store, &[]);
        self.enter_cold(store);
        for r in (1..32).filter(|&r| mask & (1 << r) != 0) {
            let plan = self.remat.as_ref().and_then(|m| m.plans[r].clone()).expect("a planned register");
            let mut made = HashMap::new();
            let v = self.recompute(plan.root, &plan, fresh, &mut made);
            self.b.ins().store(flags(), v, self.ctx, self.t.ctx.x + 8 * r as i32);
        }
        self.b.ins().jump(done, &[]);
        self.enter_cold(done);
    }

    /// `v` of `plan`'s tree, made again from the leaves' values at the
    /// header, in an exit where the registers of `fresh` are not yet
    /// written again.
    fn recompute(&mut self, v: Value, plan: &Plan, fresh: u32, made: &mut HashMap<Value, Value>) -> Value {
        let v = self.b.func.dfg.resolve_aliases(v);
        if let Some(leaf) = plan.leaf(v) {
            let whole = self.leaf_value(leaf.reg as usize, fresh);
            return if leaf.low { self.b.ins().ireduce(I32, whole) } else { whole };
        }
        if v == self.ctx || v == self.pc_base {
            return v;
        }
        if let Some(&again) = made.get(&v) {
            return again;
        }
        let dfg = &self.b.func.dfg;
        let ValueDef::Result(inst, 0) = dfg.value_def(v) else { unreachable!("plans hold instruction results") };
        let (mut data, ty) = (dfg.insts[inst], dfg.ctrl_typevar(inst));
        let args = dfg.inst_args(inst).to_vec();
        let args: Vec<Value> = args.into_iter().map(|a| self.recompute(a, plan, fresh, made)).collect();
        let dfg = &mut self.b.func.dfg;
        data.arguments_mut(&mut dfg.value_lists).copy_from_slice(&args);
        let (again, dfg) = self.b.ins().build(data, ty);
        let again = dfg.first_result(again);
        made.insert(v, again);
        again
    }
}

#[cfg(test)]
mod tests {
    use cranelift_codegen::ir::condcodes::IntCC;
    use cranelift_codegen::ir::types::{I32, I64};
    use cranelift_codegen::ir::{Function, InstBuilder, MemFlagsData};
    use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

    use super::*;

    /// Builds a function with a parameter `p` and a value loaded from it,
    /// runs `body` to make more values, and returns the function.
    fn with_values(body: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Vec<Value>) -> (Function, Vec<Value>) {
        let mut func = Function::new();
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut func, &mut fctx);
        let block = b.create_block();
        b.append_block_param(block, I64);
        b.switch_to_block(block);
        let p = b.block_params(block)[0];
        let loaded = b.ins().load(I64, MemFlagsData::trusted(), p, 0);
        let mut values = vec![p, loaded];
        values.extend(body(&mut b, p, loaded));
        b.ins().return_(&[]);
        b.seal_all_blocks();
        let flags = cranelift_codegen::settings::Flags::new(cranelift_codegen::settings::builder());
        let isa = cranelift_native::builder().expect("a host ISA").finish(flags).expect("host flags");
        b.finalize(isa.frontend_config());
        (func, values)
    }

    fn tree_of(
        dfg: &DataFlowGraph,
        root: Value,
        own: u8,
        back: &BackEdge,
        invariant: &[Value],
    ) -> Option<Vec<(Value, LeafReg)>> {
        tree(dfg, root, own, back, invariant, 0)
    }

    fn back(func: &Function, regs: &[(u8, Value)]) -> BackEdge {
        BackEdge::new(&func.dfg, regs.iter().copied())
    }

    fn whole(reg: u8) -> LeafReg {
        LeafReg { reg, low: false }
    }

    fn low(reg: u8) -> LeafReg {
        LeafReg { reg, low: true }
    }

    #[test]
    fn a_shifted_word_is_a_tree_of_the_register_it_shifts() {
        let (func, v) = with_values(|b, _, x| {
            let w = b.ins().ireduce(I32, x);
            let s = b.ins().ushr_imm_s(w, 13);
            vec![b.ins().sextend(I64, s)]
        });
        let (x, half) = (v[1], v[2]);
        let at_back = back(&func, &[(12, x), (18, half)]);
        assert_eq!(tree_of(&func.dfg, half, 18, &at_back, &[]), Some(vec![(x, whole(12))]));
    }

    #[test]
    fn a_word_is_found_in_a_register_holding_it_sign_extended() {
        // srliw s2, a5, 7 ... sext.w a5, a5: a5 keeps the word s2 came from.
        let (func, v) = with_values(|b, _, x| {
            let w = b.ins().ireduce(I32, x);
            let s = b.ins().ushr_imm_s(w, 7);
            let shifted = b.ins().sextend(I64, s);
            let again = b.ins().ireduce(I32, x);
            vec![w, shifted, b.ins().sextend(I64, again)]
        });
        let (w, shifted, extended) = (v[2], v[3], v[4]);
        let at_back = back(&func, &[(15, extended), (18, shifted)]);
        assert_eq!(tree_of(&func.dfg, shifted, 18, &at_back, &[]), Some(vec![(w, low(15))]));
        // The register's own value is no leaf of itself.
        assert_eq!(tree_of(&func.dfg, extended, 15, &at_back, &[]), None);
    }

    #[test]
    fn a_copy_is_a_single_leaf() {
        let (func, v) = with_values(|_, _, _| vec![]);
        let x = v[1];
        // Registers 10 and 11 hold the same value.
        let at_back = back(&func, &[(10, x), (11, x)]);
        assert_eq!(tree_of(&func.dfg, x, 11, &at_back, &[]), Some(vec![(x, whole(10))]));
        assert_eq!(tree_of(&func.dfg, x, 10, &at_back, &[]), Some(vec![(x, whole(11))]));
        // A third register takes it from the one the loop carries anyway.
        let three = back(&func, &[(10, x), (11, x), (12, x)]);
        assert_eq!(tree(&func.dfg, x, 12, &three, &[], 1 << 10), Some(vec![(x, whole(10))]));
        assert_eq!(tree(&func.dfg, x, 12, &three, &[], 1 << 11), Some(vec![(x, whole(11))]));
        // Alone, a loaded value is not recomputed.
        assert_eq!(tree_of(&func.dfg, x, 10, &back(&func, &[(10, x)]), &[]), None);
    }

    #[test]
    fn invariant_values_and_constants_need_no_leaf() {
        let (func, v) = with_values(|b, p, _| {
            let c = b.ins().iconst(I64, 40);
            vec![b.ins().iadd(p, c)]
        });
        let (p, sum) = (v[0], v[2]);
        let none = back(&func, &[]);
        assert_eq!(tree_of(&func.dfg, sum, 5, &none, &[p]), Some(vec![]));
        assert_eq!(tree_of(&func.dfg, sum, 5, &none, &[]), None, "p is neither a leaf nor invariant");
    }

    #[test]
    fn loads_divisions_and_large_trees_are_not_recomputed() {
        let (func, v) = with_values(|b, p, x| {
            let q = b.ins().udiv(x, p);
            let mut t = x;
            for _ in 0..=MAX_NODES {
                t = b.ins().iadd_imm_s(t, 1);
            }
            let c = b.ins().icmp(IntCC::Equal, x, p);
            vec![q, t, c]
        });
        let (p, x, q, long, cmp) = (v[0], v[1], v[2], v[3], v[4]);
        let at_back = back(&func, &[(1, x), (2, p)]);
        assert_eq!(tree_of(&func.dfg, q, 3, &at_back, &[]), None, "a division may trap");
        assert_eq!(tree_of(&func.dfg, long, 3, &at_back, &[]), None, "too many instructions");
        assert_eq!(tree_of(&func.dfg, cmp, 3, &at_back, &[]), Some(vec![(x, whole(1)), (p, whole(2))]));
    }
}
