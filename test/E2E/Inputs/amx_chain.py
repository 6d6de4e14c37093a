#!/usr/bin/env python3
"""Prints a function of two chained int8 matmuls of whole AMX tiles
(64 x 128 -> 64 x 128 -> 64 x 128, weights from a fixed seed): the AMX
kernel reads the second one's input, the first one's result, in place
while it writes a result of the same type (amx-chain.test)."""
import random

rng = random.Random(7)


def weights():
    return "0x" + "".join("%02X" % (rng.randint(-100, 100) & 0xFF)
                          for _ in range(128 * 128))


a = "!quant.uniform<i8:f32, 0.02:-3>"
w = "!quant.uniform<i8<-127:127>:f32, 0.002>"
h = "!quant.uniform<i8:f32, 0.1:1>"
o = "!quant.uniform<i8:f32, 0.05:2>"
print(f"""func.func @chain(%x: tensor<64x128x{a}>) -> tensor<64x128x{o}> {{
  %w1 = intq.qconst dense<"{weights()}"> : tensor<128x128xi8> -> tensor<128x128x{w}>
  %y1 = intq.matmul %x, %w1 : (tensor<64x128x{a}>, tensor<128x128x{w}>) -> tensor<64x128x{h}>
  %w2 = intq.qconst dense<"{weights()}"> : tensor<128x128xi8> -> tensor<128x128x{w}>
  %y2 = intq.matmul %y1, %w2 : (tensor<64x128x{h}>, tensor<128x128x{w}>) -> tensor<64x128x{o}>
  return %y2 : tensor<64x128x{o}>
}}""")
