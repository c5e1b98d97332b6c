namespace ThreatBriefBot.Hosting;

/// <summary>
/// Relative file paths in a configuration file are read from that file's folder, so the same appsettings.json
/// works from the repository root, from the build output and from a container, whatever the working directory.
/// </summary>
internal sealed class ConfigurationPaths(string configurationFile)
{
    public string ConfigurationFile { get; } = Path.GetFullPath(configurationFile);

    public string ConfigurationDirectory => Path.GetDirectoryName(ConfigurationFile)!;

    /// <summary>An http(s) URL or an absolute path stays as it is; a relative path is made absolute.</summary>
    public string Resolve(string pathOrUrl)
    {
        if (string.IsNullOrWhiteSpace(pathOrUrl) || IsWebAddress(pathOrUrl) || Path.IsPathRooted(pathOrUrl)
            || pathOrUrl.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return pathOrUrl;
        }

        return Path.GetFullPath(Path.Combine(ConfigurationDirectory, pathOrUrl));
    }

    public static bool IsWebAddress(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The configuration file to use: the one given, else appsettings.json in the working directory, else the
    /// copy beside the program.
    /// </summary>
    public static string Locate(string? given)
    {
        if (given is not null)
        {
            return given;
        }

        var local = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "appsettings.json");
    }
}
