//===- QuantUtils.h - helpers shared by the PTQ passes ----------*- C++ -*-===//

#ifndef INTQ_PASSES_QUANTUTILS_H
#define INTQ_PASSES_QUANTUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace intq {

/// The compute ops the PTQ path handles, with uniform accessors.
struct ComputeOpInfo {
  mlir::Operation *op = nullptr;
  mlir::Value input, weights, bias; // bias may be null (tosa.matmul)
  /// Axis of the weights that indexes the output channel, or std::nullopt
  /// when no single axis does (depthwise with channel multiplier > 1).
  std::optional<int32_t> weightAxis;
  int64_t numOut = 0;
};

/// Recognizes tosa.conv2d, tosa.depthwise_conv2d and tosa.matmul.
std::optional<ComputeOpInfo> getComputeOpInfo(mlir::Operation *op);

/// Float values of a constant (tosa.const / arith.constant), if any.
mlir::DenseFPElementsAttr getConstantFloats(mlir::Value v);

/// Whether `v` is a constant whose values are all 0.
bool isZeroConstant(mlir::Value v);

/// Quantizes constant values at compile time with the rounding of the
/// arithmetic contract (float division, ties to even, clamp; double
/// precision for 32-bit storage).
llvm::SmallVector<int64_t> quantizeValues(mlir::DenseFPElementsAttr values,
                                          mlir::quant::QuantizedType qt);

} // namespace intq

#endif // INTQ_PASSES_QUANTUTILS_H
