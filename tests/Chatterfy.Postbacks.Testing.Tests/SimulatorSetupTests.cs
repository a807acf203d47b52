using System.Net;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>Where the simulator gets its URLs and where it sends them: tracker API, the host's own service, Kestrel.</summary>
public sealed class SimulatorSetupTests
{
    [Fact]
    public async Task A_set_is_created_through_a_tracker_api_on_another_prefix_behind_an_api_key()
    {
        await using var host = await ReceiverHost.StartAsync(
            trackerPrefix: "/admin/tracking",
            trackerConventions: group => group.AddEndpointFilter((context, next) =>
                context.HttpContext.Request.Headers["X-Api-Key"] == "k-1"
                    ? next(context)
                    : ValueTask.FromResult<object?>(Results.Unauthorized())));
        var apiKey = new KeyValuePair<string, string>("X-Api-Key", "k-1");

        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin, """{"clickIdSub":"sub4"}""", apiKey, campaignId: "spring", name: "1Win main");
        var clickId = await host.Simulator.CreateClickAsync("spring", apiKey);

        set.Id.Should().NotBeNullOrEmpty();
        set.Name.Should().Be("1Win main");
        set.Network.Should().Be("1win");
        set.CampaignId.Should().Be("spring");
        set.Urls.FirstDeposit.Should().StartWith(ReceiverHost.PublicBaseUrl + "/api/postbacks/").And.Contain("clickid={sub4}");
        var result = (await host.Simulator.SendAsync(set.Urls, new OneWinPostback(SimulatedEvent.Registration, clickId) { ClickIdSub = "sub4" })).Single();
        result.Status.Should().Be("accepted", result.ToString());
    }

    [Fact]
    public async Task A_tracker_api_refusal_is_reported_with_its_answer()
    {
        await using var host = await ReceiverHost.StartAsync();

        var create = () => host.Simulator.CreateSetAsync(NetworkIds.OneWin, """{"clickIdSub":"sub9"}""");

        var thrown = await create.Should().ThrowAsync<HttpRequestException>();
        thrown.Which.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        thrown.Which.Message.Should().Contain("settings.clickIdSub");
    }

    [Fact]
    public async Task Settings_that_are_not_json_are_refused_before_calling_the_api()
    {
        await using var host = await ReceiverHost.StartAsync();

        var create = () => host.Simulator.CreateSetAsync(NetworkIds.OneWin, "{clickIdSub:sub4");

        (await create.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("settingsJson");
    }

    [Fact]
    public async Task Urls_from_the_hosts_own_set_service_are_sent_like_any_other()
    {
        await using var host = await ReceiverHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = NetworkIds.Binomo });
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            sets.GetUrls(set),
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50m, TransactionId = "1" })).Single();

        result.Status.Should().Be("accepted", result.ToString());
    }

    [Fact]
    public async Task Relative_urls_given_as_strings_go_to_the_clients_base_address()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();
        var path = new Uri(set.Urls.Base).AbsolutePath;
        var urls = new PostbackUrls(path + "/registration", path + "/first-deposit", path + "/deposit", path);

        var result = (await host.Simulator.SendAsync(urls, new BinomoPostback(SimulatedEvent.Registration, clickId))).Single();

        result.Url.Should().Be($"{host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}{path}/registration?click_id={clickId}");
        result.Status.Should().Be("accepted", result.ToString());
    }

    [Fact]
    public async Task Without_sending_to_the_base_address_an_absolute_url_goes_where_it_points()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var simulator = new PostbackSimulator(host.Client) { SendToBaseAddress = false };

        // TestServer answers whatever the host name, so the public URL itself arrives.
        var result = (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, "unknownClick1"))).Single();

        result.Url.Should().StartWith(ReceiverHost.PublicBaseUrl + "/api/postbacks/");
        result.Status.Should().Be("unattributed");
    }

    [Fact]
    public async Task The_simulator_works_against_kestrel_over_a_real_socket()
    {
        await using var host = await ReceiverHost.StartAsync(kestrel: true);
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50m, TransactionId = "88123", Target = PostbackTarget.BareUrl },
            new PostbackSimulationOptions { ConcurrentCopies = 5, Retries = 1 });

        results.Should().OnlyContain(r => r.Url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        results.Count(r => r.Status == "accepted").Should().Be(1);
        results.Count(r => r.Status == "duplicate").Should().Be(9);
    }
}
