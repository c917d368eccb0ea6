using System.Data.Common;

namespace Rollout.Bot.Storage;

/// <summary>The one way plain ADO.NET commands here get a named parameter, on either engine.</summary>
public static class DbCommandParameters
{
    /// <summary>Adds <paramref name="name"/> (with its <c>@</c>) set to <paramref name="value"/>.</summary>
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
