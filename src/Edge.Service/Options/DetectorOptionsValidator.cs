using Edge.Detection;
using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Runs <see cref="DetectorOptions.Validate"/> at start-up; its messages name keys relative to <c>Edge</c>
/// ("Detector:ScoreThreshold ..."), so the full key is <c>Edge:</c> + the message.</summary>
public sealed class DetectorOptionsValidator : IValidateOptions<DetectorOptions>
{
    public const string Section = "Edge:Detector";

    public ValidateOptionsResult Validate(string? name, DetectorOptions o)
    {
        try
        {
            o.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (EdgeException ex)
        {
            return ValidateOptionsResult.Fail("Edge:" + ex.Message);
        }
    }
}
