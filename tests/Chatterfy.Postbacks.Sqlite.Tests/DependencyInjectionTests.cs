using Chatterfy.Postbacks.Storage.Conformance;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Sqlite.Tests;

public sealed class DependencyInjectionTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task UseSqlite_ReplacesUseInMemoryStore()
    {
        var services = new ServiceCollection();

        services.AddChatterfyPostbacks().UseInMemoryStore().UseSqlite(_database.Path);

        services.Where(d => d.ServiceType == typeof(PostbackStorage)).Should().ContainSingle();
        services.Where(d => d.ServiceType == typeof(IngestStore)).Should().ContainSingle();
        await using var provider = services.BuildServiceProvider();
        var sqlite = provider.GetRequiredService<SqlitePostbackStore>();
        provider.GetRequiredService<PostbackStorage>().Should().BeSameAs(sqlite.Storage);
        provider.GetRequiredService<PostbackSetStore>().Should().BeSameAs(sqlite.Sets);
        provider.GetRequiredService<CampaignStore>().Should().BeSameAs(sqlite.Campaigns);
        provider.GetRequiredService<ClickStore>().Should().BeSameAs(sqlite.Clicks);
        provider.GetRequiredService<IngestStore>().Should().BeSameAs(sqlite.Ingest);
        provider.GetRequiredService<PostbackLogStore>().Should().BeSameAs(sqlite.Log);
        provider.GetRequiredService<OutboxStore>().Should().BeSameAs(sqlite.Outbox);
        provider.GetRequiredService<ForwardingRuleStore>().Should().BeSameAs(sqlite.ForwardingRules);
        provider.GetRequiredService<ReconciliationStore>().Should().BeSameAs(sqlite.Reconciliations);
    }

    [Fact]
    public async Task UseSqlite_CalledTwice_RegistersOneStoreOneValidatorAndOneInitializer()
    {
        var services = new ServiceCollection();

        services.AddChatterfyPostbacks().UseSqlite(_database.Path).UseSqlite(o => o.MaxBatchSize = 64);

        services.Where(d => d.ServiceType == typeof(PostbackStorage)).Should().ContainSingle();
        services.Where(d => d.ServiceType == typeof(SqlitePostbackStore)).Should().ContainSingle();
        services.Where(d => d.ServiceType == typeof(IValidateOptions<SqlitePostbackStoreOptions>)).Should().ContainSingle();
        services.Where(d => d.ImplementationType == typeof(SqlitePostbackStoreInitializer)).Should().ContainSingle();
        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SqlitePostbackStoreOptions>>().Value;
        options.DataSource.Should().Be(_database.Path);
        options.MaxBatchSize.Should().Be(64);
        provider.GetRequiredService<IngestStore>().PreferredBatchSize.Should().Be(64, "the writer's batch is the batch the core gathers");
    }

    [Fact]
    public async Task UseInMemoryStore_AfterUseSqlite_WinsAndTheInitializerDoesNothing()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(_database.Path).UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IngestStore>().Should().NotBeAssignableTo<SqliteIngestStore>();
        await Initializer(provider).StartingAsync(None);

        File.Exists(_database.Path).Should().BeFalse();
    }

    [Fact]
    public async Task UseSqlite_ConfigurationSection_BindsEveryOption()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Sqlite:DataSource"] = _database.Path,
            ["Postbacks:Sqlite:Synchronous"] = "normal",
            ["Postbacks:Sqlite:WriteQueueCapacity"] = "500",
            ["Postbacks:Sqlite:MaxBatchSize"] = "32",
            ["Postbacks:Sqlite:BusyTimeout"] = "00:00:10",
            ["Postbacks:Sqlite:CreateIfMissing"] = "false",
        }).Build();
        var services = new ServiceCollection();

        services.AddChatterfyPostbacks().UseSqlite(configuration.GetSection("Postbacks:Sqlite"));

        await using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SqlitePostbackStoreOptions>>().Value;
        options.DataSource.Should().Be(_database.Path);
        options.Synchronous.Should().Be(SqliteSynchronousMode.Normal);
        options.WriteQueueCapacity.Should().Be(500);
        options.MaxBatchSize.Should().Be(32);
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.CreateIfMissing.Should().BeFalse();
    }

    [Fact]
    public void Options_Defaults()
    {
        var options = new SqlitePostbackStoreOptions();

        options.DataSource.Should().BeNull();
        options.Synchronous.Should().Be(SqliteSynchronousMode.Full);
        options.WriteQueueCapacity.Should().Be(10_000);
        options.MaxBatchSize.Should().Be(256);
        options.BusyTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.CreateIfMissing.Should().BeTrue();
    }

    [Fact]
    public void OptionRanges_SqliteOptions_MatchTheirValueDocs()
    {
        var mismatches = Chatterfy.Postbacks.Tests.Approvals.OptionRangeDocs.Mismatches(typeof(SqlitePostbackStoreOptions).Assembly, out var checkedCount);

        checkedCount.Should().Be(3);
        mismatches.Should().BeEmpty();
    }

    [Theory]
    [InlineData("DataSource", null, "Postbacks:Sqlite:DataSource must be set")]
    [InlineData("DataSource", " ", "Postbacks:Sqlite:DataSource must be set")]
    [InlineData("DataSource", ":memory:", "Postbacks:Sqlite:DataSource must be a file path*")]
    [InlineData("Synchronous", "42", "Postbacks:Sqlite:Synchronous must be Full, Normal or Extra*")]
    [InlineData("WriteQueueCapacity", "0", "Postbacks:Sqlite:WriteQueueCapacity must be from 1 to 1000000 (got 0)*")]
    [InlineData("MaxBatchSize", "10001", "Postbacks:Sqlite:MaxBatchSize must be from 1 to 10000 (got 10001)*")]
    [InlineData("BusyTimeout", "-00:00:01", "Postbacks:Sqlite:BusyTimeout must be from 00:00:00 to 00:10:00*")]
    public async Task StartupValidation_InvalidOption_FailsNamingItsPath(string option, string? value, string expectedMessage)
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(o =>
        {
            o.DataSource = _database.Path;
            switch (option)
            {
                case "DataSource": o.DataSource = value; break;
                case "Synchronous": o.Synchronous = (SqliteSynchronousMode)int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "WriteQueueCapacity": o.WriteQueueCapacity = int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture); break;
                case "MaxBatchSize": o.MaxBatchSize = int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture); break;
                default: o.BusyTimeout = TimeSpan.Parse(value!, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        });
        await using var provider = services.BuildServiceProvider();

        var validate = () => provider.GetRequiredService<IStartupValidator>().Validate();

        validate.Should().Throw<OptionsValidationException>().WithMessage("*" + expectedMessage + "*");
        var direct = () => new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = "" });
        direct.Should().Throw<ArgumentException>().WithMessage("*Postbacks:Sqlite:DataSource must be set*");
    }

    [Fact]
    public async Task StartupValidation_ValidOptions_Passes()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(_database.Path);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task HostStart_InitializesTheStore()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(_database.Path);
        await using var provider = services.BuildServiceProvider();

        await Initializer(provider).StartingAsync(None);

        File.Exists(_database.Path).Should().BeTrue();
        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
    }

    [Fact]
    public async Task HostStart_UnwritableLocation_FailsTheStart()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(Path.Combine(_database.DirectoryPath, "missing", "postbacks.db"));
        await using var provider = services.BuildServiceProvider();

        await FluentActions.Awaiting(() => Initializer(provider).StartingAsync(None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
    }

    [Fact]
    public async Task ContainerDisposal_CommitsTheQueuedWritesAndClosesTheStore()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(o =>
        {
            o.DataSource = _database.Path;
            o.BusyTimeout = TimeSpan.FromSeconds(30);
        });
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IngestStore>();
        await Initializer(provider).StartingAsync(None);
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.GetRequiredService<SqlitePostbackStore>().BatchStarting = _ => taken.TrySetResult();
        var conversion = StoreTestData.Conversion();
        Task<IReadOnlyList<IngestResult>> append;
        Task disposal;

        using (_database.LockForWriting())
        {
            append = Task.Run(() => store.AppendAsync([Ingest.Record(conversion)], None).AsTask());
            await taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
            disposal = provider.DisposeAsync().AsTask();
            disposal.IsCompleted.Should().BeFalse();
        }

        await disposal.WaitAsync(TimeSpan.FromSeconds(30));
        (await append)[0].Should().Be((IngestResult.Written(conversion.Id) with { DepositNumber = conversion.DepositNumber }));
        (await _database.CreateStore().Ingest.GetConversionAsync(conversion.Id, None)).Should().NotBeNull();
    }

    private static SqlitePostbackStoreInitializer Initializer(IServiceProvider provider) =>
        provider.GetServices<IHostedService>().OfType<SqlitePostbackStoreInitializer>().Single();
}
