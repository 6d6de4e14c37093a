//===- OnnxImporter.h - ONNX ModelProto to float MLIR (TOSA) ----*- C++ -*-===//
//
// Reads an ONNX model and emits a func.func over TOSA (plus tensor/arith
// where TOSA has no op) on f32 tensors, fully static: input shapes come
// from the user where the model leaves them dynamic, shape subgraphs are
// folded to constants. Activations are computed in NHWC; the conversion
// from/to ONNX's NCHW happens once at the function boundary and weight
// layouts are transposed at import. Errors name the node and its op type.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_IMPORT_ONNXIMPORTER_H
#define INTQ_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <string>

namespace intq {

struct OnnxImportOptions {
  /// Shapes (ONNX order, e.g. NCHW) for graph inputs, by name. Required for
  /// every dynamic dimension.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Name of the emitted function.
  std::string functionName = "main";
  /// Largest constant (in elements) emitted as a dense attribute; bigger
  /// ones become `dense_resource` blobs, which import and parse without
  /// hashing or formatting every value.
  int64_t inlineConstantLimit = 1024;
};

/// Imports `buffer` (a serialized onnx.ModelProto). On failure, emits
/// located diagnostics on `context` (named after the buffer's identifier and
/// the failing node) and returns null.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModel(llvm::MemoryBufferRef buffer, mlir::MLIRContext *context,
                const OnnxImportOptions &options);

/// Parses "name=1x3x224x224[,name2=...]" into `options.inputShapes`.
mlir::LogicalResult parseInputShapes(llvm::StringRef text,
                                     OnnxImportOptions &options,
                                     std::string &error);

} // namespace intq

#endif // INTQ_IMPORT_ONNXIMPORTER_H
