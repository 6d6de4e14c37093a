//===- Pipelines.h - intq pass pipelines ------------------------*- C++ -*-===//
//
// Pipelines are library functions first; intq-opt, intq-compile (and later
// the C API and the plugin) all build their pipelines through these.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_PASSES_PIPELINES_H
#define INTQ_PASSES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace intq {

struct PtqPipelineOptions
    : public mlir::PassPipelineOptions<PtqPipelineOptions> {
  Option<bool> perChannel{*this, "per-channel",
                          llvm::cl::desc("Per-output-channel weight scales"),
                          llvm::cl::init(true)};
  Option<unsigned> weightBits{
      *this, "weight-bits",
      llvm::cl::desc("Weight bits: 8, 4 or 2 (ternary)"), llvm::cl::init(8)};
  Option<int64_t> weightCluster{
      *this, "weight-cluster",
      llvm::cl::desc("Output channels sharing one weight scale"),
      llvm::cl::init(1)};
  ListOption<std::string> keepFloat{
      *this, "keep-float",
      llvm::cl::desc("Layers (ONNX node names) that stay in float")};
  ListOption<std::string> layerWeightBits{
      *this, "layer-weight-bits",
      llvm::cl::desc("Per-layer weight bits, name=bits")};
  Option<std::string> activationType{
      *this, "activation-type",
      llvm::cl::desc("int8, uint8, int8-symmetric or int16 activations"),
      llvm::cl::init("int8")};
  Option<bool> propagateRanges{
      *this, "propagate-ranges",
      llvm::cl::desc("Run --intq-propagate-ranges first (derive missing "
                     "ranges, share scales through value-moving ops)"),
      llvm::cl::init(true)};
  Option<bool> biasCorrection{
      *this, "bias-correction",
      llvm::cl::desc("Correct biases for the expected weight error"),
      llvm::cl::init(false)};
};

struct CodegenPipelineOptions
    : public mlir::PassPipelineOptions<CodegenPipelineOptions> {};

/// Float TOSA with range annotations -> quantized intq level (Q):
/// propagate-ranges, assign-scales, quantize, cleanup.
void buildPtqPipeline(mlir::OpPassManager &pm, const PtqPipelineOptions &opts);

/// Any level (float TOSA, Q, integer linalg) -> LLVM dialect: lower intq and
/// quant casts to integer linalg, remaining TOSA to linalg, bufferize, lower
/// loops, convert to the LLVM dialect with a bare-pointer C ABI.
void buildCodegenPipeline(mlir::OpPassManager &pm,
                          const CodegenPipelineOptions &opts);

/// The whole path: PTQ followed by codegen.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const PtqPipelineOptions &opts);

/// Registers intq-ptq-pipeline, intq-codegen-pipeline, intq-compile-pipeline.
void registerIntQPipelines();

} // namespace intq

#endif // INTQ_PASSES_PIPELINES_H
