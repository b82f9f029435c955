using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Edge.Detection;
using Microsoft.Extensions.Configuration;

namespace Edge.Service.Options;

/// <summary>Checks every key under <c>Edge:</c> against the options types the service binds, before anything is
/// bound. The configuration binder ignores a key no property matches (<c>Edge:Web:JpegQualty</c> would leave the
/// default in place without a word) and throws from inside the host on a value it cannot convert ('abc' for a
/// number); this check names every such key at once, so <c>edge run</c> fails at start with exit code 2.</summary>
public static class EdgeConfigurationCheck
{
    /// <summary>The sections under <c>Edge</c> and the options type each binds to (the registrations in
    /// <c>AddEdgeService</c> and <c>AddEdgePipeline</c>).</summary>
    public static readonly IReadOnlyDictionary<string, Type> Sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [SourceOptions.Section] = typeof(SourceOptions),
        [DetectorOptionsValidator.Section] = typeof(DetectorOptions),
        [TrackingServiceOptions.Section] = typeof(TrackingServiceOptions),
        [FollowServiceOptions.Section] = typeof(FollowServiceOptions),
        [OutputOptions.Section] = typeof(OutputOptions),
        [MqttOptions.Section] = typeof(MqttOptions),
        [WebOptions.Section] = typeof(WebOptions),
        [ServiceOptions.Section] = typeof(ServiceOptions),
    };

    /// <summary>One message per unknown key or unconvertible value, each starting with the full key.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        foreach (IConfigurationSection section in configuration.GetSection("Edge").GetChildren())
        {
            if (Sections.TryGetValue(section.Path, out Type? type))
            {
                CheckObject(section, type, problems);
            }
            else
            {
                problems.Add($"{section.Path} is not a setting (sections: {string.Join(", ", Sections.Keys)}).");
            }
        }
        return problems;
    }

    private static void CheckObject(IConfigurationSection section, Type type, List<string> problems)
    {
        if (section.Value is { Length: > 0 } && !section.GetChildren().Any())
        {
            problems.Add($"{section.Path} is a section, not a value (got '{section.Value}').");
            return;
        }
        PropertyInfo[] properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property = properties.FirstOrDefault(p => Bindable(p) && string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"{child.Path} is not a setting ({section.Path} has: {string.Join(", ", properties.Where(Bindable).Select(p => p.Name))}).");
                continue;
            }
            CheckValue(child, property.PropertyType, problems);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        type = underlying ?? type;
        if (IsScalar(type))
        {
            if (section.GetChildren().Any())
            {
                problems.Add($"{section.Path} is a value, not a section.");
            }
            // An empty value (Edge__Web__JpegQuality=) clears a nullable setting and fails the binder for any other.
            else if (section.Value is { } value && type != typeof(string) && (value.Length > 0 ? !Converts(value, type) : underlying is null))
            {
                problems.Add($"{section.Path}: '{value}' is not {Describe(type)}.");
            }
            return;
        }
        if (IsCollection(type, out Type? element))
        {
            // Lists bind every child in order, whatever its key; dictionaries take any key.
            foreach (IConfigurationSection item in section.GetChildren())
            {
                CheckValue(item, element, problems);
            }
            return;
        }
        CheckObject(section, type, problems);
    }

    /// <summary>What the binder can set: a settable property, or an object or collection it fills in place.</summary>
    private static bool Bindable(PropertyInfo p) =>
        p.GetIndexParameters().Length == 0 && (p.CanWrite || !IsScalar(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType));

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    /// <summary>Arrays, lists and dictionaries keyed by string, with their element (value) type.</summary>
    private static bool IsCollection(Type type, out Type element)
    {
        element = typeof(object);
        if (type == typeof(string))
        {
            return false;
        }
        if (type.IsArray)
        {
            element = type.GetElementType()!;
            return true;
        }
        Type? dictionary = Implemented(type, typeof(IDictionary<,>)) ?? Implemented(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            element = dictionary.GetGenericArguments()[1];
            return true;
        }
        Type? enumerable = Implemented(type, typeof(IEnumerable<>));
        if (enumerable is not null && typeof(IEnumerable).IsAssignableFrom(type))
        {
            element = enumerable.GetGenericArguments()[0];
            return true;
        }
        return false;
    }

    private static Type? Implemented(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic);

    /// <summary>The conversion the configuration binder makes (<see cref="TypeConverter"/>, invariant culture; enums by
    /// name, ignoring case). An enum value must also be one of its names: the converter also takes numbers and
    /// comma lists ("7", "PanTilt,YawForward"), which bind to values no code handles.</summary>
    private static bool Converts(string value, Type type)
    {
        try
        {
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return !type.IsEnum || Enum.GetNames(type).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(float) || type == typeof(double) => "a number",
        _ => $"a {type.Name}",
    };
}
