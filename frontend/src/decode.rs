use crate::Inst;
/// Decodes one instruction.
pub fn decode(raw: u32) -> Inst { Inst::illegal(raw, 4) }
