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
#include "mlir/Dialect/Vector/IR/VectorOps.h"

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
    auto toIntrinsic = [](auto op, StringRef name) {
      OpBuilder b(op);
      Value r = LLVM::CallIntrinsicOp::create(
                    b, op.getLoc(), op.getType(), b.getStringAttr(name),
                    ValueRange{op.getAcc(), op.getLhs(), op.getRhs()})
                    .getResult(0);
      op.replaceAllUsesWith(r);
      op.erase();
    };
    getOperation().walk([&](X86VpdpbusdOp op) {
      toIntrinsic(op, "llvm.x86.avx512.vpdpbusd.512");
    });
    getOperation().walk([&](X86VpdpwssdOp op) {
      toIntrinsic(op, "llvm.x86.avx512.vpdpwssd.512");
    });
    getOperation().walk([&](Arm64SmmlaOp op) {
      toIntrinsic(op, "llvm.aarch64.neon.smmla.v4i32.v16i8");
    });
    // sdot works on 128-bit registers: four calls on the quarters.
    getOperation().walk([](Arm64SdotOp op) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto v4i32 = VectorType::get({4}, b.getI32Type());
      Value result = op.getAcc();
      for (int64_t q = 0; q < 4; ++q) {
        auto slice = [&](Value v, int64_t size) -> Value {
          return vector::ExtractStridedSliceOp::create(
              b, loc, v, ArrayRef<int64_t>{q * size}, ArrayRef<int64_t>{size},
              ArrayRef<int64_t>{1});
        };
        Value r = LLVM::CallIntrinsicOp::create(
                      b, loc, v4i32,
                      b.getStringAttr("llvm.aarch64.neon.sdot.v4i32.v16i8"),
                      // sdot is symmetric in its two sources; the
                      // activations (often a lane broadcast) go second,
                      // where AArch64 selects the lane-indexed form.
                      ValueRange{slice(op.getAcc(), 4), slice(op.getRhs(), 16),
                                 slice(op.getLhs(), 16)})
                      .getResult(0);
        result = vector::InsertStridedSliceOp::create(
            b, loc, r, result, ArrayRef<int64_t>{q * 4}, ArrayRef<int64_t>{1});
      }
      op.replaceAllUsesWith(result);
      op.erase();
    });
  }
};
} // namespace
