namespace Edge;

/// <summary>A failure caused by the user's input (model, source, configuration) with a message that says
/// what to fix. The CLI prints only the message; everything else is a bug and prints a stack trace.</summary>
public class EdgeException(string message, Exception? inner = null) : Exception(message, inner);
