using Edge.Training.Data;
using static TorchSharp.torch;

namespace Edge.Training.Classification;

/// <summary>Loss, accuracy and confusion matrix (rows = true class, columns = predicted) on a labelled set.</summary>
public sealed record ClassifierEvaluation(double Loss, double Accuracy, int[,] Confusion, int[] Predictions)
{
    public static ClassifierEvaluation Run(nn.Module<Tensor, Tensor> model, ImageSet set, int batchSize = 256)
    {
        model.eval();
        int nc = set.ClassNames.Count;
        var confusion = new int[nc, nc];
        var predictions = new int[set.Count];
        double lossSum = 0;
        int correct = 0;
        using var _ = no_grad();
        for (int start = 0; start < set.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, set.Count - start);
            var x = tensor(set.Pixels.AsSpan(start * set.ImageLength, n * set.ImageLength).ToArray(), [n, set.Channels, set.Size, set.Size]);
            var y = tensor(set.Labels.AsSpan(start, n).ToArray().Select(l => (long)l).ToArray(), [n]);
            var logits = model.forward(x);
            lossSum += nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum).item<float>();
            long[] predicted = logits.argmax(1).data<long>().ToArray();
            for (int i = 0; i < n; i++)
            {
                int truth = set.Labels[start + i];
                int p = (int)predicted[i];
                predictions[start + i] = p;
                confusion[truth, p]++;
                correct += truth == p ? 1 : 0;
            }
        }
        return new ClassifierEvaluation(lossSum / Math.Max(1, set.Count), (double)correct / Math.Max(1, set.Count), confusion, predictions);
    }
}
