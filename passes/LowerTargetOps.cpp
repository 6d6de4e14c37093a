//===- LowerTargetOps.cpp - intq target micro-ops to LLVM intrinsics ------===//
//
// Implements --intq-lower-target-ops: the pure target micro-ops of the
// --intq-codegen kernels become LLVM intrinsic calls once the IR is
// bufferized (intrinsic calls have unknown memory effects, which tensor
// passes and buffer deallocation cannot reason about).
//
//===----------------------------------------------------------------------===//

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace intq {
#define GEN_PASS_DEF_LOWERTARGETOPS
#include "intq/Passes/Passes.h.inc"
} // namespace intq

using namespace mlir;
using namespace intq;

namespace {
struct LowerTargetOpsPass
    : intq::impl::LowerTargetOpsBase<LowerTargetOpsPass> {
  void runOnOperation() override {
    getOperation().walk([](X86VpdpbusdOp op) {
      OpBuilder b(op);
      Value r = LLVM::CallIntrinsicOp::create(
                    b, op.getLoc(), op.getType(),
                    b.getStringAttr("llvm.x86.avx512.vpdpbusd.512"),
                    ValueRange{op.getAcc(), op.getLhs(), op.getRhs()})
                    .getResult(0);
      op.replaceAllUsesWith(r);
      op.erase();
    });
  }
};
} // namespace
