#!/usr/bin/env bash
# Builds libOpenCvSharpExtern.so (the native half of OpenCvSharp ${OPENCVSHARP_TAG}) against JetPack's own OpenCV,
# which has GStreamer and so nvarguscamerasrc (CSI cameras) and nvv4l2decoder (hardware decode) through
# VideoCapture(pipeline, CAP_GSTREAMER). There is no OpenCvSharp linux-arm64 runtime package in this project's feed,
# and the official x64 one is built without GStreamer anyway.
#
#   --opencv jetpack  (default) link JetPack's OpenCV ${JETPACK_OPENCV_VERSION} (nvidia-opencv-dev)
#   --opencv source   build OpenCV ${OPENCV_SOURCE_TAG} with GStreamer first (into $OUT/opencv) and link that; use it
#                     when the wrapper does not compile against JetPack's older OpenCV
# NO_CONTRIB=ON: JetPack's OpenCV has no contrib modules.
# Output: $OUT/lib/libOpenCvSharpExtern.so (+ libopencv_*.so.* with --opencv source) and BUILD-INFO.opencvsharp
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
out="${OUT:-$here/out}"
work="${WORK:-$HOME/.cache/edge-build}"
jobs="${JOBS:-$(nproc)}"
opencv=jetpack
while [[ $# -gt 0 ]]; do
  case "$1" in
    --opencv) opencv="$2"; shift 2 ;;
    *) echo "usage: $0 [--opencv jetpack|source]" >&2; exit 2 ;;
  esac
done
fail() { echo "build-opencvsharp.sh: $*" >&2; exit 1; }

[[ "$(uname -m)" == aarch64 ]] || fail "run this on the Jetson (aarch64), or in the Dockerfile's 'natives' stage"
for tool in git cmake pkg-config g++; do
  command -v "$tool" >/dev/null || fail "$tool missing; sudo apt install git cmake pkg-config build-essential"
done
mkdir -p "$work" "$out/lib"

if [[ "$opencv" == source ]]; then
  pkg-config --exists gstreamer-app-1.0 || fail "GStreamer dev files missing; sudo apt install libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev"
  cv_src="$work/opencv-$OPENCV_SOURCE_TAG"
  [[ -d "$cv_src/.git" ]] || git clone --depth 1 --branch "$OPENCV_SOURCE_TAG" https://github.com/opencv/opencv "$cv_src"
  cmake -S "$cv_src" -B "$cv_src/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$out/opencv" \
    -DWITH_GSTREAMER=ON -DWITH_V4L=ON -DWITH_CUDA=OFF -DWITH_GTK=OFF -DWITH_QT=OFF \
    -DBUILD_TESTS=OFF -DBUILD_PERF_TESTS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_opencv_apps=OFF \
    -DBUILD_opencv_python3=OFF -DBUILD_JAVA=OFF -DOPENCV_GENERATE_PKGCONFIG=ON
  cmake --build "$cv_src/build" -j "$jobs"
  cmake --install "$cv_src/build"
  opencv_dir="$(dirname "$(find "$out/opencv" -name OpenCVConfig.cmake | head -n1)")"
  cp -a "$out/opencv/lib"/libopencv_*.so.* "$out/lib/"
else
  pkg-config --exists opencv4 || fail "JetPack OpenCV not found; sudo apt install nvidia-opencv-dev"
  found="$(pkg-config --modversion opencv4)"
  [[ "$found" == "$JETPACK_OPENCV_VERSION"* ]] \
    || echo "build-opencvsharp.sh: warning: OpenCV $found installed, versions.env pins $JETPACK_OPENCV_VERSION" >&2
  opencv_dir="$(dirname "$(find /usr/lib/aarch64-linux-gnu/cmake /usr/lib/cmake /usr/local/lib/cmake -name OpenCVConfig.cmake 2>/dev/null | head -n1)")"
  [[ -f "$opencv_dir/OpenCVConfig.cmake" ]] || fail "OpenCVConfig.cmake not found; sudo apt install nvidia-opencv-dev"
  videoio="$(pkg-config --variable=libdir opencv4)/libopencv_videoio.so"
  ldd "$videoio" | grep -q libgstreamer \
    || fail "$videoio is not linked to GStreamer: this OpenCV cannot open nvarguscamerasrc pipelines (use --opencv source)"
fi

cs_src="$work/opencvsharp-$OPENCVSHARP_TAG"
[[ -d "$cs_src/.git" ]] || git clone --depth 1 --branch "$OPENCVSHARP_TAG" https://github.com/shimat/opencvsharp "$cs_src"
rm -rf "$cs_src/build-$opencv"
cmake -S "$cs_src/src" -B "$cs_src/build-$opencv" -DCMAKE_BUILD_TYPE=Release -DOpenCV_DIR="$opencv_dir" -DNO_CONTRIB=ON
cmake --build "$cs_src/build-$opencv" -j "$jobs"
lib="$(find "$cs_src/build-$opencv" -name libOpenCvSharpExtern.so | head -n1)"
[[ -f "$lib" ]] || fail "libOpenCvSharpExtern.so was not produced"
cp "$lib" "$out/lib/"
if [[ "$opencv" == source ]]; then
  # Find the private OpenCV beside the wrapper at run time.
  command -v patchelf >/dev/null || fail "patchelf missing; sudo apt install patchelf"
  # shellcheck disable=SC2016 # $ORIGIN is for the loader, not the shell
  patchelf --set-rpath '$ORIGIN' "$out/lib/libOpenCvSharpExtern.so"
fi
if LD_LIBRARY_PATH="$out/lib" ldd "$out/lib/libOpenCvSharpExtern.so" | grep 'not found'; then
  fail "libOpenCvSharpExtern.so has unresolved dependencies (above)"
fi
{
  echo "OpenCvSharpExtern $OPENCVSHARP_TAG ($(git -C "$cs_src" rev-parse HEAD)) NO_CONTRIB=ON"
  echo "OpenCV: $opencv ($opencv_dir)"
  echo "built $(date -u +%FT%TZ) on $(tr -d '\0' </proc/device-tree/model 2>/dev/null || uname -n)"
} >"$out/lib/BUILD-INFO.opencvsharp"
echo "build-opencvsharp.sh: done -> $out/lib/libOpenCvSharpExtern.so" >&2
