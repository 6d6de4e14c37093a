//===- IntQ.h - intq dialect ------------------------------------*- C++ -*-===//

#ifndef INTQ_DIALECT_INTQ_INTQ_H
#define INTQ_DIALECT_INTQ_INTQ_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "intq/Dialect/IntQ/RealRange.h"

#include "intq/Dialect/IntQ/IntQInterfaces.h.inc"
#include "intq/Dialect/IntQ/IntQOpsDialect.h.inc"
#include "intq/Dialect/IntQ/IntQOpsEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "intq/Dialect/IntQ/IntQOpsAttrs.h.inc"

#define GET_OP_CLASSES
#include "intq/Dialect/IntQ/IntQOps.h.inc"

namespace intq {

/// Checks that `type` is a well-formed uniform quantized type: scales finite
/// and positive, zero points inside the storage range. Emits through
/// `emitError` and fails otherwise. `what` names the value in the message.
mlir::LogicalResult
verifyQuantizedType(mlir::Type type, llvm::StringRef what,
                    llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// Scale of channel `c` of a per-tensor or per-axis quantized type.
double getScale(mlir::quant::QuantizedType type, int64_t c);

/// The layer an op belongs to: the name of its location (intq-import-onnx
/// names every op after its ONNX node), looking into fused locations.
std::optional<llvm::StringRef> getLayerName(mlir::Location loc);

/// Attaches intq::RealRangeOpInterface models to the upstream TOSA ops that
/// range propagation understands (clamp, sigmoid, tanh, add, sub, reshape,
/// transpose, slice, pad, concat, max/avg pooling).
void registerTosaRangeModels(mlir::DialectRegistry &registry);
/// Zero point of channel `c` of a per-tensor or per-axis quantized type.
int64_t getZeroPoint(mlir::quant::QuantizedType type, int64_t c);

} // namespace intq

#endif // INTQ_DIALECT_INTQ_INTQ_H
