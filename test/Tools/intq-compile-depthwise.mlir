// The depthwise kernel's vpdpwssd stay vpdpwssd: intq-compile turns off
// LLVM's X86 machine combiner, which splits each into vpmaddwd + vpaddd
// (twice the uops; the depthwise benchmarks ran 10-15 % slower). Given on
// the command line, LLVM's option wins.
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --emit=asm -o - | FileCheck %s
// RUN: intq-compile %s --target=x86_64 --cpu=sapphirerapids --x86-machine-combiner=true --emit=asm -o - | FileCheck %s --check-prefix=SPLIT

// CHECK-LABEL: dw:
// CHECK-NOT: vpmaddwd
// CHECK: vpdpwssd
// CHECK-NOT: vpmaddwd
// CHECK: .Lfunc_end
// SPLIT-LABEL: dw:
// SPLIT: vpmaddwd
!qa = !quant.uniform<i8:f32, 0.02:-7>
!qw = !quant.uniform<i8<-127:127>:f32, 0.01>
!qo = !quant.uniform<i8:f32, 0.5:3>
func.func @dw(%x: tensor<1x16x16x32x!qa>) -> tensor<1x16x16x32x!qo> {
  %w = intq.qconst dense<3> : tensor<32x3x3x1xi8> -> tensor<32x3x3x1x!qw>
  %r = intq.conv2d %x, %w {stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 32 : i64} : (tensor<1x16x16x32x!qa>, tensor<32x3x3x1x!qw>) -> tensor<1x16x16x32x!qo>
  return %r : tensor<1x16x16x32x!qo>
}
