using System.Runtime.CompilerServices;

// DetectorPlatform is substituted in tests to drive the TensorRT engine-cache path without a GPU.
[assembly: InternalsVisibleTo("Edge.Vision.Tests")]
