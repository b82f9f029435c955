using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="OutputOptions"/>.</summary>
public sealed class OutputOptionsValidator : IValidateOptions<OutputOptions>
{
    private const string S = OutputOptions.Section;

    public ValidateOptionsResult Validate(string? name, OutputOptions o)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.Video)
            && Path.GetExtension(o.Video).ToLowerInvariant() is not (".mp4" or ".m4v" or ".mov" or ".avi"))
        {
            errors.Add($"{S}:Video must end in .mp4 or .avi (got '{o.Video}').");
        }
        if (!string.IsNullOrWhiteSpace(o.Record) && !Edge.Recording.FrameRecorder.AcceptsPath(o.Record))
        {
            errors.Add($"{S}:Record must end in .avi or .mkv (FFV1 lossless; got '{o.Record}').");
        }
        if (o.VideoSegmentSeconds < 0 || !double.IsFinite(o.VideoSegmentSeconds))
        {
            errors.Add($"{S}:VideoSegmentSeconds must be 0 (one file) or a positive number of seconds (got {o.VideoSegmentSeconds}).");
        }
        if (o.VideoSegmentsKeep < 0)
        {
            errors.Add($"{S}:VideoSegmentsKeep must be 0 (keep all) or positive (got {o.VideoSegmentsKeep}).");
        }
        foreach (var (key, value) in new[] { ("Detections", o.Detections), ("Mot", o.Mot), ("Video", o.Video), ("Record", o.Record) })
        {
            if (value is { Length: > 0 } && value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                errors.Add($"{S}:{key} is not a valid path ('{value}').");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
