// Known open bug, found by intq-ptq-fuzzer (its input:
// Inputs/ptq-fuzz-regressions/crash-4f7aefc656390549bfc31738f268c314a12aa7e9,
// a conv with one output channel, then a fully connected layer): the
// x86-avx512vnni matmul reads its activations in place, four consecutive
// bytes at a time (vector.transfer_read ... vector<4xi8>, when K % 4 == 0).
// Here they are the flattened output of a conv with one output channel,
// which the conv kernel writes into a buffer padded to 16 channels: after
// bufferization the matmul reads a strided view of it
// (memref<2x4xi8, strided<[64, 16]>>), convert-vector-to-llvm cannot lower
// a transfer with a non-unit innermost stride, and translation to LLVM IR
// fails on the unrealized casts left. Plain loops, generic, x86-amx and the
// AArch64 kernels compile it. The fuzzer skips the cases (knownBug in
// tools/fuzz/PtqFuzzer.cpp) until the fix, which removes both.
// XFAIL: *
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --kernels=x86-avx512vnni -o %t.o
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qb = !quant.uniform<i8:f32, 1.0:3>
!qc = !quant.uniform<i8:f32, 2.0:0>
func.func @main(%x: tensor<2x1x4x4x!qa>) -> tensor<2x10x!qc> {
  %w = intq.qconst dense<1> : tensor<1x1x1x4xi8> -> tensor<1x1x1x4x!qw>
  %c = intq.conv2d %x, %w {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x1x4x4x!qa>, tensor<1x1x1x4x!qw>) -> tensor<2x1x4x1x!qb>
  %f = tensor.collapse_shape %c [[0], [1, 2, 3]] : tensor<2x1x4x1x!qb> into tensor<2x4x!qb>
  %m = intq.qconst dense<1> : tensor<10x4xi8> -> tensor<10x4x!qw>
  %y = intq.matmul %f, %m : (tensor<2x4x!qb>, tensor<10x4x!qw>) -> tensor<2x10x!qc>
  return %y : tensor<2x10x!qc>
}
