using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="MqttOptions"/>; every message starts with the full configuration key.</summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    private const string S = MqttOptions.Section;

    public ValidateOptionsResult Validate(string? name, MqttOptions o)
    {
        var errors = new List<string>();
        if (!o.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            errors.Add($"{S}:Host is required.");
        }
        if (o.Port is < 1 or > 65535)
        {
            errors.Add($"{S}:Port must be in 1..65535 (got {o.Port}).");
        }
        CheckTopicLevel(errors, "DeviceId", o.DeviceId);
        CheckTopicLevel(errors, "TopicPrefix", o.TopicPrefix);
        if (o.QueueCapacity is < 1 or > 10_000_000)
        {
            errors.Add($"{S}:QueueCapacity must be in 1..10000000 (got {o.QueueCapacity}).");
        }
        if (o.MaxInFlight is < 1 or > 1024)
        {
            errors.Add($"{S}:MaxInFlight must be in 1..1024 (got {o.MaxInFlight}).");
        }
        CheckSeconds(errors, "ReconnectInitialSeconds", o.ReconnectInitialSeconds);
        CheckSeconds(errors, "ReconnectMaxSeconds", o.ReconnectMaxSeconds);
        if (o.ReconnectMaxSeconds < o.ReconnectInitialSeconds)
        {
            errors.Add($"{S}:ReconnectMaxSeconds ({o.ReconnectMaxSeconds}) must be >= {S}:ReconnectInitialSeconds ({o.ReconnectInitialSeconds}).");
        }
        CheckSeconds(errors, "KeepAliveSeconds", o.KeepAliveSeconds);
        CheckSeconds(errors, "OperationTimeoutSeconds", o.OperationTimeoutSeconds);
        if (!(o.DrainSeconds >= 0 && double.IsFinite(o.DrainSeconds)))
        {
            errors.Add($"{S}:DrainSeconds must be >= 0 (got {o.DrainSeconds}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckTopicLevel(List<string> errors, string key, string? value)
    {
        // MQTT 3.1.1 section 4.7: '/', '+', '#' are structural; keep levels to a safe ASCII set.
        if (string.IsNullOrEmpty(value) || value.Length > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"{S}:{key} must be 1-64 characters of [A-Za-z0-9._-] (got '{value}').");
        }
    }

    private static void CheckSeconds(List<string> errors, string key, double value)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            errors.Add($"{S}:{key} must be a positive number of seconds (got {value}).");
        }
    }
}
