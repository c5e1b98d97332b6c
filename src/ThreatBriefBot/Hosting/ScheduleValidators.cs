using Microsoft.Extensions.Options;
using Quartz;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Hosting;

/// <summary>Cron syntax is Quartz's, so schedules are checked here, where Quartz is known.</summary>
internal static class CronCheck
{
    /// <summary>Null when the expression parses, else Quartz's reason.</summary>
    public static string? Problem(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "is empty";
        }

        try
        {
            _ = new CronExpression(cron);
            return null;
        }
        catch (FormatException e)
        {
            return $"'{cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week): {e.Message}";
        }
    }
}

internal sealed class FeedScheduleValidator : IValidateOptions<FeedsOptions>
{
    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        List<string>? failures = null;
        if (CronCheck.Problem(options.DefaultCron) is { } problem)
        {
            (failures ??= []).Add($"{FeedsOptions.SectionName}:{nameof(options.DefaultCron)}: {problem}");
        }

        for (var i = 0; i < options.Items.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(options.Items[i].Cron) && CronCheck.Problem(options.Items[i].Cron) is { } itemProblem)
            {
                (failures ??= []).Add($"{FeedsOptions.SectionName}:{nameof(options.Items)}:{i}:{nameof(FeedOptions.Cron)}: {itemProblem}");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks every subscription ops defined: schedule, time zone, topics, countries, and a channel to post to.</summary>
internal sealed class DigestOptionsValidator(ClassificationRulesSource rules, IOptions<ClassificationOptions> classification, ChatAdapters adapters) : IValidateOptions<DigestOptions>
{
    public ValidateOptionsResult Validate(string? name, DigestOptions options)
    {
        var failures = new List<string>();
        const string section = DigestOptions.SectionName;
        if (CronCheck.Problem(options.DefaultCron) is { } cronProblem)
        {
            failures.Add($"{section}:{nameof(options.DefaultCron)}: {cronProblem}");
        }

        if (TimeZoneProblem(options.DefaultTimeZone) is { } zoneProblem)
        {
            failures.Add($"{section}:{nameof(options.DefaultTimeZone)}: {zoneProblem}");
        }

        var platforms = adapters.Platforms;

        // When the rule files cannot be read their own validator says so; topics cannot be checked then.
        var loaded = Rules();
        var known = loaded?.TopicDefinitions.Select(t => t.Name).ToList();
        var gazetteer = loaded is null ? null : new CountryGazetteer(loaded);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            var subscription = options.Subscriptions[i];
            var key = $"{section}:{nameof(options.Subscriptions)}:{i}";
            if (string.IsNullOrWhiteSpace(subscription.Name))
            {
                failures.Add($"{key}:{nameof(subscription.Name)}: is empty");
            }
            else if (!names.Add(subscription.Name))
            {
                failures.Add($"{key}:{nameof(subscription.Name)}: '{subscription.Name}' is used by another subscription");
            }

            if (string.IsNullOrWhiteSpace(subscription.Channel))
            {
                failures.Add($"{key}:{nameof(subscription.Channel)}: is empty");
            }

            if (!platforms.Contains(subscription.Platform))
            {
                failures.Add($"{key}:{nameof(subscription.Platform)}: {subscription.Platform} is not enabled (enabled: {string.Join(", ", platforms)})");
            }

            if (CronCheck.Problem(subscription.Cron) is { } problem)
            {
                failures.Add($"{key}:{nameof(subscription.Cron)}: {problem}");
            }

            if (TimeZoneProblem(subscription.TimeZone) is { } zone)
            {
                failures.Add($"{key}:{nameof(subscription.TimeZone)}: {zone}");
            }

            if (subscription.MaxItemAge is { } age && age <= TimeSpan.Zero)
            {
                failures.Add($"{key}:{nameof(subscription.MaxItemAge)}: must be positive, was {age}");
            }

            if (subscription.Topics.Count == 0)
            {
                failures.Add($"{key}:{nameof(subscription.Topics)}: name at least one topic");
            }

            if (known is not null && gazetteer is not null)
            {
                failures.AddRange(subscription.Topics
                    .Where(t => !known.Contains(t, StringComparer.Ordinal))
                    .Select(t => $"{key}:{nameof(subscription.Topics)}: unknown topic '{t}' (known: {string.Join(", ", known)})"));
                failures.AddRange(subscription.Countries
                    .Where(c => !string.Equals(gazetteer.ResolveCountry(c), c, StringComparison.OrdinalIgnoreCase))
                    .Select(c => $"{key}:{nameof(subscription.Countries)}: unknown country '{c}' (use ISO 3166-1 alpha-2 codes such as JP)"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private ClassificationRules? Rules()
    {
        try
        {
            return rules.Load(classification.Value).Rules;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static string? TimeZoneProblem(string zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) ? null : $"'{zone}' is not a known time zone id (e.g. UTC, Europe/Berlin, Asia/Tokyo)";
}
