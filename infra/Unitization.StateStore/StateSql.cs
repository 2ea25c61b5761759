using System.Data.Common;

namespace Unitization.StateStore;

/// <summary>
/// Commands the repositories run on either provider: constant SQL with <c>@name</c> parameters (both SQLite and
/// Npgsql read them), values as parameters, <see langword="null"/> as SQL NULL.
/// </summary>
public static class StateSql
{
    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is constant; values travel as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Adds parameter <paramref name="name"/> (with its <c>@</c>) holding <paramref name="value"/>.</summary>
    public static DbParameter Add(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Runs <paramref name="sql"/> with <paramref name="parameters"/> on a connection of its own; the rows it changed.</summary>
    public static async Task<int> ExecuteAsync(this IStateDatabase database, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(parameters);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, parameters);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The first column of the first row <paramref name="sql"/> returns, or null when it returns none.</summary>
    public static async Task<object?> ScalarAsync(this IStateDatabase database, string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(parameters);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, parameters);
            await using (command.ConfigureAwait(false))
            {
                var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return value is DBNull ? null : value;
            }
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        var command = Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }

        return command;
    }
}
