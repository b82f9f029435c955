using System.Globalization;
using Edge.Training.Optimization;
using Spectre.Console;

namespace Edge.Training.Cli;

/// <summary>Renders <see cref="TrainingProgress"/> as a Spectre.Console progress bar per epoch with loss and throughput,
/// and prints one summary line per finished epoch.</summary>
internal static class TrainingConsole
{
    public static T Run<T>(int epochs, Func<IProgress<TrainingProgress>, T> train, string metricName = "val_acc")
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                int current = -1;
                var progress = new SynchronousProgress(p =>
                {
                    if (p.Epoch != current)
                    {
                        current = p.Epoch;
                        task = ctx.AddTask($"epoch {p.Epoch}/{epochs}", maxValue: p.Batches);
                    }
                    task!.Value = p.Batch;
                    if (p.Completed is { } m)
                    {
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"epoch {m.Epoch}/{epochs} loss {m.TrainLoss:F4}{(double.IsNaN(m.ValLoss) ? "" : $" val_loss {m.ValLoss:F4}")} {metricName} {m.ValAccuracy:P2} {m.ImagesPerSecond:F1} img/s");
                    }
                    else
                    {
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{epochs} loss {p.Loss:F4} {p.ImagesPerSecond:F1} img/s");
                    }
                });
                result = train(progress);
            });
        return result;
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder updates).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
