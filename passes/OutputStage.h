//===- OutputStage.h - shared pieces of the conv/matmul lowering -*- C++ -*-===//
//
// Internal to passes/: the operands of an intq.conv2d / intq.matmul as the
// integer code reads them, and the per-output-channel constants of its
// output stage (folded bias, fixed-point multipliers, clamp, accumulator
// width). Shared by --intq-lower-to-linalg and --intq-codegen.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_PASSES_OUTPUTSTAGE_H
#define INTQ_PASSES_OUTPUTSTAGE_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace intq {

/// Per-output-channel constants of a conv/matmul output stage.
struct OutputStage {
  llvm::SmallVector<int64_t> bias; // q_bias - Z_in * sum(q_w), folded at compile time
  llvm::SmallVector<int32_t> multiplier, leftShift, rightShift;
  int32_t zeroPoint = 0, lo = 0, hi = 0;
  bool needLeftShift = false;
  /// #intq.rounding<single>: rightShift holds the one shift s = 31 - shift
  /// in [1, 62] of floor((acc * M0 + 2^(s-1)) / 2^s); leftShift is all 0.
  bool singleRound = false;
  /// Accumulate in i64: the bound below does not prove int32 safe.
  bool wide = false;
  /// max over output channels of max|q_in| * sum|q_w| + |folded bias|: no
  /// partial or final accumulator value exceeds it in magnitude.
  int64_t bound = 0;
};

struct ComputeOperands {
  mlir::quant::UniformQuantizedType inTy, outTy;
  /// Zero point of the input as the signed i8 the integer ops read: uint8
  /// inputs are re-centred by -128 (sign bit flipped) before use.
  int64_t zIn = 0;
  /// max |q| of the input as the integer ops read it.
  int64_t maxAbsIn = 0;
  bool unsignedInput = false;
  mlir::quant::QuantizedType wTy;
  llvm::SmallVector<int64_t> weights, bias;
};

std::optional<double> toDouble(std::optional<llvm::APFloat> f);

/// Reads the storage values of a constant (intq.qconst) as int64.
mlir::FailureOr<llvm::SmallVector<int64_t>> getConstantValues(mlir::Value v);

/// Checks and reads the operands of a conv / matmul (static shapes, 8- or
/// 16-bit signed input or 8-bit unsigned, 8-bit symmetric constant weights,
/// constant bias); emits the reason on failure.
mlir::FailureOr<ComputeOperands>
getComputeOperands(mlir::Operation *op, mlir::Value input, mlir::Value weights,
                   mlir::Value bias, mlir::Value result);

/// The output stage for input storage read with zero point `zIn` and
/// magnitude at most `maxAbsIn` (e.g. the u8 view of int8 inputs that VNNI
/// kernels use: zIn + 128, 255).
mlir::FailureOr<OutputStage> computeOutputStageImpl(
    mlir::Operation *op, mlir::quant::UniformQuantizedType inTy, int64_t zIn,
    int64_t maxAbsIn, mlir::quant::QuantizedType wTy,
    mlir::quant::UniformQuantizedType outTy, int64_t numOut,
    llvm::ArrayRef<int64_t> biasValues, llvm::ArrayRef<int64_t> weights,
    std::optional<double> clampMin, std::optional<double> clampMax);

/// The output stage of one conv / matmul with `numOut` output channels.
mlir::FailureOr<OutputStage>
computeOutputStage(mlir::Operation *op, const ComputeOperands &co,
                   int64_t numOut, std::optional<double> clampMin,
                   std::optional<double> clampMax);

} // namespace intq

#endif // INTQ_PASSES_OUTPUTSTAGE_H
