using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Tests.Currencies;

/// <summary>The reporting currency's options: how a host supplies the rates, and the start-up checks.</summary>
public sealed class ReportingCurrencyOptionsTests
{
    [Fact]
    public void StartupValidation_ReportingCurrencyWithoutARateSource_FailsNamingTheWaysToConfigureOne()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o => o.ReportingCurrency = "USD").UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(
            "Postbacks:ReportingCurrency is USD but no exchange-rate source is configured: set Postbacks:ExchangeRates:Fixed or Postbacks:ExchangeRates:EcbFile, or register an IExchangeRateSource.");
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("XYZ")]
    public void StartupValidation_ReportingCurrencyNotAKnownUpperCaseCode_FailsNamingIt(string currency)
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o =>
        {
            o.ReportingCurrency = currency;
            o.ExchangeRates.Fixed["USD"] = 1.08m;
        }).UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage($"Postbacks:ReportingCurrency must be an upper-case ISO 4217 code*not '{currency}'.");
    }

    [Fact]
    public void StartupValidation_AnEcbFileThatIsMissing_FailsNamingTheOptionAndThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid().ToString("N"), "eurofxref-hist.xml");
        using var provider = Build(s => s.AddChatterfyPostbacks(o =>
        {
            o.ReportingCurrency = "USD";
            o.ExchangeRates.EcbFile = path;
        }).UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage($"Postbacks:ExchangeRates:EcbFile: *{Path.GetFileName(Path.GetDirectoryName(path))}*");
    }

    [Fact]
    public void StartupValidation_TwoRateSources_FailsAskingForOne()
    {
        using var provider = Build(s =>
        {
            s.AddChatterfyPostbacks(o => o.ExchangeRates.Fixed["USD"] = 1.08m).UseInMemoryStore();
            s.AddSingleton<IExchangeRateSource>(new FixedExchangeRates([]));
        });

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("More than one exchange-rate source is configured*");
    }

    [Fact]
    public void StartupValidation_AnInvalidFixedRate_FailsNamingTheOption()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks(o => o.ExchangeRates.Fixed["usd"] = 1.08m).UseInMemoryStore());

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().WithMessage("Postbacks:ExchangeRates:Fixed: *'usd'*");
    }

    [Fact]
    public void StartupValidation_NoReportingCurrency_IsTheDefaultAndNeedsNoRates()
    {
        using var provider = Build(s => s.AddChatterfyPostbacks().UseInMemoryStore());

        provider.GetRequiredService<IStartupValidator>().Validate();

        provider.GetRequiredService<IOptions<ChatterfyPostbacksOptions>>().Value.ReportingCurrency.Should().BeNull();
    }

    [Fact]
    public async Task Configuration_FixedRatesAndReportingCurrency_ConvertAtIngest()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:ReportingCurrency"] = "USD",
            ["Postbacks:ExchangeRates:Fixed:USD"] = "1.08",
            ["Postbacks:ExchangeRates:Fixed:BRL"] = "5.40",
        }).Build();
        using var provider = Build(s => s.AddChatterfyPostbacks(configuration.GetSection("Postbacks")).UseInMemoryStore());
        provider.GetRequiredService<IStartupValidator>().Validate();
        var set = await provider.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });

        var result = await provider.GetRequiredService<PostbackIngestor>().IngestAsync(set.Token, new PostbackRequest { EventSegment = "first-deposit", QueryString = "?clickid=unknownclick1&amount=54&currency=BRL" });

        (await provider.GetRequiredService<IngestStore>().GetConversionAsync(result.ConversionId!, default))!.ReportingAmount!.Amount.Should().Be(10.80m);
    }

    [Fact]
    public async Task EcbFileOption_LoadsTheFileAtStart_AndConvertsWithItsRates()
    {
        using var provider = Build(s =>
        {
            s.AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(EcbFixture.Sunday.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero)));
            s.AddChatterfyPostbacks(o =>
            {
                o.ReportingCurrency = "USD";
                o.ExchangeRates.EcbFile = EcbFixture.PathOf("eurofxref-hist.xml");
            }).UseInMemoryStore();
        });
        provider.GetRequiredService<IStartupValidator>().Validate();
        var set = await provider.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });

        var result = await provider.GetRequiredService<PostbackIngestor>().IngestAsync(set.Token, new PostbackRequest { EventSegment = "first-deposit", QueryString = "?clickid=unknownclick1&amount=100&currency=EUR" });

        var expected = EcbFixture.Load("eurofxref-hist.xml").TryGetRate("USD", EcbFixture.Friday, out var usd) ? usd * 100 : 0m;
        (await provider.GetRequiredService<IngestStore>().GetConversionAsync(result.ConversionId!, default))!.ReportingAmount
            .Should().Be(new ReportingAmount(decimal.Round(expected, 2, MidpointRounding.ToEven), "USD", usd, EcbFixture.Friday), "Sunday has no rates: Friday's are used");
    }

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider();
    }
}
