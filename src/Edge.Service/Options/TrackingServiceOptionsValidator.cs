using Edge.Appearance;
using Edge.Models;
using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="TrackingServiceOptions"/> at start: the numbers (<see cref="CropModelFactory.Validate"/>)
/// and that each configured model resolves to a file, so a typo fails before the pipeline warms up. Class names
/// need the detector and are checked at warm-up.</summary>
public sealed class TrackingServiceOptionsValidator : IValidateOptions<TrackingServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, TrackingServiceOptions o)
    {
        var settings = o.ToSettings();
        var errors = CropModelFactory.Validate(settings, TrackingServiceOptions.Key);
        if (settings.UsesReidModel)
        {
            Resolve(settings.Reid!, nameof(settings.Reid), errors);
        }
        if (settings.UsesClassifier)
        {
            Resolve(settings.Classifier!, nameof(settings.Classifier), errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Resolve(string model, string setting, List<string> errors)
    {
        try
        {
            new ModelResolver().Resolve(model);
        }
        catch (EdgeException ex)
        {
            errors.Add($"{TrackingServiceOptions.Key(setting)}: {ex.Message}");
        }
    }
}
