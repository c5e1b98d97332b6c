using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Checks the "Feeds" section at startup and reports every problem at once, each with its configuration key.
/// Cron expressions are checked by the host, which owns Quartz.
/// </summary>
internal sealed class FeedsOptionsValidator : IValidateOptions<FeedsOptions>
{
    private const string Section = FeedsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            failures.Add($"{Section}:UserAgent: is required");
        }

        // The bounds are the [Range] attributes on FeedsOptions, reported here with the full key.
        var context = new ValidationContext(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Items.Count; i++)
        {
            var item = options.Items[i];
            var key = $"{Section}:Items:{i}";
            if (string.IsNullOrWhiteSpace(item.Name))
            {
                failures.Add($"{key}:Name: is required");
            }
            else if (!seen.Add(item.Name.Trim()))
            {
                failures.Add($"{key}:Name: duplicate feed name '{item.Name}'");
            }

            if (string.IsNullOrWhiteSpace(item.Source))
            {
                failures.Add($"{key}:Source: is required");
            }
            else if (SourceProblem(item.Source.Trim()) is { } problem)
            {
                failures.Add($"{key}:Source: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? SourceProblem(string source)
    {
        // "C:\feeds\x.xml" parses as a URI with scheme "c"; a one-letter scheme is a drive, not a URL.
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1 && !source.StartsWith('/'))
        {
            if (uri.IsFile)
            {
                return File.Exists(uri.LocalPath) ? null : $"file '{source}' does not exist";
            }

            return uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps
                ? null
                : $"'{uri.Scheme}' URLs are not supported; use http, https or a file path";
        }

        try
        {
            return File.Exists(Path.GetFullPath(source)) ? null : $"file '{source}' does not exist";
        }
        catch (ArgumentException)
        {
            return $"'{source}' is neither an http(s) URL nor a file path";
        }
    }
}
