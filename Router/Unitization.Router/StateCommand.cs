using System.Data.Common;

namespace Unitization.Router;

/// <summary>The router's state-store commands: constant SQL, values as parameters.</summary>
internal static class StateCommand
{
    public static DbCommand Create(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is constant; values travel as parameters
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
