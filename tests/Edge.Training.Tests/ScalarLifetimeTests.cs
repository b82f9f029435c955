using System.Diagnostics;
using Edge.Training.Classification;
using Edge.Training.Detection;
using Edge.Training.Detection.Loss;
using Edge.Training.Models;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Edge.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

/// <summary>
/// Guards the Scalar lifetime fix (Edge.Training.Native.HeldScalars; docs/training.md, the aborted <c>best.pt</c> run
/// under "Export parity of the fine-tuned detector"): in TorchSharp 0.107 a temporary <c>Scalar</c> (an implicit
/// int/double conversion such as <c>x * 0.5</c>, or one made inside TorchSharp's <c>add(Tensor)</c>, <c>arange</c>,
/// BatchNorm or optimizer steps) can be finalised by a collection on another thread while libtorch still reads it:
/// "Exception raised from toFloat at c10/core/Scalar.h", "Unknown scalar type", a wrong value or a crash.
/// </summary>
public sealed class ScalarLifetimeTests
{
    public ScalarLifetimeTests() => TorchRuntime.Initialize(threads: 1);

    /// <summary>
    /// Runs the code paths that had temporaries (YOLOv8 blocks with BatchNorm in training mode, the detection head,
    /// DetectionLoss with the assigner and CIoU, backward, AdamW; a ResNet with SGD and the small CNN with Adam; the
    /// decode; the BN-folding ONNX export) on tiny inputs, so that many native calls run while two threads force
    /// collections. Before the fix it threw in each of 10 runs, after about 3 s; it runs 5 s.
    /// </summary>
    [Fact]
    public void Training_and_inference_survive_collections_on_other_threads()
    {
        manual_seed(0);
        using var neck = new C2f(8, 8, 1, shortcut: true, fused: false);
        using var head = new DetectHead(1, [8, 8, 8], fused: false);
        using var detectorOptimizer = OptimizerFactory.Create(OptimizerKind.AdamW, neck.parameters().Concat(head.parameters()), 1e-3, 0.9, 5e-4);
        var loss = new DetectionLoss(numClasses: 1);
        DetectionTarget[] targets = [new([(2f, 2f, 14f, 12f)], [0])];
        var spec = new ClassifierSpec(ClassifierArchitecture.ResNet, 1, 4, ["a", "b"], Width: 2);
        using var resNet = ClassifierFactory.Create(spec);
        using var resNetOptimizer = OptimizerFactory.Create(OptimizerKind.Sgd, resNet.parameters(), 0.01, 0.9, 5e-4);
        using var smallCnn = ClassifierFactory.Create(spec with { Architecture = ClassifierArchitecture.SmallCnn });
        using var smallCnnOptimizer = OptimizerFactory.Create(OptimizerKind.Adam, smallCnn.parameters(), 1e-3, 0.9, 5e-4);
        Tensor[] levels = [rand(1, 8, 2, 2), rand(1, 8, 1, 1), rand(1, 8, 1, 1)];
        using var images = rand(2, 1, 4, 4);
        using var labels = tensor(new long[] { 0, 1 });
        Tensor[] Raw() => head.Raw(levels.Select(level => neck.forward(level)).ToList());

        bool stop = false;
        var collectors = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            // The temporaries are young, so gen-0 collections find them; the pause leaves the loop enough of the two
            // cores (back-to-back collections starve it in the test host and the race is then never hit).
            while (!Volatile.Read(ref stop))
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1);
            }
        })).ToList();
        collectors.ForEach(t => t.Start());
        int rounds = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                using var scope = NewDisposeScope();
                neck.train();
                head.train();
                detectorOptimizer.zero_grad();
                using (var parts = loss.Compute(Raw(), targets))
                {
                    parts.Total.backward();
                }
                detectorOptimizer.step();
                neck.eval();
                head.eval();
                using (no_grad())
                {
                    head.Decode(Raw());
                }
                foreach (var (model, optimizer) in new[] { (resNet, resNetOptimizer), (smallCnn, smallCnnOptimizer) })
                {
                    model.train();
                    optimizer.zero_grad();
                    ClassifierTrainer.TrainingLoss(model.forward(images), labels, 0.1).backward();
                    optimizer.step();
                    model.eval();
                    using (no_grad())
                    {
                        model.forward(images);
                    }
                }
                ClassifierOnnxExporter.ToBytes(resNet, spec);
                rounds++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collectors.ForEach(t => t.Join());
            Array.ForEach(levels, level => level.Dispose());
        }
        Assert.True(rounds > 0);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.9, 5e-4)]
    [InlineData(OptimizerKind.Sgd, 0.0, 0.0)]
    [InlineData(OptimizerKind.Adam, 0.0, 5e-4)]
    [InlineData(OptimizerKind.Adam, 0.0, 0.0)]
    [InlineData(OptimizerKind.AdamW, 0.0, 5e-4)]
    public void Held_optimizers_step_exactly_like_torchsharps(OptimizerKind kind, double momentum, double weightDecay)
    {
        manual_seed(1);
        using var start = randn(3, 5);
        using var held = nn.Parameter(start.clone());
        using var reference = nn.Parameter(start.clone());
        using var heldOptimizer = OptimizerFactory.Create(kind, [held], 0.01, momentum, weightDecay);
        using OptimizerHelper referenceOptimizer = kind switch
        {
            OptimizerKind.Sgd => optim.SGD(new[] { reference }, 0.01, momentum: momentum, weight_decay: weightDecay),
            OptimizerKind.Adam => optim.Adam(new[] { reference }, 0.01, weight_decay: weightDecay),
            _ => optim.AdamW(new[] { reference }, 0.01, weight_decay: weightDecay),
        };
        for (int i = 0; i < 4; i++)
        {
            using var grad = randn(3, 5);
            held.grad = grad.clone();
            reference.grad = grad.clone();
            heldOptimizer.step();
            referenceOptimizer.step();
            Assert.True(Same(held, reference), $"step {i + 1}");
        }
    }

    [Fact]
    public void Held_batch_norm_matches_torchsharps_in_training_and_evaluation()
    {
        manual_seed(2);
        using var held = new HeldBatchNorm2d(3, eps: 1e-3, momentum: 0.03);
        using var reference = nn.BatchNorm2d(3, eps: 1e-3, momentum: 0.03);
        Assert.Equal(reference.state_dict().Keys.Order(), held.state_dict().Keys.Order());
        for (int i = 0; i < 3; i++)
        {
            using var x = randn(2, 3, 4, 4);
            using var heldOut = held.forward(x);
            using var referenceOut = reference.forward(x);
            Assert.True(Same(heldOut, referenceOut));
        }
        foreach (var (name, value) in reference.state_dict())
        {
            Assert.True(Same(held.state_dict()[name], value), name);
        }
        held.eval();
        reference.eval();
        using var y = randn(1, 3, 4, 4);
        using var heldEval = held.forward(y);
        using var referenceEval = reference.forward(y);
        Assert.True(Same(heldEval, referenceEval));
    }

    /// <summary>Same shape and bit-identical values.</summary>
    private static bool Same(Tensor a, Tensor b)
    {
        using var equal = a.eq(b);
        using var all = equal.all();
        return a.shape.SequenceEqual(b.shape) && all.item<bool>();
    }
}
