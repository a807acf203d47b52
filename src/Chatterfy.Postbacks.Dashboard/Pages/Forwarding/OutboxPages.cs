using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Pages.Forwarding;

/// <summary>
/// The outbox pages: messages newest first with a status filter and keyset paging (as the tracker API's
/// <c>/outbox</c>), a message with its delivery attempts, and Retry (<see cref="OutboxService.RetryAsync"/>).
/// Attempts are shown as stored: the dispatcher masks a rule's secrets in them before they are stored.
/// </summary>
internal static class OutboxPages
{
    /// <summary>Maps <c>forwarding/outbox</c>, <c>forwarding/outbox/{id}</c> and its retry.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/forwarding/outbox", ListAsync);
        group.MapGet("/forwarding/outbox/{id}", ShowAsync);
        group.MapPost("/forwarding/outbox/{id}/retry", RetryAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? status, string? before, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        OutboxMessageStatus? filter = null;
        string? error = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            filter = Enum.GetValues<OutboxMessageStatus>().Cast<OutboxMessageStatus?>()
                .FirstOrDefault(candidate => string.Equals(StoredWords.Of(candidate!.Value), status.Trim(), StringComparison.OrdinalIgnoreCase));
            error = filter is null
                ? $"The status is one of {string.Join(", ", Enum.GetValues<OutboxMessageStatus>().Select(StoredWords.Of))}."
                : null;
        }

        var options = Enum.GetValues<OutboxMessageStatus>().Select(s => Display.Option(StoredWords.Of(s), StoredWords.Of(s), s == filter));
        var invalid = error is null ? Markup.Empty : Markup.Trusted(""" aria-invalid="true" aria-describedby="outbox-status-error" """);
        var errorText = error is null ? Markup.Empty : Markup.Of($"""<p class="error" id="outbox-status-error">{error}</p>""");
        var filters = Markup.Of($"""
            <form method="get" action="{page.Url("forwarding/outbox")}" class="filters" id="outbox-filters" aria-label="Outbox filters">
            <div><label for="outbox-status">Status</label>
            <select id="outbox-status" name="status" data-submit-on-change{invalid}><option value="">All statuses</option>{options}</select>
            {errorText}</div>
            <button type="submit" id="outbox-filter">Filter</button>
            </form>
            """);
        if (error is not null)
        {
            return page.Render("Outbox", NavSection.Forwarding, Markup.Of($"""
                <h1>Outbox</h1>
                {filters}
                """), StatusCodes.Status400BadRequest);
        }

        var messages = await Outbox(context).ListAsync(
            new OutboxQuery { Status = filter, BeforeId = string.IsNullOrWhiteSpace(before) ? null : before.Trim(), Limit = OutboxQuery.DefaultLimit },
            cancellationToken).ConfigureAwait(false);
        var rows = messages.Select(m => Markup.Of($"""
            <tr id="message-{m.Id}">
            <th scope="row"><a href="{page.Url($"forwarding/outbox/{Uri.EscapeDataString(m.Id)}")}" aria-label="Open outbox message {m.Id}"><code>{m.Id}</code></a></th>
            <td>{Display.Badge(StoredWords.Of(m.Status))}</td>
            <td>{m.DestinationId}</td>
            <td><code>{m.RuleId}</code></td>
            <td>{Display.Time(m.CreatedAt)}</td>
            <td class="number">{m.AttemptCount}</td>
            <td>{(m.Status == OutboxMessageStatus.Pending ? Display.Time(m.NextAttemptAt) : Markup.Empty)}</td>
            <td>{m.LastErrorCode}</td>
            </tr>
            """));
        var table = messages.Count == 0
            ? Markup.Of($"""<p id="outbox-none">No outbox messages{(filter is { } f ? " with status " + StoredWords.Of(f) : "")}.</p>""")
            : Display.ScrollingTable("Outbox messages", Markup.Of($"""
                <table id="outbox-table">
                <thead><tr><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Destination</th><th scope="col">Rule</th><th scope="col">Created</th><th scope="col" class="number">Attempts</th><th scope="col">Next attempt</th><th scope="col">Last error</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """));
        var statusQuery = filter is { } chosen ? "status=" + Uri.EscapeDataString(StoredWords.Of(chosen)) + "&" : "";
        var older = messages.Count == OutboxQuery.DefaultLimit
            ? Markup.Of($"""<p><a href="{page.Url($"forwarding/outbox?{statusQuery}before={Uri.EscapeDataString(messages[^1].Id)}")}" id="outbox-older">Older messages</a></p>""")
            : Markup.Empty;
        var newest = Markup.If(!string.IsNullOrWhiteSpace(before), Markup.Of($"""
            <p><a href="{page.Url($"forwarding/outbox{(statusQuery.Length > 0 ? "?" + statusQuery.TrimEnd('&') : "")}")}" id="outbox-newest">Newest messages</a></p>
            """));
        return page.Render("Outbox", NavSection.Forwarding, Markup.Of($"""
            <h1>Outbox</h1>
            <p><a href="{page.Url("forwarding")}">Forwarding rules</a></p>
            {filters}
            {newest}
            {table}
            {older}
            """));
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string id, string? retried, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var outbox = Outbox(context);
        var message = await outbox.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(page, id);
        }

        var attempts = await outbox.ListAttemptsAsync(id, cancellationToken).ConfigureAwait(false);
        var notice = Markup.If(retried is not null, Markup.Of($"""<p class="notice" role="status" id="outbox-notice">Retry scheduled: the message is due now.</p>"""));
        var rows = attempts.Select(a => Markup.Of($"""
            <tr>
            <th scope="row" class="number">{a.Number}</th>
            <td>{Display.Time(a.StartedAt)}</td>
            <td>{Display.Badge(StoredWords.Of(a.Status))}</td>
            <td class="number">{a.HttpStatusCode}</td>
            <td>{a.ErrorCode}</td>
            <td>{a.Reason}{(a.DestinationError is { Message: { } destinationMessage } ? Markup.Of($"<br>{destinationMessage}") : Markup.Empty)}</td>
            <td class="number">{(long)a.Duration.TotalMilliseconds} ms</td>
            </tr>
            """));
        var attemptList = attempts.Count == 0
            ? Markup.Of($"""<p id="attempts-none">No delivery attempts yet.</p>""")
            : Display.ScrollingTable("Delivery attempts", Markup.Of($"""
                <table id="attempts-table">
                <thead><tr><th scope="col" class="number">Attempt</th><th scope="col">Time</th><th scope="col">Outcome</th><th scope="col" class="number">HTTP status</th><th scope="col">Error code</th><th scope="col">Error message</th><th scope="col" class="number">Duration</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """));
        var retry = message.Status == OutboxMessageStatus.Delivered
            ? Markup.Of($"""<p class="hint">Delivered: it is not sent again.</p>""")
            : Markup.Of($"""
                <form method="post" action="{page.Url($"forwarding/outbox/{Uri.EscapeDataString(message.Id)}/retry")}" class="actions">
                {page.AntiforgeryField()}
                <button type="submit" id="retry-message">Retry</button>
                <span class="hint">Schedules the message for delivery now.</span>
                </form>
                """);
        return page.Render("Outbox message", NavSection.Forwarding, Markup.Of($"""
            <h1>Outbox message <code>{message.Id}</code></h1>
            {notice}
            <p><a href="{page.Url("forwarding/outbox")}">Back to the outbox</a></p>
            <dl class="facts" id="message-facts">
            <dt>Status</dt><dd id="message-status">{Display.Badge(StoredWords.Of(message.Status))}</dd>
            <dt>Destination</dt><dd>{message.DestinationId}</dd>
            <dt>Rule</dt><dd><code>{message.RuleId}</code></dd>
            <dt>Conversion</dt><dd><code>{message.ConversionId}</code></dd>
            <dt>Created</dt><dd>{Display.Time(message.CreatedAt)}</dd>
            <dt>Next attempt</dt><dd>{Display.Time(message.NextAttemptAt)}</dd>
            <dt>Attempts</dt><dd>{message.AttemptCount}</dd>
            <dt>Last error</dt><dd>{message.LastErrorCode} {message.LastError}</dd>
            <dt>Completed</dt><dd>{(message.CompletedAt is { } completed ? Display.Time(completed) : Markup.Of($"not yet"))}</dd>
            </dl>
            {retry}
            <h2>Delivery attempts</h2>
            {attemptList}
            """));
    }

    private static async Task<IResult> RetryAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var message = await Outbox(context).RetryAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(page, id);
        }

        if (message.Status == OutboxMessageStatus.Delivered)
        {
            return page.Render("Outbox message delivered", NavSection.Forwarding, Markup.Of($"""
                <h1>Outbox message delivered</h1>
                <p role="alert">The outbox message '{id}' was delivered; it is not sent again. <a href="{page.Url($"forwarding/outbox/{Uri.EscapeDataString(id)}")}">Back to the message</a>.</p>
                """), StatusCodes.Status409Conflict);
        }

        return page.RedirectTo($"forwarding/outbox/{Uri.EscapeDataString(id)}?retried=1");
    }

    // As the tracker API's /outbox: with forwarding, the service AddForwarding registered (it retries through this
    // instance's dispatcher); without it, one over the store alone.
    private static OutboxService Outbox(HttpContext context) =>
        ActivatorUtilities.GetServiceOrCreateInstance<OutboxService>(context.RequestServices);

    private static IResult NotFound(DashboardPage page, string id) => page.Render("Outbox message not found", NavSection.Forwarding, Markup.Of($"""
        <h1>Outbox message not found</h1>
        <p role="alert">No outbox message has the id '{id}'. <a href="{page.Url("forwarding/outbox")}">Back to the outbox</a>.</p>
        """), StatusCodes.Status404NotFound);
}
