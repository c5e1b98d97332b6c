using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.Storage.Migrations;

/// <summary>A step of a migration that SQL cannot do, run in the migration's transaction before its script.</summary>
internal delegate Task MigrationCodeStep(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

/// <summary>One embedded <c>Migrations/NNNN_name.{dialect}.sql</c> file, and the code step that goes before it, if any.</summary>
internal sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>The migrations with a step in code, by version: the same for every dialect.</summary>
    private static readonly Dictionary<int, MigrationCodeStep> CodeSteps = new()
    {
        [SearchWordsBackfill.MigrationVersion] = SearchWordsBackfill.PrepareAsync,
    };

    /// <summary>What must run before <see cref="Sql"/>, or null.</summary>
    public MigrationCodeStep? BeforeScript => CodeSteps.GetValueOrDefault(Version);

    /// <summary>The scripts for one dialect, oldest first.</summary>
    public static IReadOnlyList<MigrationScript> Load(string dialectSuffix)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success || match.Groups["dialect"].Value != dialectSuffix)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (scripts.Count == 0 || scripts.DistinctBy(s => s.Version).Count() != scripts.Count)
        {
            throw new InvalidOperationException(
                $"Expected one embedded migration per version for '{dialectSuffix}', found: {string.Join(", ", scripts.Select(s => $"{s.Version}_{s.Name}"))}.");
        }

        return scripts;
    }

    // The resource name is the default namespace plus the path with dots; a leading digit in a file name is kept.
    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[A-Za-z0-9_]+)\.(?<dialect>[a-z]+)\.sql$")]
    private static partial Regex ResourceName();
}
