using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Core.Configuration;

public static class CheckedBindingExtensions
{
    /// <summary>
    /// Binds the options to a configuration section as <c>BindConfiguration</c> does, after checking that every value
    /// there converts: one that does not fails start-up like any other bad setting, naming its key, rather than
    /// silently dropping its list element (see <see cref="ConfigurationValueCheck"/>).
    /// </summary>
    public static OptionsBuilder<TOptions> BindConfigurationChecked<TOptions>(this OptionsBuilder<TOptions> builder, string configSectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configure<IConfiguration>((_, configuration) =>
        {
            var failures = ConfigurationValueCheck.Failures(configuration.GetSection(configSectionPath), typeof(TOptions));
            if (failures.Count > 0)
            {
                throw new OptionsValidationException(builder.Name, typeof(TOptions), failures);
            }
        });
        return builder.BindConfiguration(configSectionPath);
    }

    /// <summary>
    /// One value read while services are registered (<c>Discord:Enabled</c> decides what is registered), or
    /// <c>default</c> when absent; one that does not convert fails like a bad option, naming its key.
    /// </summary>
    public static T? GetValueChecked<T>(this IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(key);
        var failures = ConfigurationValueCheck.Failures(section, typeof(T));
        return failures.Count > 0 ? throw new OptionsValidationException(section.Path, typeof(T), failures) : section.Get<T>();
    }
}
