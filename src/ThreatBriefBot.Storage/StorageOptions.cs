namespace ThreatBriefBot.Storage;

/// <summary>Where and in which database the bot keeps its state. Bound from the "Storage" section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string SqliteProvider = "Sqlite";

    public const string PostgreSqlProvider = "PostgreSql";

    /// <summary>
    /// The name under <c>ConnectionStrings</c> of PostgreSQL's connection string (<c>ConnectionStrings:ThreatBriefBot</c>,
    /// or <c>ConnectionStrings__ThreatBriefBot</c> in the environment): it holds a password, so never in a committed file.
    /// </summary>
    public const string ConnectionStringName = "ThreatBriefBot";

    /// <summary>The database engine, <see cref="SqliteProvider"/> or <see cref="PostgreSqlProvider"/>, in any case.</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>The folder SQLite's database file lives in; the host's <c>--data-dir</c> sets it.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    public string DatabaseFile { get; set; } = "threatbriefbot.db";

    /// <summary>A full SQLite connection string; when set, it wins over <see cref="DataDirectory"/> and <see cref="DatabaseFile"/>.</summary>
    public string? ConnectionString { get; set; }
}
