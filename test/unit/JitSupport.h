//===- JitSupport.h - JIT-compile a small kernel module in a unit test ----===//
//
// The kernel tests (RequantizeKernelTest, AddKernelTest) build a function
// with the passes' internal builders (func + arith + vector + memref, intq
// target ops already replaced), lower it to LLVM and call it through the
// ExecutionEngine. KernelJit owns the context, the module and the engine.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_TEST_UNIT_JITSUPPORT_H
#define INTQ_TEST_UNIT_JITSUPPORT_H

#include "intq/Dialect/IntQ/IntQ.h"
#include "intq/Target/Compile.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <memory>

namespace intq::test {

class KernelJit {
public:
  /// A context with the kernel dialects loaded and an empty module.
  KernelJit() {
    mlir::DialectRegistry registry;
    registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                    mlir::memref::MemRefDialect, mlir::vector::VectorDialect,
                    mlir::LLVM::LLVMDialect, intq::IntQDialect>();
    intq::initializeCompiler(registry);
    ctx.appendDialectRegistry(registry);
    ctx.loadAllAvailableDialects();
    module = mlir::ModuleOp::create(mlir::UnknownLoc::get(&ctx));
  }

  mlir::MLIRContext &context() { return ctx; }
  mlir::ModuleOp getModule() { return *module; }

  /// Lowers the module to the LLVM dialect (memrefs passed as bare
  /// pointers), after the passes `first` adds (e.g. intq's target-op
  /// lowering), JIT-compiles it for the host and returns the address of
  /// function `name`, or null when any step fails.
  template <typename Fn>
  Fn compile(llvm::StringRef name,
             llvm::function_ref<void(mlir::PassManager &)> first = {}) {
    static bool registered = (mlir::registerConversionPasses(), true);
    (void)registered;
    mlir::PassManager pm(&ctx);
    if (first)
      first(pm);
    if (failed(mlir::parsePassPipeline(
            "convert-vector-to-llvm,convert-arith-to-llvm,"
            "finalize-memref-to-llvm,"
            "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
            "reconcile-unrealized-casts",
            pm)) ||
        failed(pm.run(*module)))
      return nullptr;
    auto created =
        mlir::ExecutionEngine::create(*module, mlir::ExecutionEngineOptions());
    if (!created) {
      llvm::consumeError(created.takeError());
      return nullptr;
    }
    engine = std::move(*created);
    auto sym = engine->lookup(name);
    if (!sym) {
      llvm::consumeError(sym.takeError());
      return nullptr;
    }
    return reinterpret_cast<Fn>(*sym);
  }

private:
  mlir::MLIRContext ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

} // namespace intq::test

#endif // INTQ_TEST_UNIT_JITSUPPORT_H
