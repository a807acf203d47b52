using BenchmarkDotNet.Attributes;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Benchmarks;

/// <summary>
/// Parses and validates postbacks with <see cref="PostbackParser.Parse"/> for a 1Win set created once, the way the
/// ingestion pipeline does per request: a typical first deposit of ten parameters, and a one-parameter registration
/// that shows the fixed cost of a parse.
/// </summary>
[MemoryDiagnoser]
public class PostbackParsingBenchmarks
{
    private const string FirstDepositQuery =
        "?clickid=67wgwWkaR0Ab&fields.user_id=5551234&fields.country=BR&amount=25.50&tid=tx-8812345&currency=USD"
        + "&fields.sub2=fb&fields.sub3=ad17&fields.geo=sp&fields.lang=pt";

    private const string RegistrationQuery = "?clickid=67wgwWkaR0Ab";

    // The ingestor passes its own receive time; a fixed one keeps the clock out of the measurement.
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private PostbackParser _parser = null!;
    private PostbackSet _set = null!;
    private PostbackRequest _firstDeposit = null!;
    private PostbackRequest _registration = null!;

    /// <summary>Creates the 1Win set through the SDK's services and checks that both postbacks parse as expected.</summary>
    /// <exception cref="InvalidOperationException">A postback does not parse to the expected conversion.</exception>
    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com").UseInMemoryStore();

        // The parser and the set outlive the provider: the parser is a pure singleton that holds no scoped services.
        using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }))
        {
            var sets = provider.GetRequiredService<PostbackSetService>();
            _set = sets.CreateAsync(new NewPostbackSet { Name = "1Win main", NetworkId = NetworkIds.OneWin }).AsTask().GetAwaiter().GetResult();
            _parser = provider.GetRequiredService<PostbackParser>();
        }

        _firstDeposit = new PostbackRequest
        {
            Method = "GET",
            Path = $"/api/postbacks/{_set.Token}/first-deposit",
            EventSegment = "first-deposit",
            QueryString = FirstDepositQuery,
        };
        _registration = new PostbackRequest
        {
            Method = "GET",
            Path = $"/api/postbacks/{_set.Token}/registration",
            EventSegment = "registration",
            QueryString = RegistrationQuery,
        };

        var deposit = ParseFirstDeposit();
        if (!deposit.IsValid
            || deposit.Warnings.Count != 0
            || deposit.Conversion.Event != PostbackEvent.FirstDeposit
            || deposit.Conversion.ClickId != "67wgwWkaR0Ab"
            || deposit.Conversion.Amount != 25.50m
            || deposit.Conversion.Currency != "USD"
            || deposit.Conversion.TransactionId != "tx-8812345"
            || deposit.Conversion.Attributes.Count != 6
            || deposit.Conversion.Attributes["geo"] != "sp")
        {
            throw new InvalidOperationException($"The first-deposit postback did not parse as expected: {Describe(deposit)}.");
        }

        var registration = ParseRegistration();
        if (!registration.IsValid || registration.Warnings.Count != 0 || registration.Conversion.Event != PostbackEvent.Registration)
        {
            throw new InvalidOperationException($"The registration postback did not parse as expected: {Describe(registration)}.");
        }

        static string Describe(PostbackParseResult result) => result.IsValid
            ? $"{result.Conversion}; warnings: {string.Join("; ", result.Warnings.Select(w => w.Message))}"
            : $"rejected {result.Rejection.Code}: {result.Rejection.Message}";
    }

    /// <summary>A typical 1Win first deposit: click id, amount, currency, transaction id and six <c>fields.*</c>.</summary>
    /// <returns>The parse result.</returns>
    [Benchmark]
    public PostbackParseResult ParseFirstDeposit() => _parser.Parse(_set, _firstDeposit, ReceivedAt);

    /// <summary>The smallest valid postback, a registration with only a click id: the fixed cost of a parse.</summary>
    /// <returns>The parse result.</returns>
    [Benchmark]
    public PostbackParseResult ParseRegistration() => _parser.Parse(_set, _registration, ReceivedAt);
}
