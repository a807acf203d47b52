using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;

/// <summary>
/// Conversions for the conversion, chat user and reconciliation pages: postbacks sent to the host's receiver as a network
/// sends them, with a fake clock and, when asked, a reporting currency (USD, with fixed rates: 1.1 USD and 5.5 BRL per
/// euro, so 55 BRL is 11.00 USD at rate 0.2). Shared by the HTTP tests and the browser tests (linked into both projects).
/// </summary>
internal static class ConversionData
{
    /// <summary>The host's clock: 2026-12-03 15:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Adds the fake clock and, when <paramref name="reporting"/>, the reporting currency USD with fixed rates.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="reporting">Whether to set a reporting currency.</param>
    /// <returns>The clock.</returns>
    public static FakeTimeProvider Configure(IServiceCollection services, bool reporting = true)
    {
        var clock = new FakeTimeProvider(Now);
        services.AddSingleton<TimeProvider>(clock);
        if (reporting)
        {
            services.Configure<ChatterfyPostbacksOptions>(o => o.ReportingCurrency = "USD");
            services.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([new("USD", 1.1m), new("BRL", 5.5m)]));
        }

        return clock;
    }

    /// <summary>Creates a 1Win set (it reads the canonical <c>clickid</c>, <c>amount</c>, <c>currency</c> and <c>tid</c> on its bare URL).</summary>
    /// <param name="host">The host.</param>
    /// <param name="name">The set's name.</param>
    /// <returns>The set.</returns>
    public static Task<PostbackSet> CreateSetAsync(DashboardHost host, string name) =>
        host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = name, NetworkId = "1win" }).AsTask();

    /// <summary>
    /// Sends a postback to the set's bare URL for the event and returns the receiver's answer; then the fake clock moves
    /// one second on, so that postbacks sent one after the other are listed in that order.
    /// </summary>
    /// <param name="host">The host.</param>
    /// <param name="set">The set.</param>
    /// <param name="eventSegment">The event, e.g. <c>first-deposit</c>.</param>
    /// <param name="query">The query as the network sends it, e.g. <c>clickid=…&amp;amount=50.25&amp;currency=USD&amp;tid=T1</c>.</param>
    /// <returns>The answer's JSON.</returns>
    public static async Task<JsonElement> SendAsync(DashboardHost host, PostbackSet set, string eventSegment, string query)
    {
        var urls = host.Services.GetRequiredService<PostbackSetService>().GetUrls(set, host.BaseAddress.ToString());
        var path = new Uri(urls.Base).AbsolutePath.TrimEnd('/');
        using var client = host.CreateClient();
        using var response = await client.GetAsync($"{path}/{eventSegment}?{query}");
        (host.Services.GetService<TimeProvider>() as FakeTimeProvider)?.Advance(TimeSpan.FromSeconds(1));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
