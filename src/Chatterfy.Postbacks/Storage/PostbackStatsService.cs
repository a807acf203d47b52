using Chatterfy.Postbacks.Currencies;
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
    private readonly ReportingCurrencyRates? _reporting;

    /// <summary>Initializes a new instance of the <see cref="PostbackStatsService"/> class, without a reporting currency.</summary>
    /// <param name="sets">The store's sets (for a set's campaign scope).</param>
    /// <param name="figures">The store's log and stats figures.</param>
    public PostbackStatsService(PostbackSetStore sets, PostbackLogStore figures)
        : this(sets, figures, null)
    {
    }

    // Created by AddChatterfyPostbacks with the host's reporting currency.
    internal PostbackStatsService(PostbackSetStore sets, PostbackLogStore figures, ReportingCurrencyRates? reporting)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(figures);
        _sets = sets;
        _figures = figures;
        _reporting = reporting;
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
        if (await ScopeAsync(query, cancellationToken).ConfigureAwait(false) is not { } scope)
        {
            return null;
        }

        var totals = await _figures.GetConversionTotalsAsync(scope.Conversions, cancellationToken).ConfigureAwait(false);
        var clicks = await _figures.CountClicksAsync(scope.Clicks, cancellationToken).ConfigureAwait(false);

        // A campaign's rejections are those of the sets scoped to it: a rejected postback has no click to go by.
        var rejected = await _figures.CountLogEntriesAsync(
            new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetId = query.SetId, SetCampaignId = query.CampaignId, From = query.From, To = query.To },
            cancellationToken).ConfigureAwait(false);
        return Compose(totals, clicks, rejected, _reporting?.Currency);
    }

    /// <summary>
    /// Counts what <paramref name="query"/> selects per UTC day: clicks, registrations, first deposits and deposits, each
    /// counted exactly as <see cref="GetAsync"/> counts it, so the days of a range add up to its figures. A range that
    /// starts or ends within a day counts only that part of the day.
    /// </summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// One item per UTC day with at least one click, registration, first deposit, deposit or credited conversion of
    /// another status, oldest first; or
    /// <see langword="null"/> when <see cref="PostbackStatsQuery.SetId"/> names a set that never existed.
    /// </returns>
    public async ValueTask<IReadOnlyList<PostbackDayStats>?> GetDailyAsync(PostbackStatsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (await ScopeAsync(query, cancellationToken).ConfigureAwait(false) is not { } scope)
        {
            return null;
        }

        var conversions = await _figures.GetDailyConversionCountsAsync(scope.Conversions, cancellationToken).ConfigureAwait(false);
        var clicks = await _figures.CountClicksByDayAsync(scope.Clicks, cancellationToken).ConfigureAwait(false);
        var days = new SortedDictionary<DateOnly, Funnel>();
        foreach (var count in conversions)
        {
            var funnel = days.GetValueOrDefault(count.Day);
            funnel.Add(count.Kind, count.Attribution, count.DepositBucket, count.Status, count.Count);
            days[count.Day] = funnel;
        }

        foreach (var count in clicks)
        {
            var funnel = days.GetValueOrDefault(count.Day);
            funnel.Clicks += count.Count;
            days[count.Day] = funnel;
        }

        var items = new List<PostbackDayStats>(days.Count);
        foreach (var (day, funnel) in days)
        {
            var others = funnel.Statuses;
            if (funnel.Clicks + funnel.Registrations + funnel.FirstDeposits + funnel.Deposits + others.Pending + others.Rejected + others.Chargeback > 0)
            {
                items.Add(new PostbackDayStats
                {
                    Day = day,
                    Clicks = funnel.Clicks,
                    Registrations = funnel.Registrations,
                    FirstDeposits = funnel.FirstDeposits,
                    Deposits = funnel.Deposits,
                    RepeatDeposits = funnel.RepeatDeposits,
                    Statuses = others,
                });
            }
        }

        return items.AsReadOnly();
    }

    /// <summary>
    /// What the figures of <paramref name="query"/> count: its conversions, and its clicks, which belong to campaigns, not
    /// sets: a set's clicks are those of its campaign scope, when it has one.
    /// </summary>
    /// <returns>The filters, or <see langword="null"/> when the query names a set that never existed.</returns>
    private async ValueTask<(ConversionTotalsQuery Conversions, ClickCountQuery Clicks)?> ScopeAsync(PostbackStatsQuery query, CancellationToken cancellationToken)
    {
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

        return (
            new ConversionTotalsQuery { SetId = query.SetId, CampaignId = query.CampaignId, From = query.From, To = query.To },
            new ClickCountQuery { CampaignId = clickCampaignId, From = query.From, To = query.To });
    }

    /// <summary>
    /// The formulas: registrations, first deposits and (repeat) deposits count credited, approved conversions of their
    /// kind; repeat deposits by number count credited, approved conversions by their deposit-number bucket; statuses count
    /// credited conversions of the other statuses, whatever their kind; unattributed counts every uncredited conversion,
    /// whatever its kind and status (all in <see cref="Funnel.Add"/>); amounts sum credited, approved first deposits and
    /// deposits per currency, never across currencies, ordered by currency, and their chargebacks the credited first
    /// deposits and deposits charged back; the reporting sums add the stored reporting amounts of the same conversions
    /// converted into the current reporting currency (those converted into another, before the option changed, are left out).
    /// Pending and rejected conversions' amounts are in no sum.
    /// </summary>
    private static PostbackStats Compose(IReadOnlyList<ConversionTotal> totals, long clicks, long rejected, string? reportingCurrency)
    {
        var funnel = new Funnel { Clicks = clicks };
        var amounts = new SortedDictionary<string, Sums>(StringComparer.Ordinal);
        var reporting = default(Sums);
        foreach (var total in totals)
        {
            funnel.Add(total.Kind, total.Attribution, total.DepositBucket, total.Status, total.Count);
            if (total.Attribution == ConversionAttribution.Credited && total.Kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit)
            {
                if (total.Currency is { } currency)
                {
                    amounts[currency] = amounts.GetValueOrDefault(currency).Add(total, total.Amount);
                }

                if (reportingCurrency is not null && string.Equals(total.ReportingCurrency, reportingCurrency, StringComparison.Ordinal))
                {
                    reporting = reporting.Add(total, total.ReportingAmount);
                }
            }
        }

        var sums = new List<CurrencyAmounts>(amounts.Count);
        foreach (var (currency, sum) in amounts)
        {
            sums.Add(new CurrencyAmounts(currency, sum.FirstDeposits, sum.Deposits) { Chargebacks = sum.Chargebacks });
        }

        return new PostbackStats
        {
            Clicks = funnel.Clicks,
            Registrations = funnel.Registrations,
            FirstDeposits = funnel.FirstDeposits,
            Deposits = funnel.Deposits,
            Unattributed = funnel.Unattributed,
            Rejected = rejected,
            Amounts = sums.AsReadOnly(),
            RepeatDeposits = funnel.RepeatDeposits,
            Reporting = reportingCurrency is null ? null : new ReportingAmounts(reportingCurrency, reporting.FirstDeposits, reporting.Deposits, reporting.Chargebacks),
            Statuses = funnel.Statuses,
        };
    }

    /// <summary>The sums of one currency: approved first deposits, approved deposits, and charged-back deposits of either kind.</summary>
    private readonly record struct Sums(decimal FirstDeposits, decimal Deposits, decimal Chargebacks)
    {
        /// <summary>Adds <paramref name="amount"/> of a group of credited deposits where its status and kind say.</summary>
        public Sums Add(ConversionTotal total, decimal amount) => total.Status switch
        {
            ConversionStatus.Approved when total.Kind == PostbackEventKind.FirstDeposit => this with { FirstDeposits = FirstDeposits + amount },
            ConversionStatus.Approved => this with { Deposits = Deposits + amount },
            ConversionStatus.Chargeback => this with { Chargebacks = Chargebacks + amount },
            _ => this,
        };
    }

    /// <summary>The counts of the funnel; the one place that says which conversions each counts.</summary>
    private struct Funnel
    {
        public long Clicks;
        public long Registrations;
        public long FirstDeposits;
        public long Deposits;
        public long Unattributed;
        private RepeatDepositCounts? _repeatDeposits;
        private StatusCounts? _statuses;

        /// <summary>Gets the credited, approved deposits counted by deposit-number bucket.</summary>
        public readonly RepeatDepositCounts RepeatDeposits => _repeatDeposits ?? RepeatDepositCounts.None;

        /// <summary>Gets the credited conversions that are not approved, by status.</summary>
        public readonly StatusCounts Statuses => _statuses ?? StatusCounts.None;

        /// <summary>
        /// Counts <paramref name="count"/> stored conversions of a kind, attribution, deposit-number bucket
        /// (<see cref="DepositNumbering.StatsBucket"/>) and status where they belong.
        /// </summary>
        public void Add(PostbackEventKind kind, ConversionAttribution attribution, int? depositBucket, ConversionStatus status, long count)
        {
            if (attribution == ConversionAttribution.Unattributed)
            {
                Unattributed += count;
                return;
            }

            if (status != ConversionStatus.Approved)
            {
                _statuses = Statuses.Add(status, count);
                return;
            }

            _repeatDeposits = RepeatDeposits.Add(depositBucket, count);

            switch (kind)
            {
                case PostbackEventKind.Registration:
                    Registrations += count;
                    break;
                case PostbackEventKind.FirstDeposit:
                    FirstDeposits += count;
                    break;
                case PostbackEventKind.Deposit:
                    Deposits += count;
                    break;
                default:
                    break;
            }
        }
    }
}
