using Npgsql;

namespace ThreatBriefBot.Storage.PostgreSql;

/// <summary>Npgsql's pooled data source, with connections that say which instance they belong to.</summary>
internal static class PostgreSqlDataSource
{
    // PostgreSQL cuts application_name at 63 bytes.
    private const int MaxApplicationNameLength = 63;

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= InstanceName();
        return builder.Build();
    }

    /// <summary>
    /// What pg_stat_activity shows as application_name unless the connection string sets one, so ops can tell the
    /// instances on one database apart, and a refused second worker can name the first.
    /// </summary>
    public static string InstanceName()
    {
        var name = $"ThreatBriefBot {Environment.MachineName} pid {Environment.ProcessId}";
        return name.Length <= MaxApplicationNameLength ? name : name[..MaxApplicationNameLength];
    }
}
