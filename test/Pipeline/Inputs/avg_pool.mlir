// Two channels of a 2x2 window: 2/4 = 0.5 -> 1 and -2/4 = -0.5 -> -1.
!q = !quant.uniform<i8:f32, 1.0:0>
func.func @avg(%x: tensor<1x2x2x2xf32>) -> tensor<1x1x1x2xf32> {
  %q = quant.qcast %x : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!q>
  %a = intq.avg_pool2d %q {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x2x!q> -> tensor<1x1x1x2x!q>
  %d = quant.dcast %a : tensor<1x1x1x2x!q> to tensor<1x1x1x2xf32>
  return %d : tensor<1x1x1x2xf32>
}
