//===- Jit.cpp - compile and run a model in process -----------------------===//

#include "intq/Target/Jit.h"

#include "intq/Passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace {
/// What the codegen pipeline needs to know of the host CPU, queried once.
struct HostFeatures {
  std::string kernels;
  bool vbmi = false;
  bool amx = false;

  static const HostFeatures &get() {
    static const HostFeatures host = [] {
      llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
      HostFeatures h;
      h.kernels = "generic";
#if defined(__x86_64__)
      if (features.lookup("avx512vnni") && features.lookup("avx512bw"))
        h.kernels = "x86-avx512vnni";
      else if (features.lookup("avx2"))
        h.kernels = "x86-avx2";
      h.vbmi = features.lookup("avx512vbmi");
      h.amx = h.kernels == "x86-avx512vnni" && features.lookup("amx-tile") &&
              features.lookup("amx-int8");
#elif defined(__aarch64__)
      if (features.lookup("i8mm"))
        h.kernels = "aarch64-i8mm";
      else if (features.lookup("dotprod"))
        h.kernels = "aarch64-dotprod";
#endif
      return h;
    }();
    return host;
  }
};
} // namespace

std::string intq::hostKernels() { return HostFeatures::get().kernels; }

bool intq::hostHasVbmi() { return HostFeatures::get().vbmi; }

bool intq::hostHasAmx() { return HostFeatures::get().amx; }

int64_t intq::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

FailureOr<intq::JitModel> intq::jitCompile(ModuleOp module, bool ptq,
                                           StringRef ptqOptions) {
  // The host's kernels, as intq-compile --cpu=native would pick them.
  CodegenPipelineOptions codegen;
  codegen.kernels = hostKernels();
  codegen.x86Vbmi = hostHasVbmi();
  return jitCompile(module, ptq, ptqOptions, codegen);
}

FailureOr<intq::JitModel>
intq::jitCompile(ModuleOp module, bool ptq, StringRef ptqOptions,
                 const CodegenPipelineOptions &codegen) {
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
                     SmallVector<SmallVector<int64_t>> &shapes,
                     SmallVector<Type> &elems) -> LogicalResult {
    for (Type t : types) {
      auto rt = llvm::dyn_cast<RankedTensorType>(t);
      Type elem = rt ? rt.getElementType() : Type();
      // Quantized tensors run on their storage, as the codegen lowers them.
      if (auto qt = llvm::dyn_cast_if_present<quant::QuantizedType>(elem))
        elem = qt.getStorageType();
      if (!rt || !rt.hasStaticShape() ||
          !(elem.isF32() || elem.isInteger(8) || elem.isInteger(16) ||
            elem.isInteger(32)))
        return entry.emitError("running needs static f32, i8, i16 or i32 "
                               "tensor ")
               << what << " (or quantized with such storage), got " << t;
      shapes.emplace_back(rt.getShape());
      elems.push_back(elem);
    }
    return success();
  };
  if (failed(collect(entry.getArgumentTypes(), "arguments", m.inputShapes,
                     m.inputTypes)) ||
      failed(collect(entry.getResultTypes(), "results", m.outputShapes,
                     m.outputTypes)))
    return failure();
  PassManager pm(module.getContext());
  if (ptq) {
    auto opts = PtqPipelineOptions::createFromString(ptqOptions);
    if (!opts)
      return module.emitError("invalid PTQ options '") << ptqOptions << "'";
    std::string message;
    llvm::raw_string_ostream os(message);
    if (failed(buildPtqPipeline(pm, *opts, os)))
      return module.emitError(StringRef(message).trim());
  }
  buildCodegenPipeline(pm, codegen);
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
  for (Type t : llvm::concat<const Type>(inputTypes, outputTypes))
    if (!t.isF32()) {
      llvm::errs() << "intq: " << name << " has a " << t
                   << " argument or result: run it with untyped buffers\n";
      return failure();
    }
  SmallVector<void *> in(inputs.begin(), inputs.end()),
      out(outputs.begin(), outputs.end());
  return runBuffers(in, out);
}

LogicalResult intq::JitModel::runBuffers(ArrayRef<void *> inputs,
                                         ArrayRef<void *> outputs) {
  SmallVector<void *> ptrs(inputs.begin(), inputs.end());
  ptrs.append(outputs.begin(), outputs.end());
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
