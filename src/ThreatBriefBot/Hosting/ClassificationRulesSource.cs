using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Hosting;

/// <summary>Reads the topic and country rule files named in configuration, once.</summary>
/// <remarks>
/// It takes the options as an argument rather than from the container, because the options' own validator
/// needs it: a dependency on <c>IOptions</c> here would be a cycle.
/// </remarks>
internal sealed class ClassificationRulesSource
{
    private readonly Lock _gate = new();
    private (ClassificationRules? Rules, string? Error)? _loaded;

    /// <summary>The rules, or why they cannot be read (a message that names the setting).</summary>
    public (ClassificationRules? Rules, string? Error) Load(ClassificationOptions options)
    {
        lock (_gate)
        {
            return _loaded ??= Read(options);
        }
    }

    /// <summary>The rules; throws the validation failure when they cannot be read.</summary>
    public ClassificationRules Rules(ClassificationOptions options) => Load(options) switch
    {
        ({ } rules, _) => rules,
        (_, var error) => throw new OptionsValidationException(ClassificationOptions.SectionName, typeof(ClassificationOptions), [error!]),
    };

    private static (ClassificationRules?, string?) Read(ClassificationOptions options)
    {
        var key = $"{ClassificationOptions.SectionName}:";
        if (!File.Exists(options.TopicsFile))
        {
            return (null, $"{key}{nameof(options.TopicsFile)}: file '{options.TopicsFile}' does not exist");
        }

        if (!File.Exists(options.CountriesFile))
        {
            return (null, $"{key}{nameof(options.CountriesFile)}: file '{options.CountriesFile}' does not exist");
        }

        ClassificationRules rules;
        try
        {
            using var topics = File.OpenRead(options.TopicsFile);
            using var countries = File.OpenRead(options.CountriesFile);
            rules = ClassificationRules.Parse(topics, countries);
        }
        catch (ClassificationRulesException e)
        {
            return (null, $"{key}{nameof(options.TopicsFile)}/{nameof(options.CountriesFile)}: {e.Message}");
        }

        try
        {
            // Ops tune a topic's threshold in appsettings without editing the rule file.
            return (options.Thresholds.Count == 0 ? rules : rules.WithThresholds(options.Thresholds), null);
        }
        catch (ClassificationRulesException e)
        {
            return (null, $"{key}{nameof(options.Thresholds)}: {e.Message}");
        }
    }
}

/// <summary>Fails start-up, naming the key, when the rule files are missing or malformed.</summary>
internal sealed class ClassificationOptionsValidator(ClassificationRulesSource source) : IValidateOptions<ClassificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassificationOptions options) =>
        source.Load(options).Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
