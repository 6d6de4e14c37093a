// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// Error paths of the intq plugin in Debian's mlir-opt: a located error and a
// non-zero exit.
//
// A pipeline option that does not exist.
// RUN: not mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline{no-such-option=1})' 2>&1 | FileCheck %s --check-prefix=OPTION
// OPTION: no such option no-such-option
// OPTION: error: failed to add `intq-ptq-pipeline` with options `no-such-option=1`
//
// An option value the pipeline's --intq-assign-scales refuses.
// RUN: not mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline{weight-bits=3})' 2>&1 | FileCheck %s --check-prefix=BITS
// BITS: errors.mlir:{{[0-9]+}}:1: error: weight-bits must be 8, 7, 4 or 2 (ternary), got 3
//
// Calibration inside the pipeline (--intq-calibrate, which runs the model
// with the LLVM JIT in the mlir-opt process) and a missing data file.
// RUN: not mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline{calibrate-raw-input=%t.missing})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CALIB
// CALIB: errors.mlir:{{[0-9]+}}:1: error: calibration data: cannot open {{.*}}.missing
//
// Plugin passes have no flag of their own in a stock mlir-opt: it builds its
// pass flags before --load-pass-plugin loads the plugin (the passes are
// listed by --help and run through --pass-pipeline).
// RUN: not mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --intq-ptq-pipeline 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: Unknown command line argument '--intq-ptq-pipeline'
//
// Without the plugin, neither the dialect nor the passes exist.
// RUN: not mlir-opt %s 2>&1 | FileCheck %s --check-prefix=NODIALECT
// NODIALECT: error: Dialect `intq' not found for custom op 'intq.stats'
// RUN: echo 'module {}' | not mlir-opt --pass-pipeline='builtin.module(intq-ptq-pipeline)' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOPASS
// NOPASS: 'intq-ptq-pipeline' does not refer to a registered pass or pass pipeline

func.func @main(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x4xf32>
  return %x : tensor<1x4xf32>
}
