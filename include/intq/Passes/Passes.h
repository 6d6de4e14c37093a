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

/// --intq-plan-workspace{caller-provided}: the unit attribute that marks
/// the function returning an entry point's workspace size, and that
/// function's name for entry point `fn` (the header generator declares the
/// same name).
inline constexpr llvm::StringLiteral kWorkspaceSizeAttr = "intq.workspace_size";
inline std::string workspaceSizeFunctionName(llvm::StringRef fn) {
  return (fn + "_workspace_size").str();
}

/// --intq-codegen marks the `amx.tile_load` ops of an operand it streams
/// (read once, from L2) with this unit attribute; --intq-lower-target-ops
/// emits them as `tileloaddt1`, which keeps the lines out of L1.
inline constexpr llvm::StringLiteral kStreamAttr = "intq.stream";

/// Rewrites the `amx` tile ops of `module` into portable loops on stack
/// buffers (--intq-lower-target-ops{emulate-amx}).
mlir::LogicalResult emulateAmxOps(mlir::ModuleOp module);

/// Rewrites the x86 VNNI dot-product ops of `module` (`intq.x86.vpdpbusd`,
/// `intq.x86.vpdpwssd`) into portable vector arithmetic
/// (--intq-lower-target-ops{emulate-vnni}).
void emulateVnniOps(mlir::ModuleOp module);

} // namespace intq

#endif // INTQ_PASSES_PASSES_H
