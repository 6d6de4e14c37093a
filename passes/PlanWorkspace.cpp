//===- PlanWorkspace.cpp - one transient buffer per function call ---------===//
//
// Implements --intq-plan-workspace (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include "llvm/ADT/STLExtras.h"

namespace intq {
#define GEN_PASS_DEF_PLANWORKSPACE
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;

namespace {
/// One buffer of the plan: its allocation, the span of entry-block
/// positions it is live over, its size and place in the workspace.
struct Slot {
  memref::AllocOp alloc;
  int64_t first, last, bytes, align, offset = 0;
};

/// Bytes of a static memref of whole-byte elements with the identity
/// layout; 0 when the allocation cannot be planned.
int64_t plannableBytes(memref::AllocOp alloc) {
  MemRefType ty = alloc.getType();
  if (!ty.hasStaticShape() || !ty.getLayout().isIdentity() ||
      ty.getMemorySpace() || !alloc.getDynamicSizes().empty() ||
      !alloc.getSymbolOperands().empty())
    return 0;
  Type elem = ty.getElementType();
  if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() % 8 != 0)
    return 0;
  return std::max<int64_t>(1, ty.getNumElements()) *
         (elem.getIntOrFloatBitWidth() / 8);
}

struct PlanWorkspacePass
    : public intq::impl::PlanWorkspaceBase<PlanWorkspacePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    Block &entry = fn.getBody().front();
    DenseMap<Operation *, int64_t> position;
    int64_t pos = 0;
    for (Operation &op : entry)
      position[&op] = pos++;

    // The buffers allocated in the entry block (not in loops: a loop body's
    // buffer could be carried into the next iteration), live from their
    // allocation to the last entry-block operation that uses them or any
    // view of them (loops and other regions count as one operation).
    BufferViewFlowAnalysis aliases(fn);
    SmallVector<Slot> slots;
    for (Operation &op : entry) {
      auto alloc = llvm::dyn_cast<memref::AllocOp>(op);
      if (!alloc)
        continue;
      int64_t bytes = plannableBytes(alloc);
      if (bytes == 0)
        continue;
      Slot s{alloc, position[&op], position[&op], bytes,
             std::max<int64_t>(64, alloc.getAlignment().value_or(1))};
      bool escapes = false;
      for (Value v : aliases.resolve(alloc.getResult())) {
        for (Operation *user : v.getUsers()) {
          // Freed or returned: its lifetime is not this call's.
          if (llvm::isa<memref::DeallocOp, func::ReturnOp>(user))
            escapes = true;
          Operation *at = entry.findAncestorOpInBlock(*user);
          if (!at) {
            escapes = true;
            continue;
          }
          s.last = std::max(s.last, position[at]);
        }
      }
      if (!escapes)
        slots.push_back(s);
    }
    if (slots.size() < 2)
      return;

    // First fit, in allocation order: the lowest aligned offset that
    // overlaps no placed buffer whose live span meets this one's.
    int64_t total = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      Slot &s = slots[i];
      SmallVector<std::pair<int64_t, int64_t>> taken;
      for (size_t j = 0; j < i; ++j)
        if (slots[j].last >= s.first && slots[j].first <= s.last)
          taken.push_back({slots[j].offset, slots[j].offset + slots[j].bytes});
      llvm::sort(taken);
      int64_t offset = 0;
      for (auto [lo, hi] : taken) {
        if (offset + s.bytes <= lo)
          break;
        offset = std::max<int64_t>(offset, llvm::alignTo(hi, s.align));
      }
      s.offset = offset;
      total = std::max(total, offset + s.bytes);
    }

    // One allocation at the top of the function; every planned buffer a
    // view of it.
    OpBuilder b(&entry, entry.begin());
    Location loc = fn.getLoc();
    auto wsTy = MemRefType::get({total}, b.getI8Type());
    Value ws = memref::AllocOp::create(b, loc, wsTy, ValueRange{},
                                       b.getI64IntegerAttr(64));
    for (Slot &s : slots) {
      b.setInsertionPoint(s.alloc);
      Value off = arith::ConstantIndexOp::create(b, s.alloc.getLoc(), s.offset);
      Value view = memref::ViewOp::create(b, s.alloc.getLoc(),
                                          s.alloc.getType(), ws, off,
                                          ValueRange{});
      s.alloc.getResult().replaceAllUsesWith(view);
      s.alloc.erase();
    }
  }
};
} // namespace
