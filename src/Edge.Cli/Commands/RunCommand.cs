using System.CommandLine;
using Edge.Service.Options;
using Edge.Service.Pipeline;

namespace Edge.Cli.Commands;

/// <summary><c>edge run</c>: the live service (Edge.Service's host around the same detection, tracking and Follow Me
/// pipeline as <c>edge follow</c>). Configuration comes from appsettings.json, <c>--config</c>, environment variables
/// (<c>Edge__Mqtt__Host</c>) and any <c>--Edge:Section:Key=value</c> argument; the shortcuts below override those.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = $"appsettings JSON whose Edge section holds the settings ({string.Join(", ", EdgeConfigurationCheck.Sections.Keys)}; docs/service.md)." };
        var source = new Option<string?>("--source", "-s") { Description = "Overrides Edge:Source:Uri: video file, camera index, /dev/videoN, rtsp:// URL or GStreamer pipeline." };
        var urls = new Option<string?>("--urls") { Description = "Overrides Edge:Web:Urls, e.g. http://127.0.0.1:8080 (beyond loopback Edge:Web:Token is required)." };
        var command = new Command("run", "Run the live service: pipeline, web view, MQTT and JSONL events, /metrics, /healthz; stops cleanly on SIGTERM. "
            + "Any setting can also be given as --Edge:Section:Key=value (or --Logging:...=value), e.g. --Edge:Mqtt:Port=1884 (docs/service.md).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(config);
        command.Options.Add(source);
        command.Options.Add(urls);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var args = new List<string>(parse.UnmatchedTokens);
            if (args.FirstOrDefault(a => !IsSettingOverride(a)) is { } stray)
            {
                // The configuration provider would take a stray word as the value of the key before it.
                throw new EdgeException($"run: unexpected argument '{stray}'; settings are given as --Edge:Section:Key=value.");
            }
            if (parse.GetValue(source) is { Length: > 0 } s)
            {
                args.Add("--Edge:Source:Uri=" + s);
            }
            if (parse.GetValue(urls) is { Length: > 0 } u)
            {
                args.Add("--Edge:Web:Urls=" + u);
            }
            return await EdgeRunHost.RunAsync([.. args], parse.GetValue(config)?.FullName, Console.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static bool IsSettingOverride(string token) =>
        token.IndexOf('=', StringComparison.Ordinal) > 2
        && (token.StartsWith("--Edge:", StringComparison.OrdinalIgnoreCase) || token.StartsWith("--Logging:", StringComparison.OrdinalIgnoreCase));
}
