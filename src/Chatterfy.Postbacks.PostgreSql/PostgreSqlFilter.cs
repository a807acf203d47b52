using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>A WHERE clause with positional parameters, built from optional conditions.</summary>
internal sealed class PostgreSqlFilter
{
    private readonly List<string> _conditions = [];

    public List<NpgsqlParameter> Parameters { get; } = [];

    public string Where => _conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _conditions);

    /// <summary>Adds a condition; <c>{0}</c> in it stands for the parameter's placeholder.</summary>
    public void Add(string condition, NpgsqlParameter parameter) =>
        _conditions.Add(condition.Replace("{0}", Next(parameter), StringComparison.Ordinal));

    public void Add(string condition) => _conditions.Add(condition);

    /// <summary>Adds the conditions of an inclusive start and an exclusive end of <paramref name="column"/>, each when set.</summary>
    public void AddRange(string column, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start)
        {
            Add(column + " >= {0}", PostgreSqlValues.Time(start));
        }

        if (to is { } end)
        {
            Add(column + " < {0}", PostgreSqlValues.Time(end));
        }
    }

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Next(NpgsqlParameter parameter)
    {
        Parameters.Add(parameter);
        return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
