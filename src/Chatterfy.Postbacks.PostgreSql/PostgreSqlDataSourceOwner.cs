using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Owns the store's <see cref="NpgsqlDataSource"/> in the container, which disposes it (and its pooled connections) with
/// itself. Not registered as <see cref="NpgsqlDataSource"/>, so it never clashes with a data source the host app registers.
/// </summary>
internal sealed class PostgreSqlDataSourceOwner : IAsyncDisposable, IDisposable
{
    /// <summary>How many statements each connection prepares automatically unless the connection string says otherwise.</summary>
    internal const int DefaultMaxAutoPrepare = 32;

    public PostgreSqlDataSourceOwner(IOptions<PostgreSqlPostbackStoreOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlDataSourceBuilder(options.Value.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Shows in pg_stat_activity which connections are the receiver's.
            builder.ConnectionStringBuilder.ApplicationName = "Chatterfy.Postbacks";
        }

        var written = new DbConnectionStringBuilder { ConnectionString = options.Value.ConnectionString };
        if (!Sets(written, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            // The receiver runs the same few statements for every postback; prepared once per connection, they skip
            // PostgreSQL's parse and plan (about a third more postbacks per second in benchmarks/ingest.sh). A connection
            // string that sets Max Auto Prepare (e.g. 0 behind a pooler without prepared statement support) keeps its value.
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!Sets(written, "No Reset On Close", "NoResetOnClose"))
        {
            // The pool is the store's own and its statements leave no session state (locks are per transaction), so the
            // reset a returned connection would get is work for nothing: about 10 % more postbacks per second. A connection
            // string that sets No Reset On Close keeps its value.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    // Npgsql's own builder answers for every keyword it knows, set or not; the generic builder holds only what was written.
    private static bool Sets(DbConnectionStringBuilder written, string keyword, string propertyName) =>
        written.ContainsKey(keyword) || written.ContainsKey(propertyName);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
