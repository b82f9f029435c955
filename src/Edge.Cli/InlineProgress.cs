namespace Edge.Cli;

/// <summary>Reports synchronously on the working thread (<see cref="Progress{T}"/> would post to the thread pool,
/// behind a progress bar that has already moved on).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
