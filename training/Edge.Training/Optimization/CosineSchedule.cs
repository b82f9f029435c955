namespace Edge.Training.Optimization;

/// <summary>Cosine annealing without restarts (SGDR, Loshchilov and Hutter, arXiv 1608.03983):
/// lr(t) = lr0·(f + (1−f)·½(1 + cos(π·t/T))), from lr0 at t = 0 to f·lr0 at t = T.</summary>
public sealed record CosineSchedule(double InitialRate, double FinalFraction, long TotalSteps)
{
    public double At(long step)
    {
        double t = TotalSteps <= 0 ? 1 : Math.Clamp((double)step / TotalSteps, 0, 1);
        return InitialRate * (FinalFraction + ((1 - FinalFraction) * 0.5 * (1 + Math.Cos(Math.PI * t))));
    }
}
