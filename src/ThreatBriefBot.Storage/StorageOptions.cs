namespace ThreatBriefBot.Storage;

/// <summary>Where and in which database the bot keeps its state. Bound from the "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    /// <summary>The database engine; only <see cref="SqliteProvider"/> for now.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The folder the database file lives in; the host's <c>--data-dir</c> sets it.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFile { get; set; } = "threatbriefbot.db";

    /// <summary>A full connection string; when set, it wins over <see cref="DataDirectory"/> and <see cref="DatabaseFile"/>.</summary>
    public string? ConnectionString { get; set; }
}
