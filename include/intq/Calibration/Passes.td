//===- Passes.td - intq calibration pass -------------------*- tablegen -*-===//
//
// Apart from include/intq/Passes/Passes.td because the pass runs the model
// with the JIT (IntQTarget), which is itself built on the intq passes.
//
//===----------------------------------------------------------------------===//

#ifndef INTQ_CALIBRATION_PASSES_TD
#define INTQ_CALIBRATION_PASSES_TD

include "mlir/Pass/PassBase.td"

def Calibrate : Pass<"intq-calibrate", "mlir::ModuleOp"> {
  let summary = "Run the float model over calibration data and record "
                "activation ranges as intq.stats";
  let description = [{
    The `intq-calibrate` tool as a pass, for pipelines: JIT-compiles the
    module's first public function (float, one static f32 input) with every
    tensor quantization needs as an extra result, runs it over the samples
    of `fashion-mnist` (training images scaled to [0, 1]) or `raw-input`
    (float32 model inputs back to back), and inserts `intq.stats` with the
    range the `method` derives: `max` (observed), `percentile` (central
    `percentile` % per side), `mse` (least expected 8-bit quantization
    error) or `entropy` (least KL divergence). Statistics are streamed: one
    min/max pass, then one fixed-range histogram pass for the histogram
    methods; memory does not grow with `images`. Per-channel means are
    recorded for bias correction. The model is compiled in a private
    context; the module is only annotated.

    Bad input is an error at the function's location: no or two sources, an
    unreadable file, a raw file that is not a whole number of model inputs,
    a model input that is not an image of the dataset's size, fewer samples
    than one batch. NaN / inf observations are warnings at the tensor's
    location. `--intq-ptq-pipeline="calibrate-fashion-mnist=DIR ..."` runs
    this pass first.

    Before:
    ```mlir
    func.func @main(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
      %y = tosa.matmul ...
      %r = tosa.clamp %y ...
      return %r : tensor<1x3xf32>
    }
    ```
    After (`--intq-calibrate="raw-input=samples.bin method=mse"`):
    ```mlir
    func.func @main(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
      %0 = intq.stats %x {min = 0.0 : f64, max = 0.98 : f64, channel_mean = array<f64: ...>} : tensor<1x4xf32>
      %y = tosa.matmul ...
      %r = tosa.clamp %y ...
      %1 = intq.stats %r {min = 0.0 : f64, max = 5.1 : f64, ...} : tensor<1x3xf32>
      return %1 : tensor<1x3xf32>
    }
    ```
  }];
  let options = [
    Option<"fashionMnist", "fashion-mnist", "std::string", /*default=*/"",
           "Directory of the Fashion-MNIST IDX files (training images)">,
    Option<"rawInput", "raw-input", "std::string", /*default=*/"",
           "File of raw float32 model inputs, back to back">,
    Option<"method", "method", "std::string", /*default=*/"\"max\"",
           "max | percentile | mse | entropy">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "For method=percentile">,
    Option<"images", "images", "int64_t", /*default=*/"512",
           "At most this many samples">,
    Option<"progress", "progress", "bool", /*default=*/"false",
           "Print sample counts to stderr">,
  ];
  let dependentDialects = ["intq::IntQDialect"];
}

#endif // INTQ_CALIBRATION_PASSES_TD
