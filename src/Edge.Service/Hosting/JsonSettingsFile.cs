using Microsoft.Extensions.Configuration;

namespace Edge.Service.Hosting;

/// <summary>An appsettings JSON file the user names (<c>edge run --config</c>, <c>edge doctor --config</c>).</summary>
public static class JsonSettingsFile
{
    /// <summary>Loads the file now and adds it to <paramref name="builder"/>: a missing file or broken JSON is an
    /// <see cref="EdgeException"/> naming the file and, for JSON, where it breaks (the reader's line and byte position;
    /// the configuration loader itself only says it could not parse the file).</summary>
    public static IConfigurationBuilder AddJsonSettingsFile(this IConfigurationBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new EdgeException($"configuration file not found: {full}");
        }
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            throw new EdgeException($"{full}: not valid JSON: {ex.GetBaseException().Message}", ex);
        }
        return builder.AddConfiguration(file);
    }
}
