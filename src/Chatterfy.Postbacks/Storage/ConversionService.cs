using Chatterfy.Postbacks.Currencies;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Reads stored conversions and fills the reporting amounts that were missing when they were received (no rate then).
/// Get it from the service provider after <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class ConversionService
{
    /// <summary>How many conversions the recompute reads and writes at a time: 500.</summary>
    public const int RecomputeBatchSize = 500;

    private readonly IngestStore _store;
    private readonly ReportingCurrencyRates _reporting;

    // Created by AddChatterfyPostbacks: it shares the reporting currency and rate source of ingestion.
    internal ConversionService(IngestStore store, ReportingCurrencyRates reporting)
    {
        _store = store;
        _reporting = reporting;
    }

    /// <summary>Gets a conversion by id.</summary>
    /// <param name="conversionId">The conversion's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    public ValueTask<ConversionRecord?> GetAsync(string conversionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversionId);
        return _store.GetConversionAsync(conversionId, cancellationToken);
    }

    /// <summary>Lists conversions, newest first (see <see cref="IngestStore.ListConversionsAsync"/>).</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions, at most <see cref="ConversionListQuery.Limit"/>.</returns>
    public ValueTask<IReadOnlyList<ConversionRecord>> ListAsync(ConversionListQuery query, CancellationToken cancellationToken = default) =>
        _store.ListConversionsAsync(query, cancellationToken);

    /// <summary>
    /// Converts, into the current reporting currency, every stored conversion that has an amount but no reporting amount
    /// and for which a rate now exists (the rate of its receive day, or up to
    /// <see cref="ReportingCurrencyConverter.LookbackDays"/> days earlier), in batches of <see cref="RecomputeBatchSize"/>.
    /// A conversion that already has a reporting amount is never changed, whatever its currency.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation between batches.</param>
    /// <returns>How many conversions got a reporting amount; 0 without a reporting currency.</returns>
    public async ValueTask<int> RecomputeReportingAmountsAsync(CancellationToken cancellationToken = default)
    {
        if (_reporting.Currency is null)
        {
            return 0;
        }

        var recomputed = 0;
        string? afterId = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _store.ListConversionsWithoutReportingAmountAsync(afterId, RecomputeBatchSize, cancellationToken).ConfigureAwait(false);
            var updates = new List<ReportingAmountUpdate>(page.Count);
            foreach (var record in page)
            {
                if (record.Conversion is { Amount: { } amount, Currency: { } currency }
                    && _reporting.TryConvert(amount, currency, record.Conversion.ReceivedAt, out var converted))
                {
                    updates.Add(new ReportingAmountUpdate(record.Id, converted));
                }
            }

            if (updates.Count > 0)
            {
                recomputed += await _store.SetReportingAmountsAsync(updates, cancellationToken).ConfigureAwait(false);
            }

            if (page.Count < RecomputeBatchSize)
            {
                return recomputed;
            }

            afterId = page[^1].Id;
        }
    }
}
