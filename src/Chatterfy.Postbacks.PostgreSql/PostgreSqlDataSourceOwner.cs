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
    public PostgreSqlDataSourceOwner(IOptions<PostgreSqlPostbackStoreOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlDataSourceBuilder(options.Value.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            // Shows in pg_stat_activity which connections are the receiver's.
            builder.ConnectionStringBuilder.ApplicationName = "Chatterfy.Postbacks";
        }

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        DataSource = builder.Build();
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
