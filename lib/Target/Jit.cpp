//===- Jit.cpp - compile and run a model in process -----------------------===//

#include "intq/Target/Jit.h"

#include "intq/Passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

int64_t intq::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

FailureOr<intq::JitModel> intq::jitCompile(ModuleOp module, bool ptq) {
  JitModel m;
  func::FuncOp entry;
  module.walk([&](func::FuncOp f) {
    if (!entry && f.isPublic() && !f.isExternal())
      entry = f;
  });
  if (!entry)
    return module.emitError("no public function to run");
  m.name = entry.getSymName().str();
  auto collect = [&](TypeRange types, StringRef what,
                     SmallVector<SmallVector<int64_t>> &out) -> LogicalResult {
    for (Type t : types) {
      auto rt = llvm::dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.getElementType().isF32() || !rt.hasStaticShape())
        return entry.emitError("running needs static f32 tensor ")
               << what << ", got " << t;
      out.emplace_back(rt.getShape());
    }
    return success();
  };
  if (failed(collect(entry.getArgumentTypes(), "arguments", m.inputShapes)) ||
      failed(collect(entry.getResultTypes(), "results", m.outputShapes)))
    return failure();
  PassManager pm(module.getContext());
  if (ptq)
    buildPtqPipeline(pm, PtqPipelineOptions());
  buildCodegenPipeline(pm, CodegenPipelineOptions());
  if (failed(pm.run(module)))
    return failure();
  ExecutionEngineOptions options;
  auto transformer = makeOptimizingTransformer(3, 0, nullptr);
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine) {
    std::string msg = llvm::toString(engine.takeError());
    return module.emitError("JIT compilation failed: ") << msg;
  }
  m.engine = std::move(*engine);
  return m;
}

LogicalResult intq::JitModel::run(ArrayRef<float *> inputs,
                                  ArrayRef<float *> outputs) {
  SmallVector<void *> ptrs;
  for (float *p : inputs)
    ptrs.push_back(p);
  for (float *p : outputs)
    ptrs.push_back(p);
  SmallVector<void *> args;
  for (void *&p : ptrs)
    args.push_back(&p);
  if (llvm::Error err = engine->invokePacked(name, args)) {
    llvm::errs() << "intq: running " << name << " failed: "
                 << llvm::toString(std::move(err)) << "\n";
    return failure();
  }
  return success();
}
