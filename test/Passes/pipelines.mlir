// RUN: intq-opt %s --intq-ptq-pipeline | FileCheck %s --check-prefix=PTQ
// RUN: intq-opt %s --intq-compile-pipeline | FileCheck %s --check-prefix=LLVM
// RUN: intq-opt %s --intq-ptq-pipeline --intq-codegen-pipeline | FileCheck %s --check-prefix=LLVM

// The PTQ pipeline: float TOSA with range annotations becomes the quantized level with
// casts only at the function boundary.
// PTQ-LABEL: func.func @two_layers
// PTQ: %[[X:.+]] = quant.qcast %arg0
// PTQ: %[[A:.+]] = intq.conv2d %[[X]]
// PTQ: %[[B:.+]] = intq.conv2d %[[A]]
// PTQ: %[[Y:.+]] = quant.dcast %[[B]]
// PTQ: return %[[Y]]
// PTQ-NOT: tosa.

// The whole path ends in the LLVM dialect, results as output parameters.
// LLVM: llvm.func @two_layers(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVM-NOT: builtin.unrealized_conversion_cast
// LLVM-NOT: linalg.
func.func @two_layers(%arg0: tensor<1x6x6x2xf32>) -> tensor<1x3x3x4xf32> {
  %x = intq.stats %arg0 {min = -1.0 : f64, max = 1.0 : f64} : tensor<1x6x6x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<0.25> : tensor<3x3x3x2xf32>} : () -> tensor<3x3x3x2xf32>
  %b1 = "tosa.const"() {values = dense<0.1> : tensor<3xf32>} : () -> tensor<3xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x6x6x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x3xf32>
  %r1 = tosa.clamp %c1 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  %a = intq.stats %r1 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x6x6x3xf32>
  %w2 = "tosa.const"() {values = dense<-0.5> : tensor<4x2x2x3xf32>} : () -> tensor<4x2x2x3xf32>
  %b2 = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %c2 = tosa.conv2d %a, %w2, %b2, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x6x6x3xf32>, tensor<4x2x2x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x4xf32>
  %y = intq.stats %c2 {min = -40.0 : f64, max = 1.0 : f64} : tensor<1x3x3x4xf32>
  return %y : tensor<1x3x3x4xf32>
}
