using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Hosting;

/// <summary>Reads the topic and country rule files named in configuration, once.</summary>
internal sealed class ClassificationRulesSource(IOptions<ClassificationOptions> options)
{
    private readonly Lazy<(ClassificationRules? Rules, string? Error)> _loaded = new(() => Load(options.Value));

    /// <summary>The rules; throws with the validation message when they cannot be read.</summary>
    public ClassificationRules Rules => _loaded.Value.Rules ?? throw new OptionsValidationException(
        ClassificationOptions.SectionName, typeof(ClassificationOptions), [_loaded.Value.Error!]);

    /// <summary>Why the rules cannot be read, or null when they can.</summary>
    public string? Error => _loaded.Value.Error;

    private static (ClassificationRules?, string?) Load(ClassificationOptions options)
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

        try
        {
            using var topics = File.OpenRead(options.TopicsFile);
            using var countries = File.OpenRead(options.CountriesFile);
            return (ClassificationRules.Parse(topics, countries), null);
        }
        catch (ClassificationRulesException e)
        {
            return (null, $"{key}{nameof(options.TopicsFile)}/{nameof(options.CountriesFile)}: {e.Message}");
        }
    }
}

/// <summary>Fails start-up, naming the key, when the rule files are missing or malformed.</summary>
internal sealed class ClassificationOptionsValidator(ClassificationRulesSource source) : IValidateOptions<ClassificationOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassificationOptions options) =>
        source.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
