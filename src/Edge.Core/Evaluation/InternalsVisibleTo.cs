using System.Runtime.CompilerServices;

// The assignment solver stays internal to the evaluation code; its tests check it against brute force directly.
[assembly: InternalsVisibleTo("Edge.Core.Tests")]
