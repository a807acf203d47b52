using System.Net;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Forwarding;

/// <summary>The forwarding rule pages over real HTTP: secrets are write-only and masked, errors sit next to their fields.</summary>
public sealed class ForwardingRulePageTests
{
    private const string AccessToken = "EAAB-secret-value";

    [Fact]
    public async Task A_facebook_rule_created_through_the_page_shows_its_token_masked_and_the_token_is_in_no_page()
    {
        await using var host = await StartAsync();
        var setId = await CreateSetAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var pages = new List<string>();

        var form = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/rules/new?destination=facebook-capi");
        pages.Add(await form.Content.ReadAsStringAsync());
        form.StatusCode.Should().Be(HttpStatusCode.OK);
        pages[^1].Should().Contain("""<label for="rule-settings-accessToken">Access token (secret, write-only)</label>""")
            .And.Contain("""<input type="password" id="rule-settings-accessToken" name="settings.accessToken" autocomplete="new-password" aria-describedby="rule-settings-accessToken-hint">""")
            .And.Contain("""<input type="text" id="rule-settings-pixelId" name="settings.pixelId" value="" placeholder="" aria-describedby="rule-settings-pixelId-hint" required>""");

        var created = await PostAsync(client, form, "forwarding/rules/new", new()
        {
            ["destination"] = "facebook-capi",
            ["name"] = "Meta main",
            ["setId"] = setId,
            ["settings.pixelId"] = "123456789012345",
            ["settings.graphBaseUrl"] = "http://127.0.0.1:9",
            ["settings.accessToken"] = AccessToken,
        });
        pages.Add(await created.Content.ReadAsStringAsync());
        created.StatusCode.Should().Be(HttpStatusCode.Redirect, pages[^1]);
        created.Headers.Location!.ToString().Should().Be($"{DashboardHost.Prefix}/forwarding?created=1");

        var list = await client.GetAsync($"{DashboardHost.Prefix}/forwarding?created=1");
        pages.Add(await list.Content.ReadAsStringAsync());
        pages[^1].Should().Contain("Forwarding rule created.")
            .And.Contain("<dt>accessToken</dt><dd><code>****alue</code></dd>")
            .And.Contain("<dt>pixelId</dt><dd><code>123456789012345</code></dd>")
            .And.Contain("Facebook Conversions API");

        var rule = (await host.Services.GetRequiredService<ForwardingRuleService>().ListAsync()).Single();
        rule.Settings.GetProperty("accessToken").GetString().Should().Be(AccessToken, "the stored rule keeps the token: the dispatcher needs it");
        pages.Add(await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/rules/{rule.Id}/delete"));
        pages.Add(await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/outbox"));
        pages.Add(await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/rules/new?destination=facebook-capi"));

        pages.Should().AllSatisfy(page => page.Should().NotContain(AccessToken).And.NotContain("secret-value"));
    }

    [Fact]
    public async Task A_rule_with_bad_settings_is_answered_400_with_each_error_next_to_its_field_stores_nothing_and_echoes_no_secret()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/rules/new?destination=facebook-capi");

        var response = await PostAsync(client, form, "forwarding/rules/new", new()
        {
            ["destination"] = "facebook-capi",
            ["setId"] = "",
            ["campaignId"] = "",
            ["settings.pixelId"] = "12ab",
            ["settings.accessToken"] = AccessToken,
        });
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("""<select id="rule-set" name="setId" aria-invalid="true" aria-describedby="rule-set-error" >""")
            .And.Contain("""<p class="error" id="rule-set-error">A rule belongs to a postback set or to a campaign: give exactly one of setId and campaignId.</p>""")
            .And.Contain("""<input type="text" id="rule-settings-pixelId" name="settings.pixelId" value="12ab" placeholder="" aria-describedby="rule-settings-pixelId-hint rule-settings-pixelId-error" aria-invalid="true" required>""")
            .And.Contain("""<p class="error" id="rule-settings-pixelId-error">""")
            .And.Contain("""<input type="password" id="rule-settings-accessToken" name="settings.accessToken" autocomplete="new-password" aria-describedby="rule-settings-accessToken-hint">""")
            .And.NotContain(AccessToken);
        (await host.Services.GetRequiredService<ForwardingRuleService>().ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_destination_without_a_schema_takes_JSON_text_and_its_secrets_in_their_own_inputs_and_refuses_a_secret_in_the_text()
    {
        await using var host = await StartAsync(s => new PostbacksBuilder(s).AddForwardingDestination<SchemalessDestination>("schemaless"));
        var setId = await CreateSetAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/rules/new?destination=schemaless");
        (await form.Content.ReadAsStringAsync()).Should().Contain("""<textarea id="rule-settings" name="settings" rows="8">""")
            .And.Contain("""<input type="password" id="rule-secret-apiKey" name="secret.apiKey" autocomplete="new-password">""");

        var refused = await PostAsync(client, form, "forwarding/rules/new", new()
        {
            ["destination"] = "schemaless",
            ["setId"] = setId,
            ["settings"] = $$"""{"channel":"main","apiKey":"{{AccessToken}}"}""",
        });
        var created = await PostAsync(client, form, "forwarding/rules/new", new()
        {
            ["destination"] = "schemaless",
            ["setId"] = setId,
            ["settings"] = """{"channel":"main"}""",
            ["secret.apiKey"] = AccessToken,
        });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("Enter apiKey in its own field below")
            .And.Contain("""{&quot;channel&quot;:&quot;main&quot;}</textarea>""").And.NotContain(AccessToken);
        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var rule = (await host.Services.GetRequiredService<ForwardingRuleService>().ListAsync()).Single();
        rule.Settings.GetProperty("apiKey").GetString().Should().Be(AccessToken);
        (await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding")).Should().Contain("<dt>apiKey</dt><dd><code>****alue</code></dd>").And.NotContain(AccessToken);
    }

    [Fact]
    public async Task Deleting_a_rule_asks_first_then_deletes_it_and_a_post_without_antiforgery_deletes_nothing()
    {
        await using var host = await StartAsync();
        var setId = await CreateSetAsync(host);
        var rules = host.Services.GetRequiredService<ForwardingRuleService>();
        var rule = await rules.CreateAsync(new NewForwardingRule
        {
            SetId = setId,
            DestinationId = "http-postback",
            Settings = System.Text.Json.JsonDocument.Parse("""{"urlTemplate":"http://127.0.0.1:9/postback?cid={{click.id}}"}""").RootElement,
        });
        using var client = host.CreateClient(withApiKey: true);

        var refused = await client.PostAsync($"{DashboardHost.Prefix}/forwarding/rules/{rule.Id}/delete", new FormUrlEncodedContent([]));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await rules.GetAsync(rule.Id)).Should().NotBeNull();

        var confirm = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/rules/{rule.Id}/delete");
        (await confirm.Content.ReadAsStringAsync()).Should().Contain("its pending outbox messages are dead-lettered").And.Contain($"""<button type="submit" class="danger" id="confirm-delete">Delete rule {rule.Id}</button>""");
        var deleted = await PostAsync(client, confirm, $"forwarding/rules/{rule.Id}/delete", []);

        deleted.StatusCode.Should().Be(HttpStatusCode.Redirect);
        deleted.Headers.Location!.ToString().Should().Be($"{DashboardHost.Prefix}/forwarding?deleted=1");
        (await rules.GetAsync(rule.Id)).Should().BeNull();
    }

    [Fact]
    public async Task Without_AddForwarding_the_forwarding_page_says_forwarding_is_not_enabled_on_this_host()
    {
        await using var host = await DashboardHost.StartAsync(configure: s =>
        {
            foreach (var descriptor in s.Where(d => d.ServiceType == typeof(ForwardingRuleService)).ToList())
            {
                s.Remove(descriptor);
            }
        });
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/forwarding");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Forwarding is not enabled on this host");
    }

    // Destinations on loopback: no DNS here, and nothing is sent (the dispatcher is off).
    internal static Task<DashboardHost> StartAsync(Action<IServiceCollection>? configure = null) => DashboardHost.StartAsync(configure: s =>
    {
        s.Configure<ForwardingOptions>(o =>
        {
            (o.AllowHttp, o.AllowPrivateNetworks) = (true, true);
            o.Dispatcher.Enabled = false;
        });
        configure?.Invoke(s);
    });

    internal static async Task<string> CreateSetAsync(DashboardHost host) =>
        (await host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo main", NetworkId = "binomo" })).Id;

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpResponseMessage form, string relative, Dictionary<string, string> fields)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(form);
        fields[field] = token;
        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/{relative}") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    /// <summary>A plug-in destination without a settings schema, with one secret setting.</summary>
    private sealed class SchemalessDestination : ForwardingDestination
    {
        public override string Id => "schemaless";

        public override string DisplayName => "Schemaless webhook";

        public override IReadOnlyList<string> SecretSettings => ["apiKey"];

        public override DestinationProfile CreateProfile(System.Text.Json.JsonElement settings) => new Profile();

        private sealed class Profile : DestinationProfile
        {
            public override string BatchKey => "schemaless";

            public override bool Forwards(Chatterfy.Postbacks.Ingestion.PostbackEvent conversionEvent) => true;

            public override ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken) =>
                ValueTask.FromResult<IReadOnlyList<DeliveryOutcome>>([.. batch.Select(_ => DeliveryOutcome.Delivered())]);
        }
    }

    private sealed class PostbacksBuilder(IServiceCollection services) : IChatterfyPostbacksBuilder
    {
        public IServiceCollection Services => services;
    }
}
