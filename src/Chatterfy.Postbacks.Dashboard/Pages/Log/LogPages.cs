using System.Reflection;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Dashboard.Pages.Conversions;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Log;

/// <summary>
/// The Log section: the postback log newest first with its filters (GET), each entry's request and detail, and
/// <b>Replay</b> of a rejected entry (POST, then back to the log with the new outcome).
/// </summary>
internal static class LogPages
{
    /// <summary>The entries per page.</summary>
    public const int PageSize = PostbackLogQuery.DefaultLimit;

    // The codes a rejected entry can carry: every PostbackRejectionCodes constant (one home for the words).
    private static readonly string[] RejectionCodes = [.. typeof(PostbackRejectionCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)];

    // What the codes the core decides at ingest mean (a re-read of the request cannot say): the status lifecycle's.
    private static readonly Dictionary<string, string> IngestCodes = new(StringComparer.Ordinal)
    {
        [PostbackWarningCodes.StatusUnknown] = "The status word was not in the set's status map when it came: the word is kept and the conversion is pending until the map names it (then the set's remap applies it).",
        [PostbackWarningCodes.StatusTransitionIgnored] = "The conversion this status postback matched could not change to its status (it already had it, or the change is not allowed): answered duplicate, nothing changed.",
        [PostbackWarningCodes.StatusWithoutOriginal] = "No stored conversion matched this rejected or chargeback postback: a new conversion was stored in that status, and it lowers nothing.",
        [PostbackRejectionCodes.StatusTargetUnknown] = "The status postback names no single stored conversion of its set and click: none or several with its transaction id, or, without one, not exactly one pending conversion. Replay it once its conversion is stored.",
    };

    // The warning codes that say why a conversion was stored unattributed.
    private static readonly string[] UnattributedCodes = [PostbackWarningCodes.ClickUnknown, PostbackWarningCodes.CampaignMismatch];

    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/log", ShowAsync);
        group.MapPost("/log/{id}/replay", ReplayAsync);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        PostbackSetService sets,
        PostbackLogService log,
        PostbackParser parser,
        ClickService clicks,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var filters = LogFilters.Read(context.Request.Query);
        var allSets = (await sets.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var view = new EntryView(allSets, parser, clicks);

        var notice = await ReplayNoticeAsync(context.Request.Query, log, view, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PostbackLogEntry> entries = [];
        if (filters.Errors.Count == 0)
        {
            entries = await log.ListAsync(StoreQuery(filters, Blank(context.Request.Query["before"])), cancellationToken).ConfigureAwait(false);
        }

        var rows = new List<Markup>(entries.Count);
        foreach (var entry in entries)
        {
            rows.Add(await view.RowAsync(page, entry, filters, cancellationToken).ConfigureAwait(false));
        }

        var table = entries.Count == 0
            ? Markup.Of($"""<p id="log-empty">No postback matches these filters.</p>""")
            : Display.ScrollingTable("Postback log", Markup.Of($"""
                <table id="log-table">
                <thead><tr><th scope="col">Time</th><th scope="col">Set</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Code</th><th scope="col">Click id</th><th scope="col">Conversion id</th><th scope="col">Actions</th></tr></thead>
                <tbody>{Markup.Join(rows)}</tbody>
                </table>
                """));
        var older = Markup.If(entries.Count == PageSize, Markup.Of($"""
            <p class="actions"><a id="log-older" href="{page.Url("log" + filters.ToQueryString(("before", entries.Count == 0 ? null : entries[^1].Id)))}">Older</a></p>
            """));

        var body = Markup.Of($"""
            <h1>Log</h1>
            <p>Every postback request the receiver processed, newest first, {PageSize} per page. Expand an entry for the request as received; replay a rejected one after fixing its set.</p>
            {notice}
            {FilterForm(page, filters, allSets.Values)}
            {table}
            {older}
            """);
        return page.Render("Log", NavSection.Log, body, filters.Errors.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ReplayAsync(
        HttpContext context,
        string id,
        PostbackLogService log,
        PostbackIngestor ingestor,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var form = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var filters = LogFilters.Read(form);
        var entry = await log.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return page.Render("Log entry not found", NavSection.Log, Markup.Of($"""
                <h1>Log entry not found</h1>
                <p role="alert">No postback log entry has the id '{id}' (it may have been purged). <a href="{page.Url("log" + filters.ToQueryString())}">Back to the log</a></p>
                """), StatusCodes.Status404NotFound);
        }

        var result = await ingestor.ReplayAsync(entry, cancellationToken).ConfigureAwait(false);
        return result.IsSetFound && result.LogEntryId is { } replayed
            ? page.RedirectTo("log" + filters.ToQueryString(("replayed", replayed)))
            : page.RedirectTo("log" + filters.ToQueryString(("replayGone", entry.Id)));
    }

    // After a replay (post, redirect, get): the new log entry says the new outcome.
    private static async Task<Markup> ReplayNoticeAsync(IQueryCollection query, PostbackLogService log, EntryView view, CancellationToken cancellationToken)
    {
        if (Blank(query["replayGone"]) is { } goneId)
        {
            var gone = await log.GetAsync(goneId, cancellationToken).ConfigureAwait(false);
            return Markup.Of($"""<p class="warning" role="status" id="replay-notice">Not replayed: the postback set '{gone?.SetId}' of this entry was deleted or is disabled.</p>""");
        }

        if (Blank(query["replayed"]) is not { } replayedId
            || await log.GetAsync(replayedId, cancellationToken).ConfigureAwait(false) is not { } replayed)
        {
            return Markup.Empty;
        }

        var outcome = StoredWords.Of(replayed.Outcome);
        if (replayed.Outcome == PostbackOutcome.Rejected)
        {
            var message = view.Parse(replayed)?.Rejection?.Message;
            return Markup.Of($"""<p class="warning" role="status" id="replay-notice">Replayed: {Display.Badge(outcome)} <code>{replayed.Code}</code> {message}</p>""");
        }

        return Markup.Of($"""<p class="notice" role="status" id="replay-notice">Replayed: {Display.Badge(outcome)}, conversion <code>{replayed.ConversionId}</code>. <a href="#log-{replayed.Id}">See its entry</a></p>""");
    }

    private static PostbackLogQuery StoreQuery(LogFilters filters, string? before) => new()
    {
        SetId = filters.SetId,
        Outcome = filters.Outcome,
        Code = filters.Code,
        From = filters.From,
        To = filters.To,
        Limit = PageSize,
        BeforeId = before,
    };

    private static Markup FilterForm(DashboardPage page, LogFilters filters, IEnumerable<PostbackSet> sets)
    {
        var setOptions = sets.OrderBy(s => s.Name, StringComparer.CurrentCultureIgnoreCase).Select(s => Option(s.Id, s.Name, filters.SetId));
        var outcomeOptions = Enum.GetValues<PostbackOutcome>().Select(o => StoredWords.Of(o)).Select(word => Option(word, word, filters.OutcomeWord));
        var codeOptions = RejectionCodes.Select(code => Option(code, code, filters.Code));
        return Markup.Of($"""
            <h2>Filters</h2>
            <form method="get" action="{page.Url("log")}" class="filters" id="log-filters">
            <div><label for="log-set">Set</label><select id="log-set" name="setId"><option value="">All sets</option>{setOptions}</select></div>
            <div><label for="log-outcome">Outcome</label><select id="log-outcome" name="outcome"><option value="">All outcomes</option>{outcomeOptions}</select></div>
            <div><label for="log-code">Rejection code</label><select id="log-code" name="code"><option value="">All codes</option>{codeOptions}</select></div>
            <div><label for="log-from">From (UTC)</label>{TimeInput("log-from", "from", filters.FromText, filters.Errors.GetValueOrDefault("from"))}</div>
            <div><label for="log-to">To (UTC)</label>{TimeInput("log-to", "to", filters.ToText, filters.Errors.GetValueOrDefault("to"))}</div>
            <button type="submit">Filter</button>
            </form>
            """);
    }

    private static Markup Option(string value, string text, string? selected) => Display.Option(value, text, value == selected);

    private static Markup TimeInput(string id, string name, string? value, string? error) => error is null
        ? Markup.Of($"""<input type="datetime-local" id="{id}" name="{name}" value="{value}">""")
        : Markup.Of($"""<input type="datetime-local" id="{id}" name="{name}" value="{value}" aria-invalid="true" aria-describedby="{id}-error"><span class="error" role="alert" id="{id}-error">{error}</span>""");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The log's filters as the query string (or the replay form) carries them, parsed.</summary>
    private sealed class LogFilters(Dictionary<string, string> errors)
    {
        public string? SetId { get; init; }

        public string? OutcomeWord { get; init; }

        public PostbackOutcome? Outcome { get; init; }

        public string? Code { get; init; }

        public string? FromText { get; init; }

        public string? ToText { get; init; }

        public DateTimeOffset? From { get; init; }

        public DateTimeOffset? To { get; init; }

        public Dictionary<string, string> Errors => errors;

        public static LogFilters Read(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values)
        {
            var map = values.ToDictionary(pair => pair.Key, pair => Blank(pair.Value.ToString()), StringComparer.Ordinal);
            var outcomeWord = map.GetValueOrDefault("outcome");
            var outcome = Enum.GetValues<PostbackOutcome>().Cast<PostbackOutcome?>().FirstOrDefault(o => StoredWords.Of(o!.Value) == outcomeWord);
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            var fromText = map.GetValueOrDefault("from");
            var toText = map.GetValueOrDefault("to");
            var from = FormText.ParseUtcTime(fromText, "from", errors);
            var to = FormText.ParseUtcTime(toText, "to", errors);
            if (from is not null && to is not null && from > to)
            {
                errors["to"] = "'To' must not be before 'From'.";
            }

            return new LogFilters(errors)
            {
                SetId = map.GetValueOrDefault("setId"),
                OutcomeWord = outcome is null ? null : outcomeWord,
                Outcome = outcome,
                Code = map.GetValueOrDefault("code"),
                FromText = fromText,
                ToText = toText,
                From = from,
                To = to,
            };
        }

        /// <summary>Returns the filters (and <paramref name="extra"/>) as a query string, e.g. <c>?setId=…&amp;before=…</c>.</summary>
        public string ToQueryString(params (string Name, string? Value)[] extra)
        {
            var pairs = new List<KeyValuePair<string, string?>>
            {
                new("setId", SetId), new("outcome", OutcomeWord), new("code", Code), new("from", FromText), new("to", ToText),
            };
            pairs.AddRange(extra.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)));
            return QueryString.Create(pairs.Where(p => p.Value is not null)).ToUriComponent();
        }

        /// <summary>Returns the hidden fields that carry the filters through a form post.</summary>
        public Markup HiddenFields() => Markup.Of($"""
            {Hidden("setId", SetId)}{Hidden("outcome", OutcomeWord)}{Hidden("code", Code)}{Hidden("from", FromText)}{Hidden("to", ToText)}
            """);

        private static Markup Hidden(string name, string? value) =>
            Markup.If(value is not null, Markup.Of($"""<input type="hidden" name="{name}" value="{value}">"""));
    }

    /// <summary>How the page shows one log entry: the set's name, what the request reads as, why it is unattributed.</summary>
    private sealed class EntryView(IReadOnlyDictionary<string, PostbackSet> sets, PostbackParser parser, ClickService clicks)
    {
        // Reads the logged request with its set's current settings (what a replay would do), or null for a deleted set.
        public PostbackParseResult? Parse(PostbackLogEntry entry) =>
            sets.TryGetValue(entry.SetId, out var set) ? parser.Parse(set, entry.Request, entry.ReceivedAt) : null;

        public async Task<Markup> RowAsync(DashboardPage page, PostbackLogEntry entry, LogFilters filters, CancellationToken cancellationToken)
        {
            var parsed = Parse(entry);
            var clickId = parsed?.Conversion?.ClickId;
            var eventName = parsed?.Conversion?.Event.Name ?? entry.Request.EventSegment;
            var unattributedCode = entry.Outcome == PostbackOutcome.Unattributed ? entry.Warnings.FirstOrDefault(UnattributedCodes.Contains) : null;
            var setName = sets.TryGetValue(entry.SetId, out var set)
                ? Markup.Of($"{set.Name}")
                : Markup.Of($"""<code>{entry.SetId}</code> (deleted)""");
            var replay = Markup.If(entry.Outcome == PostbackOutcome.Rejected, Markup.Of($"""
                <form method="post" action="{page.Url($"log/{Uri.EscapeDataString(entry.Id)}/replay")}">{page.AntiforgeryField()}{filters.HiddenFields()}<button type="submit" class="secondary">Replay</button></form>
                """));
            var detail = await DetailAsync(entry, parsed, set, clickId, unattributedCode, cancellationToken).ConfigureAwait(false);
            return Markup.Of($"""
                <tr id="log-{entry.Id}">
                <td>{Display.Time(entry.ReceivedAt)}</td>
                <td>{setName}</td>
                <td>{eventName}</td>
                <td>{Display.Badge(StoredWords.Of(entry.Outcome))}</td>
                <td><code>{entry.Code ?? unattributedCode}</code></td>
                <td><code>{clickId}</code></td>
                <td>{ConversionLink(page, entry)}</td>
                <td class="actions">{replay}</td>
                </tr>
                <tr id="log-{entry.Id}-detail-row"><td colspan="8">{detail}</td></tr>
                """);
        }

        // A log entry with a conversion links to its page; a credited deposit's number follows ("#2").
        private static Markup ConversionLink(DashboardPage page, PostbackLogEntry entry) => entry.ConversionId is { } conversionId
            ? Markup.Of($"""<a href="{page.Url("conversions/" + Uri.EscapeDataString(conversionId))}"><code>{conversionId}</code></a> {ConversionView.DepositNumber(entry.DepositNumber)}""")
            : Markup.Empty;

        private async Task<Markup> DetailAsync(PostbackLogEntry entry, PostbackParseResult? parsed, PostbackSet? set, string? clickId, string? unattributedCode, CancellationToken cancellationToken)
        {
            var request = entry.Request;
            var warnings = entry.Warnings.Count == 0
                ? Markup.Empty
                : Markup.Of($"""
                    <h3>Warnings</h3>
                    <ul>{entry.Warnings.Select(code => Markup.Of($"""<li id="log-{entry.Id}-warning-{code}"><code>{code}</code> {parsed?.Warnings.FirstOrDefault(w => w.Code == code)?.Message ?? IngestCodes.GetValueOrDefault(code)}</li>"""))}</ul>
                    """);
            var unattributed = await UnattributedAsync(set, clickId, unattributedCode, cancellationToken).ConfigureAwait(false);
            return Markup.Of($"""
                <details id="log-{entry.Id}-detail">
                <summary>Request and detail</summary>
                <h3>Request as received</h3>
                <dl class="facts">
                <dt>Method</dt><dd>{request.Method}</dd>
                <dt>Path and query</dt><dd><code>{request.Path}{request.QueryString}</code></dd>
                <dt>Content type</dt><dd>{request.ContentType ?? "none"}</dd>
                <dt>Remote address</dt><dd>{request.RemoteAddress?.ToString() ?? "unknown"}</dd>
                <dt>Log entry</dt><dd><code>{entry.Id}</code></dd>
                </dl>
                <p class="hint">The log keeps the method, path, query, body (up to {PostbackRequest.MaxBodyBytes / 1024} KiB), content type and remote address; not the headers.</p>
                {Markup.If(request.Body is not null, Markup.Of($"""<h3>Body</h3><pre>{request.Body}</pre>"""))}
                {Rejection(entry, parsed)}
                {unattributed}
                {warnings}
                </details>
                """);
        }

        private static Markup Rejection(PostbackLogEntry entry, PostbackParseResult? parsed)
        {
            if (entry.Outcome != PostbackOutcome.Rejected)
            {
                return Markup.Empty;
            }

            var now = parsed switch
            {
                null => Markup.Of($"The set was deleted: the request cannot be read again or replayed."),
                { Rejection: { } rejection } when rejection.Code == entry.Code => Markup.Of($"{rejection.Message}"),
                { Rejection: { } rejection } => Markup.Of($"""With the set's current settings it is refused with <code>{rejection.Code}</code> instead: {rejection.Message}"""),
                _ when entry.Code is { } code && IngestCodes.TryGetValue(code, out var meaning) => Markup.Of($"{meaning}"),
                _ => Markup.Of($"With the set's current settings the request is valid: Replay it to count it."),
            };
            return Markup.Of($"""
                <h3>Rejection</h3>
                <p><code>{entry.Code}</code> {now}</p>
                """);
        }

        private async Task<Markup> UnattributedAsync(PostbackSet? set, string? clickId, string? code, CancellationToken cancellationToken)
        {
            if (code is null || clickId is null)
            {
                return Markup.Empty;
            }

            var click = await clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false);
            var why = code switch
            {
                PostbackWarningCodes.ClickUnknown when click is null =>
                    Markup.Of($"""The click id <code>{clickId}</code> was not known to the tracker: the conversion is credited when click <code>{clickId}</code> is created."""),
                PostbackWarningCodes.ClickUnknown =>
                    Markup.Of($"""The click id <code>{clickId}</code> was not known to the tracker then; click <code>{clickId}</code> has been created since, so the conversion now counts for it."""),
                _ => Markup.Of($"""The set is scoped to campaign <code>{set?.CampaignId}</code> but click <code>{clickId}</code> belongs to campaign <code>{click?.CampaignId ?? "none"}</code>: the conversion is stored as unattributed."""),
            };
            return Markup.Of($"""
                <h3>Why unattributed</h3>
                <p id="why-{code}"><code>{code}</code> {why}</p>
                """);
        }
    }
}
