using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="ServiceOptions"/>.</summary>
public sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions o)
    {
        var errors = new List<string>();
        if (o.ShutdownTimeoutSeconds is not (> 0 and <= 300))
        {
            errors.Add($"{ServiceOptions.Section}:ShutdownTimeoutSeconds must be in (0, 300] (got {o.ShutdownTimeoutSeconds}).");
        }
        // A file that can never appear would hold the warm-up forever.
        if (!string.IsNullOrEmpty(o.WarmupHoldFile)
            && (!Path.IsPathFullyQualified(o.WarmupHoldFile) || !Directory.Exists(Path.GetDirectoryName(o.WarmupHoldFile))))
        {
            errors.Add($"{ServiceOptions.Section}:WarmupHoldFile must be an absolute path in an existing directory (got {o.WarmupHoldFile}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
