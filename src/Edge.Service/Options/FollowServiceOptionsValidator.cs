using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="FollowServiceOptions"/>.</summary>
public sealed class FollowServiceOptionsValidator : IValidateOptions<FollowServiceOptions>
{
    private const string S = FollowServiceOptions.Section;

    public ValidateOptionsResult Validate(string? name, FollowServiceOptions o)
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(o.Select))
        {
            try
            {
                Edge.FollowMe.TargetSelection.Parse(o.Select.Trim(), S + ":Select");
            }
            catch (EdgeException ex)
            {
                errors.Add(ex.Message);
            }
        }
        if (!(o.CommandRateHz > 0 && o.CommandRateHz <= 1000))
        {
            errors.Add($"{S}:CommandRateHz must be in (0, 1000] (got {o.CommandRateHz}).");
        }
        if (o.Tracker is not ("default" or "reference" or "sort"))
        {
            errors.Add($"{S}:Tracker must be default, reference or sort (got '{o.Tracker}').");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
