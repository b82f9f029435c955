#!/usr/bin/env bash
# Publishes the Jetson builds (linux-arm64, framework-dependent) and checks what landed in them:
#   out/publish/linux-arm64/      CPU: ONNX Runtime arm64 CPU natives from NuGet
#   out/publish/linux-arm64-gpu/  EdgeGpu=true: managed-only ONNX Runtime; CUDA/TensorRT natives come from the device
# Runs on any machine with the .NET 10 SDK (CI runs it on x64). Usage: deploy/jetson/publish.sh [cpu|gpu|all]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
which="${1:-all}"
fail() { echo "publish.sh: $*" >&2; exit 1; }

publish() { # $1 = output dir name, rest = extra msbuild args
  local name="$1"; shift
  echo "== publish $name" >&2
  dotnet publish "$root/src/Edge.Cli" -p:PublishProfile=linux-arm64 "$@" -nologo -v quiet -clp:ErrorsOnly >&2
  local out="$root/out/publish/$name"
  [[ -f "$out/edge.dll" ]] || fail "$out/edge.dll missing"
  # The apphost must be an aarch64 ELF, or the publish silently used the build machine's RID.
  head -c 20 "$out/edge" | od -An -tx1 | tr -d ' \n' | grep -q '^7f454c46.\{28\}b700' \
    || fail "$out/edge is not an aarch64 executable"
  echo "$out"
}

if [[ "$which" == cpu || "$which" == all ]]; then
  out="$(publish linux-arm64)"
  [[ -f "$out/libonnxruntime.so" ]] || fail "CPU build lacks libonnxruntime.so (Microsoft.ML.OnnxRuntime arm64 natives)"
  [[ ! -f "$out/libOpenCvSharpExtern.so" ]] || fail "unexpected libOpenCvSharpExtern.so in $out (it must be the device build)"
fi
if [[ "$which" == gpu || "$which" == all ]]; then
  out="$(publish linux-arm64-gpu -p:EdgeGpu=true)"
  [[ -f "$out/Microsoft.ML.OnnxRuntime.dll" ]] || fail "GPU build lacks Microsoft.ML.OnnxRuntime.dll (Managed package)"
  [[ ! -f "$out/libonnxruntime.so" ]] || fail "GPU build carries NuGet's CPU libonnxruntime.so; it would shadow the device build"
fi
echo "publish.sh: ok ($which)" >&2
