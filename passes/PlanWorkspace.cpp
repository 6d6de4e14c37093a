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
#include "mlir/IR/SymbolTable.h"

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

/// The bytes of `slots` placed: first fit, in allocation order, at the
/// lowest aligned offset that overlaps no placed buffer whose live span
/// meets this one's. Returns the workspace size.
int64_t place(MutableArrayRef<Slot> slots) {
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
  return total;
}

struct PlanWorkspacePass
    : public intq::impl::PlanWorkspaceBase<PlanWorkspacePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto fn : llvm::to_vector(module.getOps<func::FuncOp>())) {
      // The size functions of an earlier run are not entry points.
      if (fn.isExternal() || fn->hasAttr(intq::kWorkspaceSizeAttr))
        continue;
      bool caller = callerProvided && fn.isPublic();
      // Already given its workspace (by an earlier run of this pass).
      Operation *size =
          symbols.lookup(intq::workspaceSizeFunctionName(fn.getSymName()));
      if (caller && size && size->hasAttr(intq::kWorkspaceSizeAttr))
        continue;
      if (caller && !SymbolTable::symbolKnownUseEmpty(fn, module)) {
        fn.emitError("entry point @")
            << fn.getSymName()
            << " is called inside the module: a caller-provided workspace "
               "needs entry points that are only called from outside";
        return signalPassFailure();
      }
      if (failed(plan(fn, caller, symbols)))
        return signalPassFailure();
    }
  }

  LogicalResult plan(func::FuncOp fn, bool caller, SymbolTable &symbols) {
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
    if (caller)
      fn.walk([&](memref::AllocOp alloc) {
        auto isPlanned = [&](const Slot &s) { return s.alloc == alloc; };
        if (llvm::any_of(slots, isPlanned))
          return;
        StringRef why = alloc->getBlock() != &entry
                            ? "allocated inside a loop or region"
                        : plannableBytes(alloc) == 0
                            ? "dynamically shaped or not a plain byte array"
                            : "freed or returned";
        alloc.emitWarning("this buffer stays a heap allocation (not in the "
                          "caller-provided workspace): it is ")
            << why;
      });
    // One buffer gains nothing from a heap workspace of its own.
    if (!caller && slots.size() < 2)
      return success();
    int64_t total = place(slots);

    // The workspace: one allocation at the top of the function, or the
    // caller's (a new last argument, and a function that returns its size);
    // every planned buffer a view of it.
    OpBuilder b(&entry, entry.begin());
    Location loc = fn.getLoc();
    auto wsTy = MemRefType::get({total}, b.getI8Type());
    Value ws;
    if (caller) {
      std::string sizeName = intq::workspaceSizeFunctionName(fn.getSymName());
      if (symbols.lookup(sizeName))
        return fn.emitError("cannot add @")
               << sizeName << " for the caller-provided workspace: the "
               << "module already has a symbol of that name";
      unsigned idx = fn.getNumArguments();
      // No argument attribute: LLVM IR translation warns about unknown ones.
      if (failed(fn.insertArgument(idx, wsTy, DictionaryAttr(), loc)))
        return fn.emitError("cannot add the workspace argument");
      ws = fn.getArgument(idx);
      auto sizeFn = func::FuncOp::create(
          loc, sizeName, b.getFunctionType({}, {b.getI64Type()}));
      sizeFn->setAttr(intq::kWorkspaceSizeAttr, b.getUnitAttr());
      auto sb = OpBuilder::atBlockBegin(sizeFn.addEntryBlock());
      Value n = arith::ConstantIntOp::create(sb, loc, total, 64);
      func::ReturnOp::create(sb, loc, n);
      symbols.insert(sizeFn, std::next(Block::iterator(fn)));
    } else {
      ws = memref::AllocOp::create(b, loc, wsTy, ValueRange{},
                                   b.getI64IntegerAttr(64));
    }
    for (Slot &s : slots) {
      b.setInsertionPoint(s.alloc);
      Value off = arith::ConstantIndexOp::create(b, s.alloc.getLoc(), s.offset);
      Value view = memref::ViewOp::create(b, s.alloc.getLoc(),
                                          s.alloc.getType(), ws, off,
                                          ValueRange{});
      s.alloc.getResult().replaceAllUsesWith(view);
      s.alloc.erase();
    }
    return success();
  }
};
} // namespace
