using System.Globalization;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>Validates <see cref="SqlitePostbackStoreOptions"/> at startup; messages name the configuration path.</summary>
internal sealed class SqlitePostbackStoreOptionsValidator : IValidateOptions<SqlitePostbackStoreOptions>
{
    private const string Section = "Postbacks:Sqlite:";

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

        if (options.WriteQueueCapacity is < 1 or > SqlitePostbackStoreOptions.MaxWriteQueueCapacity)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}WriteQueueCapacity must be from 1 to {SqlitePostbackStoreOptions.MaxWriteQueueCapacity} (got {options.WriteQueueCapacity})."));
        }

        if (options.MaxBatchSize is < 1 or > SqlitePostbackStoreOptions.MaxMaxBatchSize)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}MaxBatchSize must be from 1 to {SqlitePostbackStoreOptions.MaxMaxBatchSize} (got {options.MaxBatchSize})."));
        }

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > SqlitePostbackStoreOptions.MaxBusyTimeout)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Section}BusyTimeout must be from 00:00:00 to {SqlitePostbackStoreOptions.MaxBusyTimeout} (got {options.BusyTimeout})."));
        }

        return failures;
    }
}
