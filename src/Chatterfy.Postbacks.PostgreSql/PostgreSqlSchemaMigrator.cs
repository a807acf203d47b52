using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Creates or upgrades the schema when the host starts (<see cref="PostgreSqlPostbackStoreOptions.CreateSchema"/>), or
/// checks that it is current. Registered ahead of the other hosted services, so nothing touches the store before.
/// </summary>
internal sealed class PostgreSqlSchemaMigrator(PostbackStore store, IOptions<PostgreSqlPostbackStoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Another Use*Store call may have replaced the PostgreSQL store after UsePostgreSql.
        if (store is not PostgreSqlPostbackStore postgres)
        {
            return;
        }

        if (options.Value.CreateSchema)
        {
            await postgres.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await postgres.VerifySchemaAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
