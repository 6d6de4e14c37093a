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

void intq::buildPtqPipeline(OpPassManager &pm, const PtqPipelineOptions &opts) {
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
  pm.addNestedPass<func::FuncOp>(createQuantize());
  // No canonicalize here: upstream folds quant.dcast(quant.qcast(x)) to x,
  // which would silently drop the quantization of float islands.
  pm.addPass(createCSEPass());
}

void intq::buildCodegenPipeline(OpPassManager &pm,
                                const CodegenPipelineOptions &) {
  pm.addPass(createLowerToLinalg());
  addUpstream(pm, "func.func(tosa-to-linalg-named,tosa-to-linalg,"
                  "tosa-to-arith,tosa-to-tensor)");
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(createMaterializeResults());
  addUpstream(pm,
              "one-shot-bufferize{bufferize-function-boundaries=1 "
              "function-boundary-type-conversion=identity-layout-map},"
              "buffer-results-to-out-params{hoist-static-allocs=1 modify-public-functions=1},"
              "buffer-deallocation-pipeline,"
              "convert-bufferization-to-memref");
  pm.addNestedPass<func::FuncOp>(createExpandMemRefCopy());
  addUpstream(pm, "func.func(convert-linalg-to-loops),"
              
              "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
              "convert-math-to-llvm,convert-arith-to-llvm,"
              "finalize-memref-to-llvm,"
              "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
              "convert-cf-to-llvm,convert-index-to-llvm,"
              "reconcile-unrealized-casts");
}

void intq::buildCompilePipeline(OpPassManager &pm,
                                const PtqPipelineOptions &opts) {
  buildPtqPipeline(pm, opts);
  buildCodegenPipeline(pm, CodegenPipelineOptions());
}

void intq::registerIntQPipelines() {
  PassPipelineRegistration<PtqPipelineOptions>(
      "intq-ptq-pipeline",
      "Float TOSA with range annotations to the quantized intq level: "
      "assign scales, quantize",
      buildPtqPipeline);
  PassPipelineRegistration<CodegenPipelineOptions>(
      "intq-codegen-pipeline",
      "Lower any intq level (quantized, integer linalg, float TOSA) to the "
      "LLVM dialect with a bare-pointer C ABI",
      buildCodegenPipeline);
  PassPipelineRegistration<PtqPipelineOptions>(
      "intq-compile-pipeline",
      "The whole path: intq-ptq-pipeline then intq-codegen-pipeline",
      buildCompilePipeline);
}
