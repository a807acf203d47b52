using System.Collections.Concurrent;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Currencies;

/// <summary>The reporting currency wired in: conversion at ingest, the missing-rate warning, replays, the recompute and the stats.</summary>
public sealed class ReportingCurrencyIngestionTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestServices.Start.UtcDateTime);

    [Fact]
    public async Task Ingest_AmountInAnotherCurrency_StoresItConvertedThroughTheEuroWithTheRateAndTheRateDay()
    {
        using var services = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([new("BRL", 5.5m), new("USD", 1.1m)])));
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "100.00", "brl"));

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        result.Warnings.Should().BeEmpty();
        var stored = await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default);
        stored!.ReportingAmount.Should().Be(new ReportingAmount(20.00m, "USD", 0.2m, Today));
        stored.Conversion.Amount.Should().Be(100.00m, "the original amount is kept as received");
    }

    [Fact]
    public async Task Ingest_AmountInTheReportingCurrency_UsesRateOne()
    {
        using var services = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([new("BRL", 5.5m)])));
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "12.345", "USD"));

        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.ReportingAmount
            .Should().Be(new ReportingAmount(12.34m, "USD", 1m, Today), "rounded once to the minor units, half to even");
    }

    [Fact]
    public async Task Ingest_NoRateForTheCurrency_StoresTheConversionWithoutAReportingAmountAndWarnsExchangeRateMissing()
    {
        using var services = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([new("USD", 1.1m)])));
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "500", "INR"));

        result.Outcome.Should().Be(PostbackOutcome.Accepted, "a missing rate never refuses a postback");
        result.Warnings.Should().ContainSingle().Which.Code.Should().Be(PostbackWarningCodes.ExchangeRateMissing);
        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.ReportingAmount.Should().BeNull();
        var log = await services.Store.Log.GetAsync(result.LogEntryId!, default);
        log!.Warnings.Should().Equal(PostbackWarningCodes.ExchangeRateMissing);
    }

    [Fact]
    public async Task Ingest_WithoutAReportingCurrency_ConvertsNothingAndWarnsNothing()
    {
        using var services = new TestServices();
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "500", "INR"));

        result.Warnings.Should().BeEmpty();
        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.ReportingAmount.Should().BeNull();
        (await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery()))!.Reporting.Should().BeNull();
    }

    [Fact]
    public async Task Ingest_Registration_HasNoAmountToConvertAndNoWarning()
    {
        using var services = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([new("USD", 1.1m)])));
        var (set, click) = await ArrangeAsync(services);

        var result = await services.Ingestor.IngestAsync(set.Token, new PostbackRequest { EventSegment = "registration", QueryString = $"?clickid={click.Id}" });

        result.Warnings.Should().BeEmpty();
        (await services.Store.Ingest.GetConversionAsync(result.ConversionId!, default))!.ReportingAmount.Should().BeNull();
    }

    [Fact]
    public async Task Replay_DaysLater_ConvertsWithTheRatesOfTheOriginalReceiveDay()
    {
        var rates = new DailyRates();
        rates.Set("BRL", Today, 5m);
        using var services = new TestServices(o => o.ReportingCurrency = "EUR", b => b.Services.AddSingleton<IExchangeRateSource>(rates));
        var (set, click) = await ArrangeAsync(services);
        var original = new PostbackLogEntry
        {
            Id = "01a21ce06e0070000000000000000001",
            ReceivedAt = TestServices.Start,
            SetId = set.Id,
            Request = FirstDeposit(click.Id, "50", "BRL"),
            Outcome = PostbackOutcome.Rejected,
            Code = PostbackRejectionCodes.ClickIdMissing,
        };
        services.Time.Advance(TimeSpan.FromDays(20));

        var replay = await services.Ingestor.ReplayAsync(original);

        replay.Warnings.Should().BeEmpty("the original day has a rate; twenty days later has none");
        (await services.Store.Ingest.GetConversionAsync(replay.ConversionId!, default))!.ReportingAmount.Should().Be(new ReportingAmount(10.00m, "EUR", 0.2m, Today));
    }

    [Fact]
    public async Task RecomputeReportingAmounts_OnceRatesExist_FillsTheMissingOnesOnly_AndTheStatsAddThem()
    {
        var rates = new DailyRates();
        rates.Set("USD", Today, 1.25m);
        using var services = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(rates));
        var (set, click) = await ArrangeAsync(services);
        var usd = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "10.00", "USD"));
        var inr = await services.Ingestor.IngestAsync(set.Token, Deposit(click.Id, "1000", "INR", "t2"));
        inr.Warnings.Select(w => w.Code).Should().Equal(PostbackWarningCodes.ExchangeRateMissing);
        var conversions = services.Get<ConversionService>();
        (await conversions.RecomputeReportingAmountsAsync()).Should().Be(0, "no INR rate yet");

        rates.Set("INR", Today.AddDays(-3), 100m);
        rates.Set("USD", Today.AddDays(-3), 1.2m);
        var recomputed = await conversions.RecomputeReportingAmountsAsync();

        recomputed.Should().Be(1);
        (await conversions.RecomputeReportingAmountsAsync()).Should().Be(0, "nothing is left to fill");
        (await conversions.GetAsync(inr.ConversionId!))!.ReportingAmount.Should().Be(new ReportingAmount(12.00m, "USD", 0.012m, Today.AddDays(-3)));
        (await conversions.GetAsync(usd.ConversionId!))!.ReportingAmount.Should().Be(new ReportingAmount(10.00m, "USD", 1m, Today));
        var stats = await services.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery());
        stats!.Reporting.Should().Be(new ReportingAmounts("USD", 10.00m, 12.00m, 0m));
    }

    [Fact]
    public async Task Stats_ConversionsConvertedIntoAnotherReportingCurrency_AreLeftOutOfTheReportingSums()
    {
        var store = InMemoryPostbackStorage.Create();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestServices.Start);
        var rates = new FixedExchangeRates([new("USD", 1.25m), new("BRL", 5m)]);
        using var before = new TestServices(o => o.ReportingCurrency = "EUR", b => b.Services.AddSingleton<IExchangeRateSource>(rates), store, time);
        using var after = new TestServices(o => o.ReportingCurrency = "USD", b => b.Services.AddSingleton<IExchangeRateSource>(rates), store, time);
        var (set, click) = await ArrangeAsync(before);
        await before.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id, "50", "BRL"));

        await after.Ingestor.IngestAsync(set.Token, Deposit(click.Id, "50", "BRL", "t2"));
        (await after.Get<ConversionService>().RecomputeReportingAmountsAsync()).Should().Be(0, "the EUR conversion has a reporting amount and keeps it");

        (await after.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery()))!.Reporting.Should().Be(new ReportingAmounts("USD", 0m, 12.50m, 0m));
        (await before.Get<PostbackStatsService>().GetAsync(new PostbackStatsQuery()))!.Reporting.Should().Be(new ReportingAmounts("EUR", 10.00m, 0m, 0m));
    }

    private static async Task<(PostbackSet Set, Click Click)> ArrangeAsync(TestServices services)
    {
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });
        return (set, click);
    }

    private static PostbackRequest FirstDeposit(string clickId, string amount, string currency) => new()
    {
        Method = "GET",
        EventSegment = "first-deposit",
        QueryString = $"?clickid={clickId}&amount={amount}&currency={currency}&tid=t1",
    };

    private static PostbackRequest Deposit(string clickId, string amount, string currency, string tid) => new()
    {
        Method = "GET",
        EventSegment = "deposit",
        QueryString = $"?clickid={clickId}&amount={amount}&currency={currency}&tid={tid}",
    };

    /// <summary>Rates by day that a test adds as it goes (a host's own source reloading its file).</summary>
    private sealed class DailyRates : IExchangeRateSource
    {
        private readonly ConcurrentDictionary<(string Currency, DateOnly Day), decimal> _rates = new();

        public void Set(string currency, DateOnly day, decimal unitsPerEuro) => _rates[(currency, day)] = unitsPerEuro;

        public bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro) => _rates.TryGetValue((currency, day), out unitsPerEuro);
    }
}
