using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ThreatBriefBot.Core.Configuration;

/// <summary>
/// Finds the values in a configuration section that cannot be converted to the property they bind to, each named
/// by its full key: <c>Digests:Subscriptions:1:Platform: 'Teams' is not one of Console, Discord, Slack</c>.
/// </summary>
/// <remarks>
/// The configuration binder drops a list or dictionary element with a value it cannot convert, and says nothing
/// (dotnet/runtime#35007): a subscription with <c>"Platform": "Teams"</c> vanished and the host started. Outside
/// collections it throws, but an <see cref="InvalidOperationException"/>, not an options failure. Each value here
/// goes through the binder's own conversion, so exactly what it would drop or throw on is reported.
/// </remarks>
public static class ConfigurationValueCheck
{
    public static IReadOnlyList<string> Failures(IConfigurationSection section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        var failures = new List<string>();
        Check(section, type, failures);
        return failures;
    }

    /// <summary>Walks the section as the binder does: a value, a dictionary's entries, a list's elements, or an object's properties.</summary>
    private static void Check(IConfigurationSection section, Type type, List<string> failures)
    {
        var valueType = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(valueType))
        {
            if (section.Value is { } value && Problem(section, type, valueType, value) is { } problem)
            {
                failures.Add($"{section.Path}: {problem}");
            }
        }
        else if ((Generic(valueType, typeof(IDictionary<,>)) ?? Generic(valueType, typeof(IReadOnlyDictionary<,>))) is { } entry)
        {
            foreach (var child in section.GetChildren())
            {
                if (entry[0].IsEnum && !Enum.TryParse(entry[0], child.Key, ignoreCase: true, out _))
                {
                    failures.Add($"{child.Path}: '{child.Key}' {NotOneOf(entry[0])}");
                }

                Check(child, entry[1], failures);
            }
        }
        else if ((valueType.IsArray ? valueType.GetElementType() : Generic(valueType, typeof(IEnumerable<>))?[0]) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                Check(child, element, failures);
            }
        }
        else
        {
            foreach (var property in valueType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                // The binder sets a value only through a public setter; it fills a collection or an object it can read.
                var bound = property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true }
                    && (property.SetMethod is { IsPublic: true } || !IsValue(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType));
                var child = section.GetSection(property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name);
                if (bound && child.Exists())
                {
                    Check(child, property.PropertyType, failures);
                }
            }
        }
    }

    /// <summary>A type the binder converts from one string, as it decides: by its type converter.</summary>
    private static bool IsValue(Type type) =>
        type != typeof(object) && TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static string? Problem(IConfigurationSection section, Type type, Type valueType, string value)
    {
        object? converted;
        try
        {
            converted = section.Get(type);
        }
        catch (InvalidOperationException)
        {
            return $"'{value}' {Expected(valueType)}";
        }

        // The enum converter also takes any number, which names no value.
        return valueType.IsEnum && converted is not null && !valueType.IsDefined(typeof(FlagsAttribute), inherit: false) && !Enum.IsDefined(valueType, converted)
            ? $"'{value}' {NotOneOf(valueType)}"
            : null;
    }

    private static string Expected(Type type) =>
        type.IsEnum ? NotOneOf(type)
        : type == typeof(TimeSpan) ? "is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)"
        : type == typeof(bool) ? "is not true or false"
        : Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.UInt64 ? $"is not a whole number ({type.Name})"
        : Type.GetTypeCode(type) is TypeCode.Single or TypeCode.Double or TypeCode.Decimal ? "is not a number"
        : $"is not a valid {type.Name}";

    private static string NotOneOf(Type enumType) => $"is not one of {string.Join(", ", Enum.GetNames(enumType))}";

    /// <summary>The type arguments of <paramref name="definition"/> when <paramref name="type"/> is or implements it.</summary>
    private static Type[]? Generic(Type type, Type definition) =>
        ((type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type : null)
            ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition))?.GetGenericArguments();
}
