using System.Data.Common;
using System.Text;

namespace ThreatBriefBot.Storage.Sql;

/// <summary>The few ADO.NET helpers every store shares.</summary>
internal static class DbExtensions
{
    public static DbCommand CreateCommand(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;

        // Microsoft.Data.Sqlite refuses a command without the connection's open transaction.
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Adds one parameter per value and returns them as an IN list: <c>@p0, @p1</c>.</summary>
    public static string WithList<T>(this DbCommand command, string prefix, IEnumerable<T> values)
    {
        var list = new StringBuilder();
        var index = 0;
        foreach (var value in values)
        {
            var name = $"@{prefix}{index++}";
            command.With(name, value);
            list.Append(list.Length == 0 ? "" : ", ").Append(name);
        }

        return list.ToString();
    }

    /// <summary>Sets an existing parameter, for a command executed once per row.</summary>
    public static void Set(this DbCommand command, string name, object? value) =>
        command.Parameters[name].Value = value ?? DBNull.Value;

    public static string? GetStringOrNull(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static async Task<int> ExecuteAsync(
        this DbConnection connection, string sql, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
