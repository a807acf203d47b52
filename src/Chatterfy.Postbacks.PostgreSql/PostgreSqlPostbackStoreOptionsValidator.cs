using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Checks <see cref="PostgreSqlPostbackStoreOptions"/> at startup; each message names the option's configuration path. The
/// ranges are the options' <see cref="Configuration.OptionRangeAttribute"/>s, checked by the generated
/// <see cref="PostgreSqlPostbackStoreOptionsRanges"/>; the connection string and the schema name are checked here.
/// </summary>
internal sealed class PostgreSqlPostbackStoreOptionsValidator : IValidateOptions<PostgreSqlPostbackStoreOptions>
{
    private const string Prefix = PostgreSqlPostbackStoreOptions.SectionName + ":";

    private static readonly PostgreSqlPostbackStoreOptionsRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, PostgreSqlPostbackStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Checks the values the store itself uses (everything but the connection string, which the data source owns).</summary>
    internal static List<string> CheckStoreValues(PostgreSqlPostbackStoreOptions options)
    {
        var failures = new List<string>();
        if (SchemaProblem(options.Schema) is { } problem)
        {
            failures.Add(Prefix + "Schema " + problem);
        }

        if (Ranges.Validate(null, options) is { Failed: true, Failures: { } outOfRange })
        {
            failures.AddRange(outOfRange);
        }

        return failures;
    }

    private static List<string> Check(PostgreSqlPostbackStoreOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(Prefix + "ConnectionString must be set.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                // The message names the bad keyword, never the value, so no password reaches the logs.
                failures.Add($"{Prefix}ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
            }
        }

        failures.AddRange(CheckStoreValues(options));
        return failures;
    }

    private static string? SchemaProblem(string? schema)
    {
        if (string.IsNullOrEmpty(schema))
        {
            return "must be set.";
        }

        if (schema.Length > 63)
        {
            return $"must be at most 63 characters (got {schema.Length}).";
        }

        if (!(char.IsAsciiLetter(schema[0]) || schema[0] == '_') || schema.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '$')))
        {
            return $"must be ASCII letters, digits, '_' or '$', starting with a letter or '_' (got '{schema}').";
        }

        if (schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            return $"must not start with 'pg_', which PostgreSQL reserves for system schemas (got '{schema}').";
        }

        return null;
    }
}

/// <summary>The generated check of <see cref="PostgreSqlPostbackStoreOptions"/>' ranges.</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlPostbackStoreOptionsRanges : IValidateOptions<PostgreSqlPostbackStoreOptions>;
