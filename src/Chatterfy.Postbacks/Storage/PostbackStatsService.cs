using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The tracker's stats: counts clicks and conversions and sums deposits per currency (see <see cref="PostbackStatsQuery"/>
/// for what each figure counts), and decides what a set filter may name. The one home of the stats formulas: the store
/// counts and sums groups (<see cref="PostbackLogStore.GetConversionTotalsAsync"/>), this service says what they mean.
/// </summary>
public sealed class PostbackStatsService
{
    private readonly PostbackSetStore _sets;
    private readonly PostbackLogStore _figures;

    /// <summary>Initializes a new instance of the <see cref="PostbackStatsService"/> class.</summary>
    /// <param name="sets">The store's sets (for a set's campaign scope).</param>
    /// <param name="figures">The store's log and stats figures.</param>
    public PostbackStatsService(PostbackSetStore sets, PostbackLogStore figures)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(figures);
        _sets = sets;
        _figures = figures;
    }

    /// <summary>Counts what <paramref name="query"/> selects.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The figures, or <see langword="null"/> when <see cref="PostbackStatsQuery.SetId"/> names a set that never existed.
    /// A deleted set's figures are returned: its conversions and log entries are kept.
    /// </returns>
    public async ValueTask<PostbackStats?> GetAsync(PostbackStatsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Clicks belong to campaigns, not sets: a set's clicks are those of its campaign scope, when it has one.
        var clickCampaignId = query.CampaignId;
        if (query.SetId is { } setId)
        {
            // Without this, an unknown set id would count nothing but every click: a figure for a set that is not there.
            var set = await _sets.GetIncludingDeletedAsync(setId, cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                return null;
            }

            clickCampaignId ??= set.CampaignId;
        }

        var totals = await _figures.GetConversionTotalsAsync(
            new ConversionTotalsQuery { SetId = query.SetId, CampaignId = query.CampaignId, From = query.From, To = query.To },
            cancellationToken).ConfigureAwait(false);
        var clicks = await _figures.CountClicksAsync(
            new ClickCountQuery { CampaignId = clickCampaignId, From = query.From, To = query.To },
            cancellationToken).ConfigureAwait(false);

        // A campaign's rejections are those of the sets scoped to it: a rejected postback has no click to go by.
        var rejected = await _figures.CountLogEntriesAsync(
            new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetId = query.SetId, SetCampaignId = query.CampaignId, From = query.From, To = query.To },
            cancellationToken).ConfigureAwait(false);
        return Compose(totals, clicks, rejected);
    }

    /// <summary>
    /// The formulas: registrations, first deposits and (repeat) deposits count credited conversions of their kind;
    /// unattributed counts every uncredited conversion, whatever its kind; amounts sum credited first deposits and deposits
    /// per currency, never across currencies, ordered by currency.
    /// </summary>
    private static PostbackStats Compose(IReadOnlyList<ConversionTotal> totals, long clicks, long rejected)
    {
        long registrations = 0, firstDeposits = 0, deposits = 0, unattributed = 0;
        var amounts = new SortedDictionary<string, (decimal FirstDeposits, decimal Deposits)>(StringComparer.Ordinal);
        foreach (var total in totals)
        {
            if (total.Attribution == ConversionAttribution.Unattributed)
            {
                unattributed += total.Count;
                continue;
            }

            switch (total.Kind)
            {
                case PostbackEventKind.Registration:
                    registrations += total.Count;
                    break;
                case PostbackEventKind.FirstDeposit:
                    firstDeposits += total.Count;
                    AddAmount(amounts, total, firstDeposit: true);
                    break;
                case PostbackEventKind.Deposit:
                    deposits += total.Count;
                    AddAmount(amounts, total, firstDeposit: false);
                    break;
                default:
                    break;
            }
        }

        var sums = new List<CurrencyAmounts>(amounts.Count);
        foreach (var (currency, sum) in amounts)
        {
            sums.Add(new CurrencyAmounts(currency, sum.FirstDeposits, sum.Deposits));
        }

        return new PostbackStats
        {
            Clicks = clicks,
            Registrations = registrations,
            FirstDeposits = firstDeposits,
            Deposits = deposits,
            Unattributed = unattributed,
            Rejected = rejected,
            Amounts = sums.AsReadOnly(),
        };
    }

    private static void AddAmount(SortedDictionary<string, (decimal FirstDeposits, decimal Deposits)> amounts, ConversionTotal total, bool firstDeposit)
    {
        if (total.Currency is not { } currency)
        {
            return;
        }

        var sum = amounts.GetValueOrDefault(currency);
        amounts[currency] = firstDeposit ? (sum.FirstDeposits + total.Amount, sum.Deposits) : (sum.FirstDeposits, sum.Deposits + total.Amount);
    }
}
