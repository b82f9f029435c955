using Microsoft.Extensions.Options;

namespace Edge.Service.Options;

/// <summary>Checks <see cref="WebOptions"/>; refuses a non-loopback binding without a token.</summary>
public sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    private const string S = WebOptions.Section;

    /// <summary>Shortest accepted token: 16 characters keeps guessing out of reach over HTTP.</summary>
    public const int MinTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, WebOptions o)
    {
        var errors = new List<string>();
        var urls = BindAddress.Split(o.Urls ?? "");
        if (urls.Length == 0)
        {
            errors.Add($"{S}:Urls is required (e.g. http://127.0.0.1:8080).");
        }
        static bool HasScheme(string url) =>
            url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        foreach (var url in urls.Where(u => !HasScheme(u)))
        {
            errors.Add($"{S}:Urls entry '{url}' must start with http:// or https://.");
        }
        // Only well-formed URLs say where the service binds; a scheme-less one is already an error above.
        var exposed = urls.Where(u => HasScheme(u) && !BindAddress.IsLoopback(u)).ToArray();
        if (exposed.Length > 0 && string.IsNullOrEmpty(o.Token))
        {
            errors.Add($"{S}:Token is required because {S}:Urls binds beyond loopback ({string.Join(", ", exposed)}).");
        }
        if (!string.IsNullOrEmpty(o.Token) && (o.Token.Length < MinTokenLength || o.Token.Any(char.IsWhiteSpace)))
        {
            errors.Add($"{S}:Token must be at least {MinTokenLength} characters without whitespace.");
        }
        if (o.MaxBodyBytes is < 64 or > 1_048_576)
        {
            errors.Add($"{S}:MaxBodyBytes must be in 64..1048576 (got {o.MaxBodyBytes}).");
        }
        if (!(o.StreamMaxFps > 0 && o.StreamMaxFps <= 120))
        {
            errors.Add($"{S}:StreamMaxFps must be in (0, 120] (got {o.StreamMaxFps}).");
        }
        if (o.JpegQuality is < 1 or > 100)
        {
            errors.Add($"{S}:JpegQuality must be in 1..100 (got {o.JpegQuality}).");
        }
        if (o.StreamMaxClients is < 1 or > 64)
        {
            errors.Add($"{S}:StreamMaxClients must be in 1..64 (got {o.StreamMaxClients}).");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
