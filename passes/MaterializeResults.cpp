//===- MaterializeResults.cpp - one tensor per function result ------------===//
//
// Implements --intq-materialize-results (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

namespace intq {
#define GEN_PASS_DEF_MATERIALIZERESULTS
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;

namespace {
struct MaterializeResultsPass
    : public intq::impl::MaterializeResultsBase<MaterializeResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
        bool alias = llvm::isa<BlockArgument>(v) || !seen.insert(v).second ||
                     (v.getDefiningOp() &&
                      v.getDefiningOp()->hasTrait<OpTrait::ConstantLike>());
        if (!type || !type.hasStaticShape() || !alias)
          continue;
        Value empty = tensor::EmptyOp::create(b, ret.getLoc(), type.getShape(),
                                              type.getElementType());
        Value copy = linalg::CopyOp::create(b, ret.getLoc(), v, empty)
                         .getResult(0);
        operand.set(copy);
      }
    });
  }
};
} // namespace
