// Not in sanitizer builds: Debian's mlir-opt is not instrumented and
// cannot load an instrumented plugin.
// UNSUPPORTED: intq-sanitizers
// intq's pipelines in Debian's mlir-opt: the output is the same as
// intq-opt's, byte for byte.
// RUN: mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline)' | FileCheck %s --check-prefix=PTQ
// RUN: mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline{weight-bits=4})' | FileCheck %s --check-prefix=W4
// RUN: mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-compile-pipeline)' -o %t.plugin.mlir
// RUN: FileCheck %s --check-prefix=LLVM < %t.plugin.mlir
// RUN: intq-opt %s --intq-compile-pipeline -o %t.intq-opt.mlir
// RUN: diff %t.intq-opt.mlir %t.plugin.mlir
// The two halves, and upstream passes between them.
// RUN: mlir-opt %s --load-dialect-plugin=%intq_plugin --load-pass-plugin=%intq_plugin \
// RUN:   --pass-pipeline='builtin.module(intq-ptq-pipeline,canonicalize,intq-codegen-pipeline)' \
// RUN:   | FileCheck %s --check-prefix=LLVM

// Float TOSA with range annotations becomes the quantized level, casts only
// at the function boundary.
// PTQ-LABEL: func.func @two_layers
// PTQ: %[[X:.+]] = quant.qcast %arg0
// PTQ: %[[A:.+]] = intq.conv2d %[[X]]
// PTQ: %[[B:.+]] = intq.conv2d %[[A]]
// PTQ: %[[Y:.+]] = quant.dcast %[[B]]
// PTQ: return %[[Y]]
// PTQ-NOT: tosa.

// Pipeline options parse as in intq-opt: 4-bit weights.
// W4-LABEL: func.func @two_layers
// W4: intq.qconst dense<-7> : tensor<4x2x2x3xi8> -> tensor<4x2x2x3x!quant.uniform<i8<-8:7>:f32:0
// W4: intq.qconst dense<7> : tensor<3x3x3x2xi8> -> tensor<3x3x3x2x!quant.uniform<i8<-8:7>:f32:0

// The whole path ends in the LLVM dialect, results as output parameters.
// LLVM-LABEL: llvm.func @two_layers
// LLVM-SAME: (%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVM-NOT: builtin.unrealized_conversion_cast
// LLVM-NOT: linalg.
// LLVM-NOT: intq.
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
