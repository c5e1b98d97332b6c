using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Microbenchmarks;

/// <summary>The shipped rules: seeds/topics.json and seeds/countries.json of this repository.</summary>
internal static class Seeds
{
    public const string EnvironmentVariable = "THREATBRIEF_SEEDS";

    /// <summary>
    /// The seeds folder beside ThreatBriefBot.sln, looked for above the program (the default artifacts folder is
    /// inside the repository) and above the current directory (<c>dotnet run</c> from the repository, whatever the
    /// artifacts path).
    /// </summary>
    public static string FindDirectory()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ThreatBriefBot.sln")))
                {
                    return Path.Combine(directory.FullName, "seeds");
                }
            }
        }

        throw new InvalidOperationException("ThreatBriefBot.sln not found above the program or the current directory; run from the repository.");
    }

    public static ClassificationRules LoadRules()
    {
        var directory = Environment.GetEnvironmentVariable(EnvironmentVariable) ?? FindDirectory();
        using var topics = File.OpenRead(Path.Combine(directory, "topics.json"));
        using var countries = File.OpenRead(Path.Combine(directory, "countries.json"));
        return ClassificationRules.Parse(topics, countries);
    }
}
