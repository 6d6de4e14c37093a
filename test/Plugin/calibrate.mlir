// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// Calibration inside --intq-ptq-pipeline in Debian's mlir-opt: intq's
// --intq-calibrate compiles the float model with the LLVM JIT in the
// mlir-opt process and runs it on the samples. Eight samples
// x[i][j] = 0.5 i - j span [-3, 3.5]: scale 6.5 / 255, zero point -10.
// RUN: %python -c "import struct,sys; sys.stdout.buffer.write(struct.pack('<32f', *[0.5*i - j for i in range(8) for j in range(4)]))" > %t.bin
// RUN: mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline{calibrate-raw-input=%t.bin})' -o %t.plugin.mlir
// RUN: FileCheck %s < %t.plugin.mlir
// RUN: intq-opt %s --intq-ptq-pipeline="calibrate-raw-input=%t.bin" -o %t.intq-opt.mlir
// RUN: diff %t.intq-opt.mlir %t.plugin.mlir

// CHECK-LABEL: func.func @main
// CHECK-NOT: intq.stats
// CHECK: quant.qcast %arg0 : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.025490196{{[0-9]*}}:-10>>
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c = "tosa.const"() {values = dense<[[1.0, -2.0, 0.5, 3.0]]> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %a = tosa.add %x, %c : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = tosa.clamp %a {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
