using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Dashboard.Pages.Conversions;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Subjects;

/// <summary>
/// A chat user's page (<c>subjects/{subjectId}</c>, the id checked by <see cref="SubjectIds"/> as the tracker API checks
/// it): the click bound to the user in each campaign, the clicks carrying the user's id, and the user's conversions.
/// </summary>
internal static class SubjectPages
{
    /// <summary>Maps <c>subjects/{subjectId}</c>.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) => group.MapGet("/subjects/{subjectId}", ShowAsync);

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        string subjectId,
        string? before,
        ClickService clicks,
        ConversionService conversions,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        if (!SubjectIds.IsValid(subjectId))
        {
            return page.Render("Chat user", NavSection.Conversions, Markup.Of($"""
                <h1>Chat user</h1>
                <p role="alert" class="error" id="subject-error">'{subjectId}' is not a subject id. {SubjectIds.Rule}</p>
                """), StatusCodes.Status400BadRequest);
        }

        var subject = await clicks.ListForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        var allSets = await ConversionPages.SetsAsync(sets, cancellationToken).ConfigureAwait(false);
        var records = await conversions.ListAsync(
            new ConversionListQuery { SubjectId = subjectId, Limit = ConversionPages.PageSize, BeforeId = FormText.Blank(before) },
            cancellationToken).ConfigureAwait(false);
        var older = Markup.If(records.Count == ConversionPages.PageSize, Markup.Of($"""
            <p class="actions"><a id="subject-older" href="{page.Url($"subjects/{Uri.EscapeDataString(subjectId)}?before={Uri.EscapeDataString(records.Count == 0 ? "" : records[^1].Id)}")}">Older conversions</a></p>
            """));
        var body = Markup.Of($"""
            <h1>Chat user <code>{subjectId}</code></h1>
            <h2 id="subject-bindings-heading">Bound clicks</h2>
            <p class="hint">The click the chat user is bound to in each campaign: the same click every time the bot asks.</p>
            {Bindings(page, subject.Bindings)}
            <h2 id="subject-clicks-heading">Clicks carrying this chat user</h2>
            {Clicks(page, subject.Clicks)}
            <h2 id="subject-conversions-heading">Conversions</h2>
            <p class="hint">The conversions of the clicks bound to this chat user or carrying its id, newest first.</p>
            {ConversionView.Table(page, "subject-conversions", "Conversions of this chat user", records, allSets, "No conversion for this chat user yet.")}
            {older}
            """);
        return page.Render("Chat user", NavSection.Conversions, body);
    }

    private static Markup Bindings(DashboardPage page, IReadOnlyList<SubjectBinding> bindings)
    {
        if (bindings.Count == 0)
        {
            return Markup.Of($"""<p id="subject-bindings-empty">Not bound to a click in any campaign.</p>""");
        }

        var rows = bindings.Select(b => Markup.Of($"""
            <tr><td><code>{b.CampaignId}</code></td><td>{ConversionView.ClickLink(page, b.Click.Id)}</td><td>{Display.Time(b.BoundAt)}</td><td>{Display.Time(b.Click.CreatedAt)}</td></tr>
            """));
        return Display.ScrollingTable("Bound clicks", Markup.Of($"""
            <table id="subject-bindings">
            <thead><tr><th scope="col">Campaign</th><th scope="col">Click id</th><th scope="col">Bound</th><th scope="col">Click created</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """));
    }

    private static Markup Clicks(DashboardPage page, IReadOnlyList<Click> clicks)
    {
        if (clicks.Count == 0)
        {
            return Markup.Of($"""<p id="subject-clicks-empty">No click carries this chat user's id.</p>""");
        }

        var rows = clicks.Select(c => Markup.Of($"""
            <tr><td>{ConversionView.ClickLink(page, c.Id)}</td><td>{(c.CampaignId is { } campaign ? Markup.Of($"<code>{campaign}</code>") : Markup.Of($"none"))}</td><td>{Display.Time(c.CreatedAt)}</td></tr>
            """));
        var more = Markup.If(clicks.Count == SubjectClicks.MaxClicks, Markup.Of($"""<p class="hint">The newest {SubjectClicks.MaxClicks} are shown.</p>"""));
        return Markup.Of($"""
            {Display.ScrollingTable("Clicks carrying this chat user", Markup.Of($"""
                <table id="subject-clicks">
                <thead><tr><th scope="col">Click id</th><th scope="col">Campaign</th><th scope="col">Created</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """))}
            {more}
            """);
    }
}
