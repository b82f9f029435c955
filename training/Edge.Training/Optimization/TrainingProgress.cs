namespace Edge.Training.Optimization;

/// <summary>The metrics of one finished epoch (a row of results.csv).</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double ValLoss, double ValAccuracy, double LearningRate, double ImagesPerSecond, double Seconds);

/// <summary>Reported after each batch (Completed is null) and after each epoch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double ImagesPerSecond, EpochMetrics? Completed);
