// --caller-workspace: the entry point takes its transient memory from the
// caller and allocates nothing. The same model compiled both ways gives the
// same bytes, whatever the workspace held before the call.
// RUN: rm -rf %t && mkdir -p %t
// RUN: intq-compile %s --symbol-prefix=heap_ --header=%t/heap.h -o %t/heap.o
// RUN: intq-compile %s --symbol-prefix=ws_ --caller-workspace --header=%t/ws.h -o %t/ws.o
// RUN: FileCheck %s --check-prefix=HEADER < %t/ws.h
// RUN: llvm-nm %t/heap.o | FileCheck %s --check-prefix=HEAP
// RUN: llvm-nm %t/ws.o | FileCheck %s --check-prefix=WS
// RUN: %cc-x86_64 -I%t %S/Inputs/workspace_main.c %t/heap.o %t/ws.o -o %t/run
// RUN: %t/run | FileCheck %s --check-prefix=OUT

// HEADER: int64_t ws_kernel_workspace_size(void);
// HEADER: void ws_kernel(const int8_t *in0, int8_t *out0, void *workspace);

// The heap build allocates its workspace on every call; the other does not.
// HEAP: U malloc
// WS-NOT: malloc
// WS: T ws_kernel
// WS-NEXT: T ws_kernel_workspace_size
// WS-NOT: malloc

// OUT: workspace {{[1-9][0-9]*}} bytes, 0 of 3 calls differ

// Two padded convolutions: the padded inputs and the intermediate
// activation live in the workspace.
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.125, 0.75}>
!qm = !quant.uniform<i8:f32, 1.0:5>
!qw2 = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.25}>
!qo = !quant.uniform<i8:f32, 2.0:-1>
func.func @kernel(%x: tensor<1x9x7x3x!qa>) -> tensor<1x9x7x3x!qo> {
  %w = intq.qconst dense<[[[[1, -2, 3], [4, 5, -6], [7, 8, 9]], [[-1, 2, 3], [4, -5, 6], [7, 8, -9]], [[1, 2, -3], [-4, 5, 6], [7, -8, 9]]], [[[2, 1, 0], [-1, -2, 3], [4, 0, 1]], [[0, 1, 2], [3, 4, 5], [-6, -7, -8]], [[1, 1, 1], [2, 2, 2], [3, 3, -3]]], [[[5, -4, 3], [2, 1, 0], [-1, -2, -3]], [[9, 8, 7], [-6, 5, 4], [3, 2, 1]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]]], [[[3, 3, 3], [-3, -3, -3], [2, 2, 2]], [[1, -1, 1], [-1, 1, -1], [4, 4, 4]], [[7, 0, -7], [0, 7, 0], [-7, 0, 7]]]]> : tensor<4x3x3x3xi8> -> tensor<4x3x3x3x!qw>
  %m = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f64}
      : (tensor<1x9x7x3x!qa>, tensor<4x3x3x3x!qw>) -> tensor<1x9x7x4x!qm>
  %w2 = intq.qconst dense<[[[[1, 2, 3, 4], [5, 6, 7, 8], [-1, -2, -3, -4]], [[2, 0, -2, 1], [3, 3, 3, 3], [0, 1, 0, -1]], [[4, -4, 4, -4], [1, 0, 1, 0], [9, 9, -9, 1]]], [[[-1, 0, 1, 2], [3, -4, 5, 6], [7, 8, 9, 10]], [[0, 0, 0, 1], [1, 1, 0, 0], [2, -2, 2, -2]], [[5, 5, 5, 5], [-5, 5, -5, 5], [1, 2, 1, 2]]], [[[6, 5, 4, 3], [2, 1, 0, -1], [-2, -3, -4, -5]], [[1, 3, 5, 7], [-7, -5, -3, -1], [0, 2, 4, 6]], [[8, 0, 8, 0], [0, 8, 0, 8], [3, -3, 3, -3]]]]> : tensor<3x3x3x4xi8> -> tensor<3x3x3x4x!qw2>
  %y = intq.conv2d %m, %w2 {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x9x7x4x!qm>, tensor<3x3x3x4x!qw2>) -> tensor<1x9x7x3x!qo>
  return %y : tensor<1x9x7x3x!qo>
}
