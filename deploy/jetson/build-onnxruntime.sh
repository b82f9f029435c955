#!/usr/bin/env bash
# Builds ONNX Runtime ${ORT_TAG} as a shared library with the CUDA and TensorRT execution providers, on the Jetson
# itself or inside nvcr.io/nvidia/l4t-jetpack (the Dockerfile's first stage). NuGet's Microsoft.ML.OnnxRuntime.Gpu
# ships x64 natives only, so this is the way to a GPU ONNX Runtime for linux-arm64; edge uses it through
# Microsoft.ML.OnnxRuntime.Managed of the same version (publish with -p:EdgeGpu=true).
#
# Output: $OUT/lib/libonnxruntime.so*, libonnxruntime_providers_{shared,cuda,tensorrt}.so and BUILD-INFO.onnxruntime
# Env:    OUT (default deploy/jetson/out), WORK (default ~/.cache/edge-build), JOBS (default nproc; use 2-4 on an
#         8 GB Orin Nano and add swap, nvcc needs ~2 GB per job), CUDA_ARCHITECTURES (versions.env)
# Time:   about 1.5 h on AGX Orin, 3-4 h on Orin Nano.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
out="${OUT:-$here/out}"
work="${WORK:-$HOME/.cache/edge-build}"
jobs="${JOBS:-$(nproc)}"
archs="${CUDA_ARCHITECTURES}"
cuda_home="${CUDA_HOME:-/usr/local/cuda}"
trt_home="${TENSORRT_HOME:-/usr/lib/aarch64-linux-gnu}"
cudnn_home="${CUDNN_HOME:-/usr/lib/aarch64-linux-gnu}"
fail() { echo "build-onnxruntime.sh: $*" >&2; exit 1; }

[[ "$(uname -m)" == aarch64 ]] || fail "run this on the Jetson (aarch64), or in the Dockerfile's 'natives' stage"
[[ -x "$cuda_home/bin/nvcc" ]] || fail "nvcc not found in $cuda_home/bin; install JetPack's CUDA (sudo apt install nvidia-jetpack) or set CUDA_HOME"
ls "$trt_home"/libnvinfer.so.* >/dev/null 2>&1 || fail "TensorRT (libnvinfer) not found in $trt_home; sudo apt install nvidia-tensorrt-dev"
[[ -f /usr/include/aarch64-linux-gnu/NvInfer.h || -f "$trt_home/../include/NvInfer.h" ]] || fail "TensorRT headers missing; sudo apt install nvidia-tensorrt-dev"
[[ -f /usr/include/cudnn.h || -f /usr/include/aarch64-linux-gnu/cudnn.h ]] || fail "cuDNN headers missing; sudo apt install nvidia-cudnn-dev"
trt_found="$(dpkg-query -W -f='${Version}' libnvinfer-dev 2>/dev/null || true)"
[[ -z "$trt_found" || "$trt_found" == "$TENSORRT_VERSION"* ]] \
  || echo "build-onnxruntime.sh: warning: TensorRT $trt_found installed, versions.env pins $TENSORRT_VERSION (JetPack $JETPACK_VERSION)" >&2
command -v git >/dev/null || fail "git missing; sudo apt install git"

# ONNX Runtime needs a newer CMake than Ubuntu 22.04's 3.22: take it from PyPI into the work dir.
export PATH="$work/cmake/bin:$PATH"
if ! cmake --version 2>/dev/null | awk 'NR==1 { split($3, v, "."); exit !(v[1] > 3 || (v[1] == 3 && v[2] >= 28)) }'; then
  python3 -m pip install --quiet --target "$work/cmake-py" "cmake>=3.28,<4"
  mkdir -p "$work/cmake/bin"
  ln -sf "$work/cmake-py/cmake/data/bin/cmake" "$work/cmake/bin/cmake"
  ln -sf "$work/cmake-py/cmake/data/bin/ctest" "$work/cmake/bin/ctest"
  cmake --version >/dev/null || fail "could not install CMake >= 3.28 from PyPI into $work/cmake-py"
fi

src="$work/onnxruntime-$ORT_TAG"
if [[ ! -d "$src/.git" ]]; then
  git clone --depth 1 --branch "$ORT_TAG" --recurse-submodules --shallow-submodules https://github.com/microsoft/onnxruntime "$src"
fi

cd "$src"
# --use_tensorrt builds the TensorRT EP with the bundled onnx-tensorrt parser; --use_cuda gives the CUDA EP used as
# fallback for subgraphs TensorRT rejects. --nvcc_threads 1 keeps peak memory within an 8 GB board.
./build.sh --config Release --update --build --parallel "$jobs" --nvcc_threads 1 \
  --build_shared_lib --skip_tests --allow_running_as_root --compile_no_warning_as_error \
  --use_cuda --cuda_home "$cuda_home" --cudnn_home "$cudnn_home" \
  --use_tensorrt --tensorrt_home "$trt_home" \
  --cmake_extra_defines "CMAKE_CUDA_ARCHITECTURES=$archs" onnxruntime_BUILD_UNIT_TESTS=OFF

build="$src/build/Linux/Release"
mkdir -p "$out/lib"
cp -a "$build"/libonnxruntime.so* "$out/lib/"
for p in shared cuda tensorrt; do
  [[ -f "$build/libonnxruntime_providers_$p.so" ]] || fail "libonnxruntime_providers_$p.so was not built"
  cp -a "$build/libonnxruntime_providers_$p.so" "$out/lib/"
done
{
  echo "onnxruntime $ORT_TAG ($(git rev-parse HEAD))"
  echo "built $(date -u +%FT%TZ) on $(tr -d '\0' </proc/device-tree/model 2>/dev/null || uname -n)"
  echo "CUDA $("$cuda_home/bin/nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p'), TensorRT ${trt_found:-?}, CUDA_ARCHITECTURES=$archs"
} >"$out/lib/BUILD-INFO.onnxruntime"
echo "build-onnxruntime.sh: done -> $out/lib" >&2
ls -l "$out/lib" >&2
