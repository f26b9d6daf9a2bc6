#!/bin/sh
# Builds bench/native/mandelbrot-native (gitignored) from mandelbrot-native.c and the kernel shared
# with the wasm build (wasm/src/mandelbrot-kernel.h).
# -ffp-contract=off: no fused multiply-add, so the image (and checksum) is bit-identical to wasm's.
set -eu
cd "$(dirname "$0")"
CC="${CC:-gcc}"
"$CC" -O3 -ffp-contract=off -Wall -Wextra -o mandelbrot-native mandelbrot-native.c
echo "built bench/native/mandelbrot-native"
