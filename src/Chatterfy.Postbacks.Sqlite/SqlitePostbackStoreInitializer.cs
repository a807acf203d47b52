using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Opens and migrates the SQLite store while the host starts, before other hosted services run, so a wrong path or an
/// unwritable file stops the start instead of failing the first postback. Does nothing when another store replaced it.
/// </summary>
internal sealed class SqlitePostbackStoreInitializer(PostbackStorage storage) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) =>
        storage.Ingest is SqliteIngestStore sqlite ? sqlite.Database.InitializeAsync(cancellationToken) : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
