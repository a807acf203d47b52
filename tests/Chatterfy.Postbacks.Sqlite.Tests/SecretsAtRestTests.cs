using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>
/// Secrets at rest on SQLite (<c>Postbacks:Forwarding:ProtectSecrets</c>): the database file itself, read byte by byte,
/// holds no plain access token; plain rules from before are protected when the host starts, once.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string AccessToken = "EAAB-sqlite-secret-token-0123456789abcd";

    private readonly TestDatabase _database = new();

    private string Keys => Path.Combine(_database.DirectoryPath, "keys");

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WithProtectionOff_TheDatabaseFileHoldsTheTokenAsGiven()
    {
        await using (var host = await StartAsync(protectSecrets: false))
        {
            await CreateRuleAsync(host);
        }

        RawFiles().Should().Contain(AccessToken, "without protection the token is stored as given (and the search below can find it)");
    }

    [Fact]
    public async Task WithProtectionOn_TheDatabaseFileHoldsNoPlainToken_AndARestartWithTheSameKeysReadsIt()
    {
        string ruleId;
        await using (var host = await StartAsync(protectSecrets: true))
        {
            ruleId = (await CreateRuleAsync(host)).Id;
            RawFiles().Should().NotContain(AccessToken, "the file and its write-ahead log hold the token protected");
        }

        RawFiles().Should().NotContain(AccessToken);
        SettingsText(ruleId).Should().Contain("\"accessToken\":\"dp1:").And.Contain("\"pixelId\":\"123456789012345\"");

        await using var restarted = await StartAsync(protectSecrets: true);
        var rules = restarted.GetRequiredService<ForwardingRuleService>();
        rules.MaskSecrets((await rules.GetAsync(ruleId))!).GetProperty("accessToken").GetString().Should().Be("****" + AccessToken[^4..]);
    }

    [Fact]
    public async Task Start_ProtectsThePlainSecretsOfEarlierRules_AndASecondStartChangesNothing()
    {
        string ruleId;
        await using (var before = await StartAsync(protectSecrets: false))
        {
            ruleId = (await CreateRuleAsync(before)).Id;
        }

        SettingsText(ruleId).Should().Contain(AccessToken);

        await using (await StartAsync(protectSecrets: true))
        {
        }

        var protectedText = SettingsText(ruleId);
        protectedText.Should().NotContain(AccessToken).And.Contain("\"accessToken\":\"dp1:");

        await using (await StartAsync(protectSecrets: true))
        {
        }

        SettingsText(ruleId).Should().Be(protectedText, "a second start finds nothing left to protect");
    }

    private async Task<ServiceProvider> StartAsync(bool protectSecrets)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Forwarding:AllowHttp"] = "true",
            ["Postbacks:Forwarding:AllowPrivateNetworks"] = "true",
            ["Postbacks:Forwarding:Dispatcher:Enabled"] = "false",
            ["Postbacks:Forwarding:ProtectSecrets"] = protectSecrets ? "true" : "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddChatterfyPostbacks().UseSqlite(_database.Path).AddForwarding(configuration.GetSection("Postbacks:Forwarding"));
        services.AddDataProtection().SetApplicationName("chatterfy-sqlite-tests").PersistKeysToFileSystem(new DirectoryInfo(Keys));
        var provider = services.BuildServiceProvider();

        // What a host's start does: validate the options, then start the hosted services (the store's initializer first).
        _ = provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var lifecycle in hosted.OfType<IHostedLifecycleService>())
        {
            await lifecycle.StartingAsync(CancellationToken.None);
        }

        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return provider;
    }

    private static async Task<ForwardingRule> CreateRuleAsync(IServiceProvider services)
    {
        var set = await services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        return await services.GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = "facebook-capi",
            Settings = JsonSerializer.SerializeToElement(new { pixelId = "123456789012345", accessToken = AccessToken, graphBaseUrl = "http://127.0.0.1:9" }),
        });
    }

    // The bytes of the database file and its write-ahead log, as a thief of the disk or of a backup would read them.
    private string RawFiles()
    {
        var text = new StringBuilder();
        foreach (var path in new[] { _database.Path, _database.Path + "-wal" })
        {
            if (File.Exists(path))
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                file.CopyTo(copy);
                text.Append(Encoding.Latin1.GetString(copy.ToArray()));
            }
        }

        return text.ToString();
    }

    private string SettingsText(string ruleId)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT settings FROM forwarding_rules WHERE id = $id";
        command.Parameters.AddWithValue("$id", ruleId);
        return (string)command.ExecuteScalar()!;
    }
}
