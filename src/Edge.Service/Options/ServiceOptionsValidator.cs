using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="ServiceOptions"/>.</summary>
public sealed class ServiceOptionsValidator : IValidateOptions<ServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ServiceOptions o) =>
        o.ShutdownTimeoutSeconds is > 0 and <= 300
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{ServiceOptions.Section}:ShutdownTimeoutSeconds must be in (0, 300] (got {o.ShutdownTimeoutSeconds}).");
}
