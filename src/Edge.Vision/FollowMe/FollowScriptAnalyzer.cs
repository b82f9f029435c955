using Edge.Pipeline;
using OpenCvSharp;

namespace Edge.FollowMe;

/// <summary>Plays a scripted selection into a <see cref="FollowAnalyzer"/>, as an operator's taps would: each step
/// selects a target (or releases it, when the selection is null) at the first frame whose index reaches the step's
/// frame. Register it just before the follow analyzer; a queued selection is applied by that analyzer in the same
/// frame.</summary>
public sealed class FollowScriptAnalyzer : IFrameAnalyzer
{
    private readonly FollowAnalyzer _follow;
    private readonly (long Frame, TargetSelection? Selection)[] _steps;
    private int _next;

    public FollowScriptAnalyzer(FollowAnalyzer follow, IEnumerable<(long Frame, TargetSelection? Selection)> steps)
    {
        ArgumentNullException.ThrowIfNull(follow);
        ArgumentNullException.ThrowIfNull(steps);
        _follow = follow;
        _steps = steps.OrderBy(s => s.Frame).ToArray();
    }

    public void Analyze(FrameResult result, Mat frame)
    {
        while (_next < _steps.Length && _steps[_next].Frame <= result.FrameIndex)
        {
            if (_steps[_next].Selection is { } selection)
            {
                _follow.Select(selection);
            }
            else
            {
                _follow.Release();
            }
            _next++;
        }
    }
}
