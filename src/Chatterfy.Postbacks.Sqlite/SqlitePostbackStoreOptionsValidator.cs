using System.Globalization;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Validates <see cref="SqlitePostbackStoreOptions"/> at startup; messages name the configuration path. The ranges are the
/// options' <see cref="Configuration.OptionRangeAttribute"/>s, checked by the generated
/// <see cref="SqlitePostbackStoreOptionsRanges"/>; the data source and the synchronous mode are checked here.
/// </summary>
internal sealed class SqlitePostbackStoreOptionsValidator : IValidateOptions<SqlitePostbackStoreOptions>
{
    private const string Section = SqlitePostbackStoreOptions.Section;
    private static readonly SqlitePostbackStoreOptionsRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, SqlitePostbackStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = GetFailures(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> GetFailures(SqlitePostbackStoreOptions options)
    {
        var failures = new List<string>();
        var dataSource = options.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            failures.Add(Section + "DataSource must be set to the database file's path, e.g. 'postbacks.db'.");
        }
        else if (string.Equals(dataSource.Trim(), ":memory:", StringComparison.OrdinalIgnoreCase)
            || dataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add(Section + "DataSource must be a file path: an in-memory database is not durable (use UseInMemoryStore() for tests).");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}Synchronous must be Full, Normal or Extra (got {options.Synchronous})."));
        }

        if (Ranges.Validate(null, options) is { Failed: true, Failures: { } outOfRange })
        {
            failures.AddRange(outOfRange);
        }

        return failures;
    }
}

/// <summary>The generated check of <see cref="SqlitePostbackStoreOptions"/>' ranges.</summary>
[OptionsValidator]
internal sealed partial class SqlitePostbackStoreOptionsRanges : IValidateOptions<SqlitePostbackStoreOptions>;
