using Edge.Geometry;

namespace Edge.Detection;

/// <summary>One object found in one frame: a box in source-image pixels, a confidence and a class.</summary>
public readonly record struct Detection(BoxF Box, float Score, int ClassId);
