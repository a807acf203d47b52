using System.Globalization;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Dashboard.Pages.Conversions;

/// <summary>
/// How every page shows stored conversions, in one place: the table's columns (<see cref="Columns"/>, one entry per
/// column, so a new field such as a status is one more entry) and a conversion's facts (<see cref="Facts"/>).
/// </summary>
internal static class ConversionView
{
    // The table's columns, in order: header and cell. The conversions list and a chat user's page share them.
    private static readonly Column[] Columns =
    [
        new("Time", "", (_, _, r) => Display.Time(r.Conversion.ReceivedAt)),
        new("Set", "", (_, sets, r) => SetName(sets, r.Conversion.SetId)),
        new("Event", "", (_, _, r) => Markup.Of($"{r.Conversion.Event.Name}")),
        new("Status", "", (_, _, r) => Status(r)),
        new("Click id", "", (page, _, r) => ClickLink(page, r.Conversion.ClickId)),
        new("Amount", "number", (_, _, r) => Amount(r)),
        new("Deposit", "number", (_, _, r) => DepositNumber(r.DepositNumber)),
        new("Reporting amount", "number", (_, _, r) => r.ReportingAmount is { } reporting ? Money(reporting.Amount, reporting.Currency) : Markup.Empty),
        new("Conversion", "", (page, _, r) => Markup.Of($"""<a href="{page.Url("conversions/" + Uri.EscapeDataString(r.Id))}"><code>{r.Id}</code></a>""")),
    ];

    /// <summary>Writes conversions as a table (or says there are none).</summary>
    /// <param name="page">The request.</param>
    /// <param name="id">The table's element id.</param>
    /// <param name="label">The table's accessible name.</param>
    /// <param name="records">The conversions, in the order to show.</param>
    /// <param name="sets">The sets by id, for their names.</param>
    /// <param name="empty">What to say when there are none.</param>
    /// <returns>The table.</returns>
    public static Markup Table(DashboardPage page, string id, string label, IReadOnlyList<ConversionRecord> records, IReadOnlyDictionary<string, PostbackSet> sets, string empty)
    {
        if (records.Count == 0)
        {
            return Markup.Of($"""<p id="{id}-empty">{empty}</p>""");
        }

        var headers = Columns.Select(c => c.Class.Length == 0
            ? Markup.Of($"""<th scope="col">{c.Header}</th>""")
            : Markup.Of($"""<th scope="col" class="{c.Class}">{c.Header}</th>"""));
        var rows = records.Select(r => Markup.Of($"""
            <tr id="conversion-{r.Id}">{Columns.Select(c => c.Class.Length == 0 ? Markup.Of($"<td>{c.Cell(page, sets, r)}</td>") : Markup.Of($"""<td class="{c.Class}">{c.Cell(page, sets, r)}</td>"""))}</tr>
            """));
        return Display.ScrollingTable(label, Markup.Of($"""
            <table id="{id}">
            <thead><tr>{headers}</tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """));
    }

    /// <summary>Writes every stored field of a conversion as a list of facts.</summary>
    /// <param name="page">The request.</param>
    /// <param name="record">The conversion.</param>
    /// <param name="sets">The sets by id, for the set's name.</param>
    /// <param name="click">The conversion's click as stored now, or <see langword="null"/> when none has its id.</param>
    /// <returns>The facts.</returns>
    public static Markup Facts(DashboardPage page, ConversionRecord record, IReadOnlyDictionary<string, PostbackSet> sets, Click? click)
    {
        var conversion = record.Conversion;
        var subject = click?.SubjectId is { } subjectId
            ? Markup.Of($"""<a id="conversion-subject" href="{page.Url("subjects/" + Uri.EscapeDataString(subjectId))}"><code>{subjectId}</code></a>""")
            : Markup.Of($"none");
        var attributes = conversion.Attributes.Count == 0
            ? Markup.Of($"none")
            : Markup.Of($"""<ul class="plain">{conversion.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => Markup.Of($"<li><code>{a.Key}</code> = <code>{a.Value}</code></li>"))}</ul>""");
        var reporting = record.ReportingAmount is { } r
            ? Markup.Of($"""<span id="conversion-reporting">{Money(r.Amount, r.Currency)}</span> at rate <span id="conversion-rate">{r.Rate.ToString(CultureInfo.InvariantCulture)}</span> of <time id="conversion-rate-date" datetime="{r.RateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}">{r.RateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</time>""")
            : Markup.Of($"""<span id="conversion-reporting">none</span> (no amount, no reporting currency, or no rate for its day yet)""");
        return Markup.Of($"""
            <dl class="facts" id="conversion-facts">
            <dt>Conversion id</dt><dd><code>{record.Id}</code></dd>
            <dt>Received</dt><dd>{Display.Time(conversion.ReceivedAt)}</dd>
            <dt>Set</dt><dd>{SetName(sets, conversion.SetId)}</dd>
            <dt>Event</dt><dd id="conversion-event">{conversion.Event.Name}</dd>
            <dt>Status</dt><dd id="conversion-status">{Status(record)}{Markup.If(record.StatusWord is not null && !record.StatusWordUnknown, Markup.Of($" (the network's word <code>{record.StatusWord}</code>)"))}</dd>
            <dt>Click id</dt><dd>{ClickLink(page, conversion.ClickId)}{Markup.If(click is null, Markup.Of($" (no click has this id)"))}</dd>
            <dt>Chat user</dt><dd>{subject}</dd>
            <dt>Attribution</dt><dd>{Display.Badge(StoredWords.Of(record.Attribution))}{Markup.If(record.AttributionWindowPassed, Markup.Of($" (after the attribution window)"))}</dd>
            <dt>Campaign</dt><dd>{(record.CampaignId is { } campaign ? Markup.Of($"<code>{campaign}</code>") : Markup.Of($"none"))}</dd>
            <dt>Amount</dt><dd id="conversion-amount">{(conversion.Amount is null ? Markup.Of($"none") : Amount(record))}</dd>
            <dt>Deposit number</dt><dd id="conversion-deposit-number">{(record.DepositNumber is null ? Markup.Of($"none") : DepositNumber(record.DepositNumber))}</dd>
            <dt>Reporting amount</dt><dd>{reporting}</dd>
            <dt>Transaction id</dt><dd>{(conversion.TransactionId is { } tx ? Markup.Of($"<code>{tx}</code>") : Markup.Of($"none"))}</dd>
            <dt>Extra fields</dt><dd>{attributes}</dd>
            <dt>Remote address</dt><dd>{conversion.RemoteAddress?.ToString() ?? "unknown"}</dd>
            <dt>Idempotency key</dt><dd><code>{conversion.IdempotencyKey.ToString()}</code></dd>
            </dl>
            """);
    }

    /// <summary>
    /// Writes a conversion's status as a badge; a word the set's map did not know when it came follows it, as received
    /// (e.g. <c>pending (Won)</c>).
    /// </summary>
    /// <param name="record">The conversion.</param>
    /// <returns>The fragment.</returns>
    public static Markup Status(ConversionRecord record) => record.StatusWordUnknown && record.StatusWord is { } word
        ? Markup.Of($"""{Display.Badge(ConversionStatusNames.Name(record.Status))} (<span class="status-word">{word}</span>)""")
        : Display.Badge(ConversionStatusNames.Name(record.Status));

    /// <summary>Writes a deposit number as <c>#2</c>, or nothing.</summary>
    /// <param name="number">The number.</param>
    /// <returns>The fragment.</returns>
    public static Markup DepositNumber(int? number) =>
        number is { } n ? Markup.Of($"""<span class="deposit-number">#{n}</span>""") : Markup.Empty;

    private static Markup Amount(ConversionRecord record) =>
        record.Conversion.Amount is { } amount ? Money(amount, record.Conversion.Currency) : Markup.Empty;

    // Exact, as stored: the invariant culture, every decimal the network sent.
    private static Markup Money(decimal amount, string? currency) => Markup.Of($"{amount} {currency}");

    private static Markup SetName(IReadOnlyDictionary<string, PostbackSet> sets, string setId) => sets.TryGetValue(setId, out var set)
        ? Markup.Of($"{set.Name}")
        : Markup.Of($"""<code>{setId}</code> (deleted)""");

    /// <summary>Writes a click id as a link to its conversions.</summary>
    /// <param name="page">The request.</param>
    /// <param name="clickId">The click id.</param>
    /// <returns>The link.</returns>
    public static Markup ClickLink(DashboardPage page, string clickId) =>
        Markup.Of($"""<a href="{page.Url("conversions?clickId=" + Uri.EscapeDataString(clickId))}"><code>{clickId}</code></a>""");

    private sealed record Column(string Header, string Class, Func<DashboardPage, IReadOnlyDictionary<string, PostbackSet>, ConversionRecord, Markup> Cell);
}
