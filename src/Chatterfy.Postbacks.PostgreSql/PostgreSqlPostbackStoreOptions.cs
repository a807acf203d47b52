using Chatterfy.Postbacks.Configuration;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Options of <see cref="PostgreSqlPostbackStore"/>, bound by convention from the <c>Postbacks:PostgreSql</c> configuration
/// section. They are validated when the host starts; a bad value names its path, e.g.
/// <c>Postbacks:PostgreSql:ConnectionString must be set</c>.
/// </summary>
public sealed class PostgreSqlPostbackStoreOptions
{
    /// <summary>The configuration section the options are bound from by convention.</summary>
    public const string SectionName = "Postbacks:PostgreSql";

    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "postbacks";

    /// <summary>
    /// Gets or sets the Npgsql connection string, e.g.
    /// <c>Host=db.internal;Database=app;Username=postbacks;Password=…</c>.
    /// </summary>
    /// <value>Required; no default. Used by <c>UsePostgreSql</c> to build the store's data source.</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the schema that holds all of the store's tables. It is always quoted in SQL, so its case matters.
    /// </summary>
    /// <value>
    /// Defaults to <c>postbacks</c>. 1 to 63 ASCII letters, digits, <c>_</c> or <c>$</c>, not starting with a digit or
    /// <c>$</c>, and not starting with <c>pg_</c> (reserved by PostgreSQL).
    /// </value>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets a value indicating whether the schema and its tables are created, or upgraded to the current version,
    /// when the host starts. Turn it off when the database user may not create tables, and apply the SQL in
    /// <c>docs/storage.md</c> by other means.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// Gets or sets how long one database command may run before it fails; a timeout answers the postback with 503 so
    /// the network retries. Rounded up to whole seconds.
    /// </summary>
    /// <value>Defaults to 30 seconds; from 1 second to 1 hour.</value>
    [OptionRange(SectionName + ":" + nameof(CommandTimeout), typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "{0} must be from 1 second to 1 hour (got {3}).")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
