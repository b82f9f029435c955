using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="SourceOptions"/>; every message starts with the full configuration key.</summary>
public sealed class SourceOptionsValidator : IValidateOptions<SourceOptions>
{
    private const string S = SourceOptions.Section;

    public ValidateOptionsResult Validate(string? name, SourceOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Uri))
        {
            string? kind = o.Kind?.Trim();
            if (string.IsNullOrEmpty(kind))
            {
                errors.Add($"{S}:Uri or {S}:Kind is required (edge run --source <uri>, or Kind Csi, Usb or File).");
            }
            else if (kind.ToLowerInvariant() is not ("csi" or "usb" or "file"))
            {
                errors.Add($"{S}:Kind must be Csi, Usb or File (got '{kind}').");
            }
            else if (string.IsNullOrWhiteSpace(o.Resolve()))
            {
                errors.Add(kind.ToLowerInvariant() switch
                {
                    "csi" => $"{S}:Csi:Pipeline is required when {S}:Kind is Csi.",
                    "usb" => $"{S}:Usb:Device (or {S}:Usb:Pipeline) is required when {S}:Kind is Usb.",
                    _ => $"{S}:File:Path is required when {S}:Kind is File.",
                });
            }
        }
        if (o.Width < 0 || o.Height < 0)
        {
            errors.Add($"{S}:Width and {S}:Height must be >= 0 (got {o.Width}x{o.Height}).");
        }
        if (!(o.Fps >= 0 && double.IsFinite(o.Fps)))
        {
            errors.Add($"{S}:Fps must be >= 0 (got {o.Fps}).");
        }
        if (!(o.ReconnectDelaySeconds > 0 && double.IsFinite(o.ReconnectDelaySeconds)))
        {
            errors.Add($"{S}:ReconnectDelaySeconds must be a positive number of seconds (got {o.ReconnectDelaySeconds}).");
        }
        if (!(o.ReconnectMaxDelaySeconds >= o.ReconnectDelaySeconds && double.IsFinite(o.ReconnectMaxDelaySeconds)))
        {
            errors.Add($"{S}:ReconnectMaxDelaySeconds must be >= {S}:ReconnectDelaySeconds (got {o.ReconnectMaxDelaySeconds}).");
        }
        if (!(o.OpenTimeoutSeconds > 0 && double.IsFinite(o.OpenTimeoutSeconds)))
        {
            errors.Add($"{S}:OpenTimeoutSeconds must be a positive number of seconds (got {o.OpenTimeoutSeconds}).");
        }
        if (!(o.ReadTimeoutSeconds > 0 && double.IsFinite(o.ReadTimeoutSeconds)))
        {
            errors.Add($"{S}:ReadTimeoutSeconds must be a positive number of seconds (got {o.ReadTimeoutSeconds}).");
        }
        if (!(o.StallTimeoutSeconds > 0 && double.IsFinite(o.StallTimeoutSeconds)))
        {
            errors.Add($"{S}:StallTimeoutSeconds must be a positive number of seconds (got {o.StallTimeoutSeconds}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
