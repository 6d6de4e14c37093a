//===- Pipelines.cpp - intq pass pipelines --------------------------------===//

#include "intq/Passes/Pipelines.h"

#include "intq/Passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

/// Appends an upstream pipeline given in textual form. The text is a fixed
/// string of this file, so failing to parse it is a programming error.
static void addUpstream(OpPassManager &pm, StringRef pipeline) {
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    llvm::report_fatal_error("intq: invalid built-in pipeline: " + pipeline);
}

/// A pass option value in the syntax PassOptions parses back verbatim.
static std::string quoteOption(StringRef v) {
  return "\"" + v.str() + "\"";
}

LogicalResult intq::buildPtqPipeline(OpPassManager &pm,
                                     const PtqPipelineOptions &opts,
                                     llvm::raw_ostream &errs) {
  if (!opts.calibrateFashionMnist.empty() || !opts.calibrateRawInput.empty()) {
    const PassInfo *calibrate = PassInfo::lookup("intq-calibrate");
    if (!calibrate) {
      errs << "intq-ptq-pipeline: calibrate-* options need the "
              "intq-calibrate pass (register it with "
              "intq::registerCalibrationPasses, library "
              "IntQCalibrationRunner)\n";
      return failure();
    }
    std::string options;
    llvm::raw_string_ostream os(options);
    if (!opts.calibrateFashionMnist.empty())
      os << "fashion-mnist=" << quoteOption(opts.calibrateFashionMnist) << " ";
    if (!opts.calibrateRawInput.empty())
      os << "raw-input=" << quoteOption(opts.calibrateRawInput) << " ";
    os << "method=" << opts.calibrateMethod
       << " images=" << static_cast<int64_t>(opts.calibrateImages)
       << " percentile=" << static_cast<double>(opts.calibratePercentile);
    if (failed(calibrate->addToPipeline(pm, options, [&](const Twine &msg) {
          errs << "intq-ptq-pipeline: " << msg << "\n";
          return failure();
        })))
      return failure();
  }
  if (opts.propagateRanges)
    pm.addNestedPass<func::FuncOp>(createPropagateRanges());
  AssignScalesOptions assign;
  assign.perChannel = opts.perChannel;
  assign.weightBits = opts.weightBits;
  assign.weightCluster = opts.weightCluster;
  assign.keepFloat = llvm::to_vector(opts.keepFloat);
  assign.layerWeightBits = llvm::to_vector(opts.layerWeightBits);
  assign.biasCorrection = opts.biasCorrection;
  assign.activationType = opts.activationType;
  pm.addNestedPass<func::FuncOp>(createAssignScales(assign));
  QuantizeOptions quantize;
  quantize.rounding = opts.rounding;
  pm.addNestedPass<func::FuncOp>(createQuantize(quantize));
  // No canonicalize here: upstream folds quant.dcast(quant.qcast(x)) to x,
  // which would silently drop the quantization of float islands.
  pm.addPass(createCSEPass());
  return success();
}

void intq::buildCodegenPipeline(OpPassManager &pm,
                                const CodegenPipelineOptions &opts) {
  if (opts.kernels != "none") {
    CodegenOptions codegen;
    codegen.target = opts.kernels;
    codegen.amxMinReduction = opts.amxMinReduction;
    codegen.amxMinRows = opts.amxMinRows;
    codegen.amxMinColumns = opts.amxMinColumns;
    codegen.amxMinMacs = opts.amxMinMacs;
    codegen.amxIm2col = opts.amxIm2col;
    codegen.x86Vbmi = opts.x86Vbmi;
    pm.addNestedPass<func::FuncOp>(createCodegen(codegen));
  }
  pm.addPass(createLowerToLinalg());
  addUpstream(pm, "func.func(tosa-to-linalg-named,tosa-to-linalg,"
                  "tosa-to-arith,tosa-to-tensor)");
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createMaterializeResults());
  addUpstream(pm,
              "one-shot-bufferize{bufferize-function-boundaries=1 "
              "function-boundary-type-conversion=identity-layout-map},"
              // Loops that carried a tensor now yield the buffer they got:
              // folding those iter_args lets the result's allocation
              // become the output parameter instead of being copied there.
              "canonicalize,"
              "buffer-results-to-out-params{hoist-static-allocs=1 modify-public-functions=1}");
  // One transient allocation per call (freed by the deallocation
  // pipeline), or the caller's workspace.
  PlanWorkspaceOptions workspace;
  workspace.callerProvided = opts.callerWorkspace;
  pm.addPass(createPlanWorkspace(workspace));
  addUpstream(pm, "buffer-deallocation-pipeline,"
                  "convert-bufferization-to-memref");
  pm.addNestedPass<func::FuncOp>(createExpandMemRefCopy());
  LowerTargetOpsOptions targetOps;
  targetOps.emulateAmx = opts.emulateAmx;
  targetOps.emulateVnni = opts.emulateVnni;
  pm.addPass(createLowerTargetOps(targetOps));
  addUpstream(pm, "func.func(convert-linalg-to-loops),"
                  "expand-strided-metadata,lower-affine,convert-scf-to-cf," +
                      std::string(opts.kernels == "x86-amx" && !opts.emulateAmx
                                ? "convert-vector-to-llvm{enable-amx=1},"
                                : "convert-vector-to-llvm,") +
              "convert-math-to-llvm,convert-arith-to-llvm,"
              "finalize-memref-to-llvm,"
              "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
              // Branches carrying AMX tiles (loop-carried accumulators) need
              // the AMX dialect's type conversion, which convert-to-llvm
              // collects from the dialect interfaces.
              + std::string(opts.kernels == "x86-amx" && !opts.emulateAmx
                                ? "convert-to-llvm{filter-dialects=cf,amx},"
                                : "convert-cf-to-llvm,") +
              "convert-index-to-llvm,"
              "reconcile-unrealized-casts");
}

LogicalResult intq::buildCompilePipeline(OpPassManager &pm,
                                         const PtqPipelineOptions &opts,
                                         llvm::raw_ostream &errs) {
  if (failed(buildPtqPipeline(pm, opts, errs)))
    return failure();
  buildCodegenPipeline(pm, CodegenPipelineOptions());
  return success();
}

/// Registers a pipeline whose builder can fail (PassPipelineRegistration's
/// builders cannot).
static void registerPtqOptionsPipeline(
    StringRef arg, StringRef description,
    LogicalResult (*build)(OpPassManager &, const intq::PtqPipelineOptions &,
                           llvm::raw_ostream &)) {
  registerPassPipeline(
      arg, description,
      [build](OpPassManager &pm, StringRef text,
              function_ref<LogicalResult(const Twine &)> errorHandler) {
        intq::PtqPipelineOptions opts;
        if (failed(opts.parseFromString(text)))
          return failure();
        std::string message;
        llvm::raw_string_ostream os(message);
        if (failed(build(pm, opts, os)))
          return errorHandler(StringRef(message).trim());
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(intq::PtqPipelineOptions());
      });
}

void intq::registerIntQPipelines() {
  registerPtqOptionsPipeline(
      "intq-ptq-pipeline",
      "Float TOSA with range annotations (or calibrate-* options) to the "
      "quantized intq level: [calibrate,] propagate ranges, assign scales, "
      "quantize",
      buildPtqPipeline);
  PassPipelineRegistration<CodegenPipelineOptions>(
      "intq-codegen-pipeline",
      "Lower any intq level (quantized, integer linalg, float TOSA) to the "
      "LLVM dialect with a bare-pointer C ABI",
      buildCodegenPipeline);
  registerPtqOptionsPipeline(
      "intq-compile-pipeline",
      "The whole path: intq-ptq-pipeline then intq-codegen-pipeline",
      buildCompilePipeline);
}
