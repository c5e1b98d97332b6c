using System.Runtime.CompilerServices;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

/// <summary>
/// The project's checked-in rules (seeds/topics.json, seeds/countries.json), read once from the
/// repository found by walking up to ThreatBriefBot.sln: the tests exercise the real data, not a copy.
/// The walk starts at the test binaries and, when those are built outside the repository
/// (ArtifactsPath elsewhere), at this source file.
/// </summary>
internal static class SeedRules
{
    private static readonly Lazy<ClassificationRules> s_rules = new(Load);

    public static ClassificationRules Rules => s_rules.Value;

    public static string TopicsJson => File.ReadAllText(PathOf("topics.json"));

    public static string CountriesJson => File.ReadAllText(PathOf("countries.json"));

    private static ClassificationRules Load()
    {
        using var topics = File.OpenRead(PathOf("topics.json"));
        using var countries = File.OpenRead(PathOf("countries.json"));
        return ClassificationRules.Parse(topics, countries);
    }

    private static string PathOf(string seedFile, [CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ThreatBriefBot.sln")))
                {
                    return Path.Combine(dir.FullName, "seeds", seedFile);
                }
            }
        }

        throw new InvalidOperationException($"No ThreatBriefBot.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
