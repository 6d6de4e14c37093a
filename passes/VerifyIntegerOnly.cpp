//===- VerifyIntegerOnly.cpp - report float islands -----------------------===//
//
// Implements --intq-verify-integer-only (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "llvm/ADT/SetVector.h"

namespace intq {
#define GEN_PASS_DEF_VERIFYINTEGERONLY
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
namespace mq = mlir::quant;

namespace {

bool isFloatTensor(Type t) {
  auto rt = llvm::dyn_cast<RankedTensorType>(t);
  return rt && llvm::isa<FloatType>(rt.getElementType());
}

struct VerifyIntegerOnlyPass
    : public intq::impl::VerifyIntegerOnlyBase<VerifyIntegerOnlyPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Forward: float values computed from dequantized integers.
    llvm::DenseSet<Value> fromInt;
    func.walk([&](Operation *op) {
      if (llvm::isa<mq::DequantizeCastOp>(op)) {
        fromInt.insert(op->getResult(0));
        return;
      }
      if (llvm::isa<mq::QuantizeCastOp>(op))
        return;
      if (llvm::any_of(op->getOperands(),
                       [&](Value v) { return fromInt.contains(v); }))
        for (Value r : op->getResults())
          if (isFloatTensor(r.getType()))
            fromInt.insert(r);
    });
    // Backward: float values that are quantized again later.
    llvm::DenseSet<Value> toInt;
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : llvm::reverse(ops)) {
      if (llvm::isa<mq::QuantizeCastOp>(op)) {
        toInt.insert(op->getOperand(0));
        continue;
      }
      if (llvm::isa<mq::DequantizeCastOp>(op))
        continue;
      if (llvm::any_of(op->getResults(),
                       [&](Value v) { return toInt.contains(v); }))
        for (Value v : op->getOperands())
          if (isFloatTensor(v.getType()))
            toInt.insert(v);
    }
    bool found = false;
    for (Operation *op : ops) {
      if (llvm::isa<mq::QuantizeCastOp, mq::DequantizeCastOp>(op) ||
          op->hasTrait<OpTrait::ConstantLike>())
        continue;
      bool in = llvm::any_of(op->getOperands(),
                             [&](Value v) { return fromInt.contains(v); });
      bool out = llvm::any_of(op->getResults(),
                              [&](Value v) { return toInt.contains(v); });
      if (!in || !out)
        continue;
      found = true;
      auto diag = strict ? op->emitError() : op->emitWarning();
      diag << "float arithmetic between quantize and dequantize: "
           << op->getName() << " runs in float on dequantized values";
    }
    if (found && strict)
      signalPassFailure();
  }
};

} // namespace
