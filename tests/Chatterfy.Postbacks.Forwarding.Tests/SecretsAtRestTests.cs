using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>
/// Secrets at rest (<c>Postbacks:Forwarding:ProtectSecrets</c>): the store keeps the access token protected with Data
/// Protection, the destination still receives it, a restart on the same key ring still sends, a lost key ring
/// dead-letters instead of sending, and a host without a persisted key ring does not start.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string Marker = "dp1:";

    private readonly PostbackStorage _store = InMemoryPostbackStorage.Create();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatterfy-secrets-tests", Guid.NewGuid().ToString("N"));

    private string Keys => Path.Combine(_folder, "keys");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task WithProtectionOff_TheRuleIsStoredAsGiven()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = await SecretsHost.StartAsync(_store, protectSecrets: false, SecretsHost.KeysIn(Keys));
        var set = await host.CreateSetAsync();

        var rule = await host.FacebookRuleAsync(graph, set.Id);

        AccessToken(await _store.ForwardingRules.GetAsync(rule.Id, default)).Should().Be(Graph.AccessToken);
    }

    [Fact]
    public async Task WithProtectionOn_TheStoreHoldsTheTokenProtected_TheOtherSettingsReadable_AndTheDestinationStillReceivesIt()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var set = await host.CreateSetAsync();

        var rule = await host.FacebookRuleAsync(graph, set.Id);
        var conversionId = await host.FirstDepositAsync(set);
        await host.Dispatcher.DispatchOnceAsync();

        var stored = (await _store.ForwardingRules.GetAsync(rule.Id, default))!;
        stored.Settings.GetRawText().Should().NotContain(Graph.AccessToken);
        AccessToken(stored).Should().StartWith(Marker);
        stored.Settings.GetProperty("pixelId").GetString().Should().Be(Graph.PixelId, "only the declared secrets are protected");
        stored.Settings.GetProperty("graphBaseUrl").GetString().Should().Be(graph.BaseUrl);
        var request = graph.Requests.Should().ContainSingle().Subject;
        ((string)Graph.Body(request)["access_token"]!).Should().Be(Graph.AccessToken);
        Graph.EventIds(request).Should().Equal(conversionId);
        (await host.MessageAsync(conversionId)).Status.Should().Be(OutboxMessageStatus.Delivered);
    }

    [Fact]
    public async Task WithProtectionOn_TheMaskedSettingsStillHintAtTheRealToken()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var set = await host.CreateSetAsync();

        var rule = await host.FacebookRuleAsync(graph, set.Id);

        host.Rules.MaskSecrets(rule).GetProperty("accessToken").GetString().Should().Be("****" + Graph.AccessToken[^4..]);
        host.Rules.MaskSecrets((await host.Rules.ListAsync()).Single()).GetRawText().Should().NotContain(Marker);
    }

    [Fact]
    public async Task Restart_WithTheSameKeyFolder_StillSendsTheToken()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        Postbacks.PostbackSets.PostbackSet set;
        await using (var first = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys)))
        {
            set = await first.CreateSetAsync();
            await first.FacebookRuleAsync(graph, set.Id);
        }

        await using var restarted = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var conversionId = await restarted.FirstDepositAsync(set);
        await restarted.Dispatcher.DispatchOnceAsync();

        ((string)Graph.Body(graph.Requests.Should().ContainSingle().Subject)["access_token"]!).Should().Be(Graph.AccessToken);
        (await restarted.MessageAsync(conversionId)).Status.Should().Be(OutboxMessageStatus.Delivered);
    }

    [Fact]
    public async Task Restart_WithALostKeyRing_DeadLettersTheMessagesAsSecretUnreadable_AndSendsNothing()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        Postbacks.PostbackSets.PostbackSet set;
        await using (var first = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys)))
        {
            set = await first.CreateSetAsync();
            await first.FacebookRuleAsync(graph, set.Id);
        }

        Directory.Delete(Keys, recursive: true);
        await using var restarted = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var conversionId = await restarted.FirstDepositAsync(set);
        await restarted.Dispatcher.DispatchOnceAsync();

        graph.Requests.Should().BeEmpty();
        var message = await restarted.MessageAsync(conversionId);
        message.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        message.LastErrorCode.Should().Be("secret_unreadable");
        message.LastError.Should().Contain("ProtectSecrets");
    }

    [Fact]
    public async Task Restart_WithAnotherApplicationsKeys_DeadLettersTheMessagesAsSecretUnreadable()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        Postbacks.PostbackSets.PostbackSet set;
        await using (var first = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys)))
        {
            set = await first.CreateSetAsync();
            await first.FacebookRuleAsync(graph, set.Id);
        }

        await using var other = await SecretsHost.StartAsync(
            _store,
            protectSecrets: true,
            services => services.AddDataProtection().SetApplicationName("another-application").PersistKeysToFileSystem(new DirectoryInfo(Keys)));
        var conversionId = await other.FirstDepositAsync(set);
        await other.Dispatcher.DispatchOnceAsync();

        graph.Requests.Should().BeEmpty();
        (await other.MessageAsync(conversionId)).LastErrorCode.Should().Be("secret_unreadable");
    }

    public static TheoryData<string> KeyRingsThatAreNotPersisted => ["no Data Protection", "AddDataProtection() alone", "an ephemeral provider"];

    [Theory]
    [MemberData(nameof(KeyRingsThatAreNotPersisted))]
    public async Task Start_WithProtectionOnAndAKeyRingThatIsNotPersisted_FailsNamingTheOption(string keyRing)
    {
        Action<IServiceCollection>? dataProtection = keyRing switch
        {
            "no Data Protection" => null,
            "AddDataProtection() alone" => services => services.AddDataProtection(),
            _ => services => services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Keys)).UseEphemeralDataProtectionProvider(),
        };

        var start = async () => await SecretsHost.StartAsync(_store, protectSecrets: true, dataProtection);

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Postbacks:Forwarding:ProtectSecrets");
    }

    [Fact]
    public async Task Start_WithProtectionOff_NeedsNoPersistedKeyRing()
    {
        await using var host = await SecretsHost.StartAsync(_store, protectSecrets: false, services => services.AddDataProtection());

        host.Rules.Should().NotBeNull();
    }

    [Fact]
    public async Task Start_ProtectsThePlainSecretsOfEarlierRules_WorksOnAMixedStore_AndASecondStartChangesNothing()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var other = await FakeDestination.StartAsync(r => r.Path == "/pb" ? FakeAnswer.Ok() : Graph.Received(r));
        Postbacks.PostbackSets.PostbackSet set;
        Postbacks.PostbackSets.PostbackSet otherSet;
        ForwardingRule plain;
        ForwardingRule postback;
        await using (var before = await SecretsHost.StartAsync(_store, protectSecrets: false))
        {
            set = await before.CreateSetAsync();
            otherSet = await before.CreateSetAsync();
            plain = await before.FacebookRuleAsync(graph, set.Id);
            postback = await before.Rules.CreateAsync(new NewForwardingRule
            {
                SetId = set.Id,
                DestinationId = "http-postback",
                Settings = JsonSerializer.SerializeToElement(new { urlTemplate = other.BaseUrl + "/pb?cid={{click.id}}" }),
            });
        }

        AccessToken(await _store.ForwardingRules.GetAsync(plain.Id, default)).Should().Be(Graph.AccessToken);

        ForwardingRule created;
        await using (var first = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys)))
        {
            AccessToken(await _store.ForwardingRules.GetAsync(plain.Id, default)).Should().StartWith(Marker);
            created = await first.FacebookRuleAsync(other, otherSet.Id, accessToken: "EAAB-second-token-abcdefghijklmnop");
        }

        var afterFirstStart = await SettingsTextAsync();
        afterFirstStart[postback.Id].Should().Be(postback.Settings.GetRawText(), "a destination without secrets keeps its settings as given");

        // A plain rule written now (by an instance with protection off) is read as it is.
        var late = plain with { Id = "late-plain-rule", SetId = otherSet.Id, CreatedAt = plain.CreatedAt.AddSeconds(1) };
        await _store.ForwardingRules.AddAsync(late, default);

        await using var second = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var afterSecondStart = await SettingsTextAsync();
        afterSecondStart[plain.Id].Should().Be(afterFirstStart[plain.Id], "protected secrets are not protected again");
        afterSecondStart[created.Id].Should().Be(afterFirstStart[created.Id]);
        afterSecondStart[postback.Id].Should().Be(afterFirstStart[postback.Id]);
        AccessToken(await _store.ForwardingRules.GetAsync(late.Id, default)).Should().StartWith(Marker, "the second start protects the rule written in between");

        await second.FirstDepositAsync(set);
        await second.FirstDepositAsync(otherSet);
        await second.Dispatcher.DispatchOnceAsync();

        // The set's protected-at-start rule and the late rule share one pixel and token: their events go to the fake Graph.
        graph.Requests.Should().NotBeEmpty().And.OnlyContain(r => (string)Graph.Body(r)["access_token"]! == Graph.AccessToken);
        graph.Requests.Sum(r => Graph.Events(r).Count).Should().Be(2);
        var events = other.Requests.Where(r => r.Path.EndsWith("/events", StringComparison.Ordinal)).ToList();
        events.Should().ContainSingle().Which.Body.Should().Contain("EAAB-second-token-abcdefghijklmnop");
        other.Requests.Should().Contain(r => r.Path == "/pb", "the postback rule without secrets still sends");
    }

    [Fact]
    public async Task PlainRule_IsReadAsItIs_WhileProtectionIsOn()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = await SecretsHost.StartAsync(_store, protectSecrets: true, SecretsHost.KeysIn(Keys));
        var set = await host.CreateSetAsync();
        await _store.ForwardingRules.AddAsync(
            new ForwardingRule
            {
                Id = "plain-rule",
                SetId = set.Id,
                DestinationId = FacebookConversionsDestination.DestinationId,
                Settings = JsonSerializer.SerializeToElement(new { pixelId = Graph.PixelId, accessToken = Graph.AccessToken, graphBaseUrl = graph.BaseUrl }),
                CreatedAt = ForwardingHost.Now,
            },
            default);

        // The rule was written behind the host's back (as another instance would): it is seen once the rule cache expires.
        ((FakeTimeProvider)host.Services.GetRequiredService<TimeProvider>()).Advance(new ForwardingOptions().RuleCacheDuration + TimeSpan.FromSeconds(1));
        await host.FirstDepositAsync(set);
        await host.Dispatcher.DispatchOnceAsync();

        ((string)Graph.Body(graph.Requests.Should().ContainSingle().Subject)["access_token"]!).Should().Be(Graph.AccessToken);
    }

    private static string? AccessToken(ForwardingRule? rule) => rule!.Settings.GetProperty("accessToken").GetString();

    private async Task<Dictionary<string, string>> SettingsTextAsync() =>
        (await _store.ForwardingRules.ListAsync(default)).ToDictionary(r => r.Id, r => r.Settings.GetRawText());
}
