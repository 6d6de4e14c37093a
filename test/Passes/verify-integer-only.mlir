// RUN: intq-opt %s -split-input-file --intq-verify-integer-only -verify-diagnostics
// RUN: not intq-opt %s -split-input-file --intq-verify-integer-only=strict=true 2>&1 | FileCheck %s --check-prefix=STRICT

!q = !quant.uniform<i8:f32, 0.1:0>

// A max pool on dequantized values whose result is quantized again: a float
// island. The transpose before the input quantize and the softmax-like exp
// after the output dequantize are not reported.
func.func @island(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %t = tosa.transpose %x {perms = array<i32: 0, 1, 2, 3>} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %q = quant.qcast %t : tensor<1x4x4x2xf32> to tensor<1x4x4x2x!q>
  %d = quant.dcast %q : tensor<1x4x4x2x!q> to tensor<1x4x4x2xf32>
  // expected-warning @+1 {{float arithmetic between quantize and dequantize: tosa.max_pool2d runs in float on dequantized values}}
  %p = tosa.max_pool2d %d {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32>
  %q2 = quant.qcast %p : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!q>
  %d2 = quant.dcast %q2 : tensor<1x2x2x2x!q> to tensor<1x2x2x2xf32>
  %e = tosa.exp %d2 : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %e : tensor<1x2x2x2xf32>
}

// STRICT: error: float arithmetic between quantize and dequantize: tosa.max_pool2d
