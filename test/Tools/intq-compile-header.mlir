// RUN: intq-compile %s --header=%t.h -o %t.o
// RUN: FileCheck %s < %t.h
// RUN: %cc-x86_64 -fsyntax-only -x c %t.h
// RUN: %cc-x86_64 -fsyntax-only -x c++ %t.h

// The header declares each public function with the bare-pointer ABI:
// inputs first (const), then one output buffer per result, element types
// from the quantized storage types.
// CHECK: #ifndef INTQ_{{.*}}_H
// CHECK: #include <stdint.h>
// CHECK: extern "C" {
// CHECK: /* kernel:
// CHECK-NEXT: *   in0: 1x3x3x1 !quant.uniform<i8:f32, 5.000000e-01:-3>
// CHECK-NEXT: *   in1: 4 f32
// CHECK-NEXT: *   out0: 1x3x3x2 !quant.uniform<i8:f32, 1.000000e+00:5>
// CHECK-NEXT: *   out1: 4 f32
// CHECK: #define KERNEL_IN0_ELEMENTS 9
// CHECK: #define KERNEL_OUT0_ELEMENTS 18
// CHECK: void kernel(const int8_t *in0, const float *in1, int8_t *out0, float *out1);
// CHECK-NOT: helper

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5}>
!qo = !quant.uniform<i8:f32, 1.0:5>
func.func @kernel(%x: tensor<1x3x3x1x!qa>, %f: tensor<4xf32>) -> (tensor<1x3x3x2x!qo>, tensor<4xf32>) {
  %w = intq.qconst dense<1> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x3x3x1x!qa>, tensor<2x2x2x1x!qw>) -> tensor<1x3x3x2x!qo>
  %g = call @helper(%f) : (tensor<4xf32>) -> tensor<4xf32>
  return %r, %g : tensor<1x3x3x2x!qo>, tensor<4xf32>
}
func.func private @helper(%f: tensor<4xf32>) -> tensor<4xf32> {
  return %f : tensor<4xf32>
}
