using System.Globalization;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Conversions;

/// <summary>
/// The Conversions section: the stored conversions newest first with their filters (set, status, click id, chat user),
/// and a conversion's page (every stored field, its status history, its log entries, its reporting amount with the rate
/// and the rate's day).
/// </summary>
internal static class ConversionPages
{
    /// <summary>The conversions per page, as the log's.</summary>
    public const int PageSize = ConversionListQuery.DefaultLimit;

    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/conversions", ListAsync);
        group.MapGet("/conversions/{id}", ShowAsync);
    }

    /// <summary>Returns the sets by id, for their names.</summary>
    /// <param name="sets">The sets' service.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sets.</returns>
    internal static async Task<Dictionary<string, PostbackSet>> SetsAsync(PostbackSetService sets, CancellationToken cancellationToken) =>
        (await sets.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Id, StringComparer.Ordinal);

    private static async Task<IResult> ListAsync(
        HttpContext context,
        string? setId,
        string? status,
        string? clickId,
        string? subjectId,
        string? before,
        PostbackSetService sets,
        ConversionService conversions,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var filter = new Filter(FormText.Blank(setId), ConversionStatusNames.TryParse(FormText.Blank(status), out var wanted) ? wanted : null, FormText.Blank(clickId), FormText.Blank(subjectId));
        var allSets = await SetsAsync(sets, cancellationToken).ConfigureAwait(false);
        var subjectError = filter.SubjectId is { } subject && !SubjectIds.IsValid(subject) ? SubjectIds.Rule : null;
        IReadOnlyList<ConversionRecord> records = [];
        if (subjectError is null)
        {
            records = await conversions.ListAsync(
                new ConversionListQuery { SetId = filter.SetId, Status = filter.Status, ClickId = filter.ClickId, SubjectId = filter.SubjectId, Limit = PageSize, BeforeId = FormText.Blank(before) },
                cancellationToken).ConfigureAwait(false);
        }

        var older = Markup.If(records.Count == PageSize, Markup.Of($"""
            <p class="actions"><a id="conversions-older" href="{page.Url("conversions" + filter.ToQueryString(("before", records.Count == 0 ? null : records[^1].Id)))}">Older</a></p>
            """));
        var subjectLink = subjectError is null && filter.SubjectId is { } chatUser
            ? Markup.Of($"""<p id="conversions-subject-link">These are the conversions of one chat user: <a href="{page.Url("subjects/" + Uri.EscapeDataString(chatUser))}">see <code>{chatUser}</code>'s page</a> with their clicks.</p>""")
            : Markup.Empty;
        var body = Markup.Of($"""
            <h1>Conversions</h1>
            <p>The stored conversions (duplicates are not stored), newest first, {PageSize} per page. Amounts are exact, as the network sent them; the reporting amount is the one stored when the conversion arrived.</p>
            {FilterForm(page, filter, allSets.Values, subjectError)}
            {subjectLink}
            {ConversionView.Table(page, "conversions-table", "Conversions", records, allSets, "No conversion matches these filters.")}
            {older}
            """);
        return page.Render("Conversions", NavSection.Conversions, body, subjectError is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        string id,
        PostbackSetService sets,
        ConversionService conversions,
        ClickService clicks,
        PostbackLogService log,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var record = await conversions.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return page.Render("Conversion not found", NavSection.Conversions, Markup.Of($"""
                <h1>Conversion not found</h1>
                <p role="alert">No conversion has the id '{id}'. <a href="{page.Url("conversions")}">Back to the conversions</a></p>
                """), StatusCodes.Status404NotFound);
        }

        var allSets = await SetsAsync(sets, cancellationToken).ConfigureAwait(false);
        var click = await clicks.FindAsync(record.Conversion.ClickId, cancellationToken).ConfigureAwait(false);
        var entries = await LogEntriesAsync(log, record, cancellationToken).ConfigureAwait(false);
        var history = await HistoryAsync(page, log, record, cancellationToken).ConfigureAwait(false);
        var body = Markup.Of($"""
            <h1>Conversion <code>{record.Id}</code></h1>
            {ConversionView.Facts(page, record, allSets, click)}
            <h2 id="conversion-history-heading">Status history</h2>
            {history}
            <h2 id="conversion-log-heading">Log entries</h2>
            {LogEntries(page, record, entries)}
            """);
        return page.Render("Conversion", NavSection.Conversions, body);
    }

    // The log entries of the conversion: written with its receive time (a replay keeps it), so they are found in that second.
    private static async Task<IReadOnlyList<PostbackLogEntry>> LogEntriesAsync(PostbackLogService log, ConversionRecord record, CancellationToken cancellationToken)
    {
        var receivedAt = record.Conversion.ReceivedAt;
        var entries = await log.ListAsync(
            new PostbackLogQuery { SetId = record.Conversion.SetId, From = receivedAt.AddSeconds(-1), To = receivedAt.AddSeconds(1), Limit = PostbackLogQuery.MaxLimit },
            cancellationToken).ConfigureAwait(false);
        return [.. entries.Where(e => e.ConversionId == record.Id).Reverse()];
    }

    private static Markup LogEntries(DashboardPage page, ConversionRecord record, IReadOnlyList<PostbackLogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return Markup.Of($"""<p id="conversion-log-none">Its log entry is no longer kept (the log's retention purged it).</p>""");
        }

        var items = entries.Select(e => Markup.Of($"""
            <li><a class="log-entry" href="{LogEntryUrl(page, record.Conversion.SetId, e.ReceivedAt, e.Id)}"><code>{e.Id}</code></a> {Display.Badge(StoredWords.Of(e.Outcome))} {Display.Time(e.ReceivedAt)}</li>
            """));
        return Markup.Of($"""<ul id="conversion-log">{items}</ul>""");
    }

    // The conversion's status changes, oldest first: each links to the log entry of the postback that made it while the
    // log still keeps that entry.
    private static async Task<Markup> HistoryAsync(DashboardPage page, PostbackLogService log, ConversionRecord record, CancellationToken cancellationToken)
    {
        if (record.History.Count == 0)
        {
            return Markup.Of($"""<p id="conversion-history-none">No status change: it is {ConversionStatusNames.Name(record.Status)} since it arrived.</p>""");
        }

        var rows = new List<Markup>(record.History.Count);
        foreach (var change in record.History)
        {
            var entry = await log.GetAsync(change.LogEntryId, cancellationToken).ConfigureAwait(false);
            var link = entry is null
                ? Markup.Of($"""<code>{change.LogEntryId}</code> (no longer kept)""")
                : Markup.Of($"""<a class="log-entry" href="{LogEntryUrl(page, entry.SetId, entry.ReceivedAt, entry.Id)}"><code>{entry.Id}</code></a>""");
            rows.Add(Markup.Of($"""
                <tr id="history-{change.Id}"><td>{Display.Time(change.At)}</td><td>{Display.Badge(ConversionStatusNames.Name(change.From))}</td><td>{Display.Badge(ConversionStatusNames.Name(change.To))}</td><td><code>{change.Word}</code></td><td>{link}</td></tr>
                """));
        }

        return Display.ScrollingTable("Status history", Markup.Of($"""
            <table id="conversion-history">
            <thead><tr><th scope="col">Time</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Word as received</th><th scope="col">Log entry</th></tr></thead>
            <tbody>{Markup.Join(rows)}</tbody>
            </table>
            """));
    }

    // The log page filtered to the entry's set and minute shows its row; the fragment scrolls to it.
    private static string LogEntryUrl(DashboardPage page, string setId, DateTimeOffset receivedAt, string entryId)
    {
        var minute = receivedAt.ToUniversalTime();
        minute = new DateTimeOffset(minute.Year, minute.Month, minute.Day, minute.Hour, minute.Minute, 0, TimeSpan.Zero);
        var query = QueryString.Create(new KeyValuePair<string, string?>[]
        {
            new("setId", setId),
            new("from", minute.ToString(FormText.UtcMinuteFormat, CultureInfo.InvariantCulture)),
            new("to", minute.AddMinutes(1).ToString(FormText.UtcMinuteFormat, CultureInfo.InvariantCulture)),
        }).ToUriComponent();
        return page.Url("log" + query + "#log-" + Uri.EscapeDataString(entryId));
    }

    private static Markup FilterForm(DashboardPage page, Filter filter, IEnumerable<PostbackSet> sets, string? subjectError)
    {
        var setOptions = sets.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).Select(s => Display.Option(s.Id, s.Name, s.Id == filter.SetId));
        var statusOptions = ConversionStatusNames.All.Select(s => Display.Option(ConversionStatusNames.Name(s), ConversionStatusNames.Name(s), s == filter.Status));
        var subjectInput = subjectError is null
            ? Markup.Of($"""<input type="text" id="conversions-subject" name="subjectId" value="{filter.SubjectId}" placeholder="tg:123456789">""")
            : Markup.Of($"""<input type="text" id="conversions-subject" name="subjectId" value="{filter.SubjectId}" aria-invalid="true" aria-describedby="conversions-subject-error"><span class="error" role="alert" id="conversions-subject-error">{subjectError}</span>""");
        return Markup.Of($"""
            <h2>Filters</h2>
            <form method="get" action="{page.Url("conversions")}" class="filters" id="conversions-filters">
            <div><label for="conversions-set">Set</label><select id="conversions-set" name="setId"><option value="">All sets</option>{setOptions}</select></div>
            <div><label for="conversions-status">Status</label><select id="conversions-status" name="status"><option value="">All statuses</option>{statusOptions}</select></div>
            <div><label for="conversions-click">Click id</label><input type="text" id="conversions-click" name="clickId" value="{filter.ClickId}"></div>
            <div><label for="conversions-subject">Chat user (subject id)</label>{subjectInput}</div>
            <button type="submit">Filter</button>
            </form>
            """);
    }

    /// <summary>The list's filters as the query string carries them.</summary>
    private sealed record Filter(string? SetId, ConversionStatus? Status, string? ClickId, string? SubjectId)
    {
        public string ToQueryString(params (string Name, string? Value)[] extra)
        {
            var pairs = new List<KeyValuePair<string, string?>> { new("setId", SetId), new("status", Status is { } status ? ConversionStatusNames.Name(status) : null), new("clickId", ClickId), new("subjectId", SubjectId) };
            pairs.AddRange(extra.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)));
            return QueryString.Create(pairs.Where(p => p.Value is not null)).ToUriComponent();
        }
    }
}
