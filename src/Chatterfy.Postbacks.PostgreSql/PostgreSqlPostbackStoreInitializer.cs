using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Creates or upgrades the schema when the host starts (<see cref="PostgreSqlPostbackStoreOptions.CreateSchema"/>), or
/// checks that it is current. Registered ahead of the other hosted services, so nothing touches the store before.
/// </summary>
internal sealed class PostgreSqlPostbackStoreInitializer(IServiceProvider services, IOptions<PostgreSqlPostbackStoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Another Use… call may have replaced the PostgreSQL storage after UsePostgreSql: then its database is left alone.
        if (services.GetService<PostbackStorage>()?.Ingest is not PostgreSqlIngestStore { Database: var store })
        {
            return;
        }

        if (options.Value.CreateSchema)
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.VerifySchemaAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
