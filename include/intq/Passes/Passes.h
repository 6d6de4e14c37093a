//===- Passes.h - intq passes -----------------------------------*- C++ -*-===//

#ifndef INTQ_PASSES_PASSES_H
#define INTQ_PASSES_PASSES_H

#include "intq/Dialect/IntQ/IntQ.h"
#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace intq {

#define GEN_PASS_DECL
#include "intq/Passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "intq/Passes/Passes.h.inc"

/// Rewrites the `amx` tile ops of `module` into portable loops on stack
/// buffers (--intq-lower-target-ops{emulate-amx}).
mlir::LogicalResult emulateAmxOps(mlir::ModuleOp module);

} // namespace intq

#endif // INTQ_PASSES_PASSES_H
