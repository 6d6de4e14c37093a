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
  Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("conv / matmul output stage rounding: double (gemmlowp, "
                     "the default) or single (TOSA SINGLE_ROUND)"),
      llvm::cl::init("double")};
  Option<bool> propagateRanges{
      *this, "propagate-ranges",
      llvm::cl::desc("Run --intq-propagate-ranges first (derive missing "
                     "ranges, share scales through value-moving ops)"),
      llvm::cl::init(true)};
  Option<bool> biasCorrection{
      *this, "bias-correction",
      llvm::cl::desc("Correct biases for the expected weight error"),
      llvm::cl::init(false)};
  // Calibration inside the pipeline (--intq-calibrate first) when a source
  // is given; the model then needs no intq.stats of its own.
  Option<std::string> calibrateFashionMnist{
      *this, "calibrate-fashion-mnist",
      llvm::cl::desc("Calibrate first, on the Fashion-MNIST training images "
                     "of this directory")};
  Option<std::string> calibrateRawInput{
      *this, "calibrate-raw-input",
      llvm::cl::desc("Calibrate first, on this file of raw float32 model "
                     "inputs")};
  Option<std::string> calibrateMethod{
      *this, "calibrate-method",
      llvm::cl::desc("max | percentile | mse | entropy"),
      llvm::cl::init("max")};
  Option<int64_t> calibrateImages{
      *this, "calibrate-images",
      llvm::cl::desc("At most this many calibration samples"),
      llvm::cl::init(512)};
  Option<double> calibratePercentile{
      *this, "calibrate-percentile",
      llvm::cl::desc("For calibrate-method=percentile"),
      llvm::cl::init(99.99)};
};

struct CodegenPipelineOptions
    : public mlir::PassPipelineOptions<CodegenPipelineOptions> {
  Option<std::string> kernels{
      *this, "kernels",
      llvm::cl::desc("Kernels of --intq-codegen: none (plain linalg "
                     "loops), generic, x86-avx512vnni, x86-amx, "
                     "aarch64-dotprod or aarch64-i8mm"),
      llvm::cl::init("none")};
  Option<int64_t> amxMinReduction{
      *this, "amx-min-reduction",
      llvm::cl::desc("With kernels x86-amx: reductions shorter than this "
                     "take the x86-avx512vnni kernels"),
      llvm::cl::init(0)};
  Option<int64_t> amxMinRows{
      *this, "amx-min-rows",
      llvm::cl::desc("With kernels x86-amx: matmuls and convolutions with "
                     "fewer output rows take the x86-avx512vnni kernels"),
      llvm::cl::init(0)};
  Option<int64_t> amxMinColumns{
      *this, "amx-min-columns",
      llvm::cl::desc("With kernels x86-amx: matmuls and convolutions with "
                     "fewer output channels take the x86-avx512vnni "
                     "kernels"),
      llvm::cl::init(0)};
  Option<int64_t> amxMinMacs{
      *this, "amx-min-macs",
      llvm::cl::desc("With kernels x86-amx: matmuls and convolutions with "
                     "fewer multiply-accumulates take the x86-avx512vnni "
                     "kernels"),
      llvm::cl::init(0)};
  Option<bool> amxIm2col{
      *this, "amx-im2col",
      llvm::cl::desc("With kernels x86-amx: convolutions the AMX kernel "
                     "reads through an im2col copy (C % 64 != 0) stay on "
                     "it; false gives them to the x86-avx512vnni kernels"),
      llvm::cl::init(true)};
  Option<bool> x86Vbmi{
      *this, "x86-vbmi",
      llvm::cl::desc("With kernels x86-avx512vnni or x86-amx: the CPU has "
                     "AVX512-VBMI (depthwise kernels by whole kernel rows)"),
      llvm::cl::init(false)};
  Option<bool> emulateAmx{
      *this, "emulate-amx",
      llvm::cl::desc("Run the x86-amx kernels' tile ops as portable loops "
                     "(tests on machines without AMX)"),
      llvm::cl::init(false)};
  Option<bool> emulateVnni{
      *this, "emulate-vnni",
      llvm::cl::desc("Run the x86 kernels' AVX512-VNNI dot products as "
                     "portable vector arithmetic (tests on x86-64 CPUs "
                     "without AVX512-VNNI)"),
      llvm::cl::init(false)};
  Option<bool> callerWorkspace{
      *this, "caller-workspace",
      llvm::cl::desc("Public functions take their transient memory as a "
                     "last argument (64-byte aligned, "
                     "<name>_workspace_size() bytes) instead of allocating "
                     "it on every call (--intq-plan-workspace)"),
      llvm::cl::init(false)};
};

/// Float TOSA with range annotations -> quantized intq level (Q):
/// [calibrate,] propagate-ranges, assign-scales, quantize, cleanup. The
/// calibrate step is looked up by name in the pass registry (it needs the
/// JIT, which is built on these passes); without it registered
/// (intq::registerCalibrationPasses), calibrate-* options fail with a
/// message on `errs`.
mlir::LogicalResult buildPtqPipeline(mlir::OpPassManager &pm,
                                     const PtqPipelineOptions &opts,
                                     llvm::raw_ostream &errs = llvm::errs());

/// Any level (float TOSA, Q, integer linalg) -> LLVM dialect: lower intq and
/// quant casts to integer linalg, remaining TOSA to linalg, bufferize, lower
/// loops, convert to the LLVM dialect with a bare-pointer C ABI.
void buildCodegenPipeline(mlir::OpPassManager &pm,
                          const CodegenPipelineOptions &opts);

/// The whole path: PTQ followed by codegen.
mlir::LogicalResult buildCompilePipeline(mlir::OpPassManager &pm,
                                         const PtqPipelineOptions &opts,
                                         llvm::raw_ostream &errs = llvm::errs());

/// Registers intq-ptq-pipeline, intq-codegen-pipeline, intq-compile-pipeline.
void registerIntQPipelines();

} // namespace intq

#endif // INTQ_PASSES_PIPELINES_H
