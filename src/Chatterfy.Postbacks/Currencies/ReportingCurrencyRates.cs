using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// The reporting currency of the running host: <see cref="ChatterfyPostbacksOptions.ReportingCurrency"/> and the one
/// <see cref="IExchangeRateSource"/> it converts with (the host's registered source, else the one
/// <see cref="ChatterfyPostbacksOptions.ExchangeRates"/> configures), resolved once. Ingestion and the recompute converts
/// through it; the stats ask it for the current currency.
/// </summary>
internal sealed class ReportingCurrencyRates
{
    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;
    private readonly IExchangeRateSource[] _registered;
    private readonly Lock _gate = new();
    private Resolved? _resolved;
    private ReportingCurrencyConverter? _converter;

    public ReportingCurrencyRates(IOptionsMonitor<ChatterfyPostbacksOptions> options, IEnumerable<IExchangeRateSource> registered)
    {
        _options = options;
        _registered = [.. registered];
    }

    /// <summary>Gets the current reporting currency, or <see langword="null"/> when there is none.</summary>
    public string? Currency => _options.CurrentValue.ReportingCurrency;

    /// <summary>
    /// Checks the reporting currency and its source as <paramref name="options"/> set them, loading the source (the
    /// validator calls it at startup, so a bad ECB file fails then); the messages name the configuration path.
    /// </summary>
    public IEnumerable<string> Validate(ChatterfyPostbacksOptions options)
    {
        var currency = options.ReportingCurrency;
        if (currency is not null && (!CurrencyCode.IsValid(currency) || !CurrencyMinorUnits.TryGet(currency, out _)))
        {
            yield return $"{ChatterfyPostbacksOptions.Section}ReportingCurrency must be an upper-case ISO 4217 code whose minor units the library knows (e.g. USD, EUR, BRL, INR), not '{currency}'.";
        }

        var resolved = Resolve(options.ExchangeRates);
        if (resolved.Problem is { } problem)
        {
            yield return problem;
        }
        else if (currency is not null && resolved.Source is null)
        {
            yield return $"{ChatterfyPostbacksOptions.Section}ReportingCurrency is {currency} but no exchange-rate source is configured: set {ChatterfyPostbacksOptions.Section}ExchangeRates:Fixed or {ChatterfyPostbacksOptions.Section}ExchangeRates:EcbFile, or register an IExchangeRateSource.";
        }
    }

    /// <summary>Converts an amount received at <paramref name="receivedAt"/> into the current reporting currency.</summary>
    /// <returns><see langword="false"/> without a reporting currency or source, or when the rates are missing.</returns>
    public bool TryConvert(decimal amount, string currency, DateTimeOffset receivedAt, [NotNullWhen(true)] out ReportingAmount? converted)
    {
        converted = null;
        return Converter() is { } converter && converter.TryConvert(amount, currency, receivedAt, out converted);
    }

    private ReportingCurrencyConverter? Converter()
    {
        var options = _options.CurrentValue;
        if (options.ReportingCurrency is not { } currency)
        {
            return null;
        }

        var converter = Volatile.Read(ref _converter);
        if (converter is not null && converter.ReportingCurrency == currency)
        {
            return converter;
        }

        lock (_gate)
        {
            _resolved ??= Resolve(options.ExchangeRates);
            if (_resolved.Source is not { } source || !CurrencyCode.IsValid(currency) || !CurrencyMinorUnits.TryGet(currency, out _))
            {
                return null;
            }

            converter = new ReportingCurrencyConverter(source, currency);
            Volatile.Write(ref _converter, converter);
            return converter;
        }
    }

    private Resolved Resolve(ExchangeRateOptions rates)
    {
        lock (_gate)
        {
            return _resolved ??= Build(rates);
        }
    }

    private Resolved Build(ExchangeRateOptions rates)
    {
        const string Path = ChatterfyPostbacksOptions.Section + "ExchangeRates:";
        var configured = (rates.Fixed.Count > 0 ? 1 : 0) + (rates.EcbFile is not null ? 1 : 0) + _registered.Length;
        if (configured > 1)
        {
            return new Resolved(null, $"More than one exchange-rate source is configured ({Path}Fixed, {Path}EcbFile, registered IExchangeRateSource services: {_registered.Length}); configure one.");
        }

        if (_registered.Length == 1)
        {
            return new Resolved(_registered[0], null);
        }

        try
        {
            if (rates.EcbFile is { } path)
            {
                return new Resolved(EcbExchangeRateFile.Load(path), null);
            }

            return rates.Fixed.Count > 0 ? new Resolved(new FixedExchangeRates(rates.Fixed), null) : new Resolved(null, null);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            var option = rates.EcbFile is not null ? "EcbFile" : "Fixed";
            return new Resolved(null, $"{Path}{option}: {ex.Message}");
        }
    }

    private sealed record Resolved(IExchangeRateSource? Source, string? Problem);
}
