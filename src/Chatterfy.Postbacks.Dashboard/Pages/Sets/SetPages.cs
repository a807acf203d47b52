using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.AspNetCore;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Dashboard.Forms;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Pages.Sets;

/// <summary>
/// The Postbacks section: the list of postback sets, Create postback (the seed's Name, Affiliate Network and Campaign,
/// then the network's settings), a set's URLs to copy into the network's panel, Edit, Enable/Disable and Delete.
/// </summary>
internal static class SetPages
{
    /// <summary>The hint of the Campaign field (the seed's words).</summary>
    public const string CampaignHint = "Leave it empty so that the postbacks are shared by all campaigns.";

    private const string NameField = "name";
    private const string NetworkField = "network";
    private const string CampaignField = "campaignId";

    // The prefix of the settings inputs' ids: settings-clickIdSub, settings-macros, or settings-json without a schema.
    private const string SettingsIdPrefix = "settings-";

    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/postbacks", ListAsync);
        group.MapGet("/postbacks/new", NewAsync);
        group.MapPost("/postbacks/new", CreateAsync);
        group.MapGet("/postbacks/{id}", ShowAsync);
        group.MapGet("/postbacks/{id}/edit", EditAsync);
        group.MapPost("/postbacks/{id}/edit", UpdateAsync);
        group.MapPost("/postbacks/{id}/enable", (HttpContext context, string id, PostbackSetService sets, CancellationToken cancellationToken) =>
            SetEnabledAsync(context, id, sets, enabled: true, cancellationToken));
        group.MapPost("/postbacks/{id}/disable", (HttpContext context, string id, PostbackSetService sets, CancellationToken cancellationToken) =>
            SetEnabledAsync(context, id, sets, enabled: false, cancellationToken));
        group.MapGet("/postbacks/{id}/delete", ConfirmDeleteAsync);
        group.MapPost("/postbacks/{id}/delete", DeleteAsync);
    }

    // ---- the list ------------------------------------------------------------------------------------------------

    private static async Task<IResult> ListAsync(HttpContext context, PostbackSetService sets, IAffiliateNetworkRegistry networks, string? deleted, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var all = await sets.ListAsync(cancellationToken).ConfigureAwait(false);
        var notice = Markup.If(!string.IsNullOrEmpty(deleted), Markup.Of($"""<p class="notice" role="status">Postback “{deleted}” deleted. Its URLs answer 404.</p>"""));
        var rows = all.Select(set => Markup.Of($"""
            <tr>
            <td><a href="{page.Url(SetPath(set.Id))}">{set.Name}</a></td>
            <td>{NetworkName(networks, set.NetworkId)}</td>
            <td>{CampaignText(set.CampaignId)}</td>
            <td>{StatusBadge(set.Enabled)}</td>
            <td>{Display.Time(set.CreatedAt)}</td>
            </tr>
            """));
        var table = all.Count == 0
            ? Markup.Of($"<p>No postbacks yet. Create one to get the URLs to paste into the affiliate network's panel.</p>")
            : Display.ScrollingTable("Postbacks", Markup.Of($"""
                <table>
                <thead><tr><th scope="col">Name</th><th scope="col">Network</th><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Created (UTC)</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """));
        return page.Render("Postbacks", NavSection.Postbacks, Markup.Of($"""
            <h1>Postbacks</h1>
            {notice}
            <div class="actions"><a class="button" id="create-postback" href="{page.Url("postbacks/new")}">Create postback</a></div>
            {table}
            """));
    }

    // ---- create --------------------------------------------------------------------------------------------------

    private static async Task<IResult> NewAsync(
        HttpContext context, IAffiliateNetworkRegistry networks, CampaignService campaigns, string? network, string? name, string? campaignId, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var chosen = network is not null && networks.TryGetNetwork(network, out var found) ? found : networks.Networks[0];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (network is not null && !string.Equals(chosen.Id, network, StringComparison.OrdinalIgnoreCase))
        {
            errors[NetworkField] = [$"Unknown affiliate network '{network}'. Choose one of the list."];
        }

        var form = new NewSetForm(name ?? "", chosen.Id, campaignId, Posted: null);
        return await CreateFormAsync(page, networks, campaigns, form, errors, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, PostbackSetService sets, IAffiliateNetworkRegistry networks, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var posted = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        var form = new NewSetForm(Posted(posted, NameField), Posted(posted, NetworkField), FormText.Blank(Posted(posted, CampaignField)), posted);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (form.CampaignId is not null && !CampaignService.IsValidId(form.CampaignId))
        {
            errors[CampaignField] = [$"'{form.CampaignId}' is not a campaign id: choose a campaign of the list, or none."];
        }

        // An unknown network has no form to read: the core says the network is unknown.
        JsonElement? settings = null;
        if (networks.TryGetNetwork(form.NetworkId, out var network))
        {
            var read = SettingsFormOf(network, current: null).Read(posted);
            Merge(errors, read.Errors);
            settings = read.Settings is { Count: > 0 } given ? ToElement(given) : null;
        }

        if (errors.Count == 0)
        {
            try
            {
                var set = await sets.CreateAsync(
                    new NewPostbackSet { Name = form.Name, NetworkId = form.NetworkId, CampaignId = form.CampaignId, Settings = settings },
                    cancellationToken).ConfigureAwait(false);
                return page.RedirectTo(SetPath(set.Id) + "?created=1");
            }
            catch (PostbackSetValidationException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                {
                    errors[field] = messages;
                }
            }
        }

        var shown = networks.TryGetNetwork(form.NetworkId, out _) ? form : form with { NetworkId = networks.Networks[0].Id };
        return await CreateFormAsync(page, networks, campaigns, shown, errors, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> CreateFormAsync(
        DashboardPage page, IAffiliateNetworkRegistry networks, CampaignService campaigns, NewSetForm form, Dictionary<string, string[]> errors, int statusCode, CancellationToken cancellationToken)
    {
        var known = await campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        var networkName = NetworkName(networks, form.NetworkId);
        var settingsForm = SettingsFormOf(networks, form.NetworkId, current: null);
        var networkOptions = networks.Networks.Select(n => Display.Option(n.Id, n.DisplayName, n.Id == form.NetworkId));
        var campaignOptions = known.Select(c => Display.Option(c.Id, CampaignLabel(c), c.Id == form.CampaignId));
        var action = page.Url("postbacks/new");
        return page.Render("Create postback", NavSection.Postbacks, Markup.Of($"""
            <h1>Create postback</h1>
            {OtherErrors(errors, settingsForm)}
            <form id="network-form" method="get" action="{action}" data-carry="{NameField} {CampaignField}">
            <input type="hidden" name="{NameField}" value="{form.Name}">
            <input type="hidden" name="{CampaignField}" value="{form.CampaignId}">
            </form>
            <form method="post" action="{action}" class="stack" id="create-form">
            {page.AntiforgeryField()}
            <label for="{NameField}">Name</label>
            {SetForm.FieldErrors(NameField, errors.GetValueOrDefault(NameField))}
            <input id="{NameField}" name="{NameField}" type="text" maxlength="200" required autocomplete="off" value="{form.Name}"{SetForm.Described(NameField, errors.ContainsKey(NameField), hint: false)}>
            <label for="{NetworkField}">Affiliate Network</label>
            <p class="hint" id="{NetworkField}-hint">Choosing a network reloads this form with that network's settings; what you typed is kept (without script: choose, then Show settings).</p>
            {SetForm.FieldErrors(NetworkField, errors.GetValueOrDefault(NetworkField))}
            <select id="{NetworkField}" name="{NetworkField}" form="network-form" data-submit-on-change{SetForm.Described(NetworkField, errors.ContainsKey(NetworkField))}>{networkOptions}</select>
            <button type="submit" form="network-form" class="secondary" id="show-settings">Show settings</button>
            <input type="hidden" name="{NetworkField}" value="{form.NetworkId}">
            <label for="{CampaignField}">Campaign</label>
            <p class="hint" id="{CampaignField}-hint">{CampaignHint}</p>
            {SetForm.FieldErrors(CampaignField, errors.GetValueOrDefault(CampaignField))}
            <select id="{CampaignField}" name="{CampaignField}"{SetForm.Described(CampaignField, errors.ContainsKey(CampaignField))}><option value="">All campaigns</option>{campaignOptions}</select>
            <fieldset>
            <legend>{networkName} settings</legend>
            {SettingsFields(settingsForm, networkName, errors, form.Posted)}
            </fieldset>
            <button type="submit" id="create-submit">Create postback</button>
            </form>
            """), statusCode);
    }

    // ---- one set -------------------------------------------------------------------------------------------------

    private static async Task<IResult> ShowAsync(
        HttpContext context, string id, PostbackSetService sets, IAffiliateNetworkRegistry networks, string? created, string? updated, string? enabled, string? disabled, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var networkName = NetworkName(networks, set.NetworkId);
        var notice = (created, updated, enabled, disabled) switch
        {
            ("1", _, _, _) => Markup.Of($"""<p class="notice" role="status" id="set-notice">Postback created. Copy the URLs into {networkName}'s panel.</p>"""),
            (_, "1", _, _) => Markup.Of($"""<p class="notice" role="status" id="set-notice">Changes saved. Copy the URLs again if they changed.</p>"""),
            (_, _, "1", _) => Markup.Of($"""<p class="notice" role="status" id="set-notice">Postback enabled: its URLs accept postbacks again.</p>"""),
            (_, _, _, "1") => Markup.Of($"""<p class="notice" role="status" id="set-notice">Postback disabled: its URLs answer 404 until it is enabled again.</p>"""),
            _ => Markup.Empty,
        };
        var toggle = set.Enabled
            ? Markup.Of($"""<form method="post" action="{page.Url(SetPath(set.Id) + "/disable")}">{page.AntiforgeryField()}<button type="submit" class="secondary" id="disable-postback">Disable</button></form>""")
            : Markup.Of($"""<form method="post" action="{page.Url(SetPath(set.Id) + "/enable")}">{page.AntiforgeryField()}<button type="submit" class="secondary" id="enable-postback">Enable</button></form>""");
        return page.Render(set.Name, NavSection.Postbacks, Markup.Of($"""
            <h1>{set.Name}</h1>
            {notice}
            {Facts(set, networkName)}
            <div class="actions">
            <a class="button secondary" id="edit-postback" href="{page.Url(SetPath(set.Id) + "/edit")}">Edit</a>
            {toggle}
            <a class="button secondary" id="reconcile-postback" href="{page.Url(SetPath(set.Id) + "/reconciliation")}">Reconcile</a>
            <a class="button danger" id="delete-postback" href="{page.Url(SetPath(set.Id) + "/delete")}">Delete</a>
            </div>
            <h2>Postback URLs</h2>
            {Urls(context, sets, networks, set, networkName)}
            """));
    }

    private static Markup Urls(HttpContext context, PostbackSetService sets, IAffiliateNetworkRegistry networks, PostbackSet set, string networkName)
    {
        PostbackUrls urls;
        try
        {
            urls = sets.GetUrls(set, context.Request);
        }
        catch (Exception ex) when (ex is InvalidNetworkSettingsException or InvalidOperationException)
        {
            var reason = networks.TryGetNetwork(set.NetworkId, out _)
                ? "its stored settings are no longer valid for the network: edit them."
                : $"its network '{set.NetworkId}' is not registered in this application.";
            return Markup.Of($"""<p class="warning" role="alert">This set has no URLs to show: {reason}</p>""");
        }

        var disabled = Markup.If(!set.Enabled, Markup.Of($"""<p class="warning">This postback is disabled: its URLs answer 404 until it is enabled again.</p>"""));
        var items = SetUrlHints.For(set.NetworkId, networkName, urls).Select(item => Markup.Of($"""
            <div class="url-item">
            <h3 id="{item.Id}-title">{item.Title}</h3>
            <p class="hint">{item.Hint}</p>
            {Display.Copyable(item.Id, item.Url, item.CopyLabel)}
            </div>
            """));
        return Markup.Of($"""
            {disabled}
            <p>Copy each URL into the matching field of {networkName}'s panel.</p>
            <div class="url-list">{items}</div>
            """);
    }

    private static async Task<IResult> SetEnabledAsync(HttpContext context, string id, PostbackSetService sets, bool enabled, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.UpdateAsync(id, new PostbackSetChanges { Enabled = enabled }, cancellationToken).ConfigureAwait(false);
        return set is null ? NotFound(page, id) : page.RedirectTo(SetPath(set.Id) + (enabled ? "?enabled=1" : "?disabled=1"));
    }

    // ---- edit ----------------------------------------------------------------------------------------------------

    private static async Task<IResult> EditAsync(HttpContext context, string id, PostbackSetService sets, IAffiliateNetworkRegistry networks, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return set is null
            ? NotFound(page, id)
            : EditForm(page, networks, set, set.Name, posted: null, new Dictionary<string, string[]>(), StatusCodes.Status200OK);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string id, PostbackSetService sets, IAffiliateNetworkRegistry networks, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var posted = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        var name = Posted(posted, NameField);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var read = SettingsFormOf(networks, set.NetworkId, set.Settings).Read(posted, editing: true);
        Merge(errors, read.Errors);
        var statusMapRead = StatusMapForm.TryRead(posted, out var statusMap, errors);
        if (read.Settings is { } settings && statusMapRead)
        {
            // A write-only setting left empty keeps the stored secret.
            foreach (var secret in read.KeptSecrets)
            {
                if (set.Settings is { ValueKind: JsonValueKind.Object } stored && stored.TryGetProperty(secret, out var kept))
                {
                    settings[secret] = JsonNode.Parse(kept.GetRawText());
                }
            }

            try
            {
                // Emptied fields mean the network's defaults ({}); PATCH's null would keep the stored settings.
                var changes = new PostbackSetChanges { Name = name, Settings = ToElement(settings), StatusMap = statusMap, ResetStatusMap = statusMap is null };
                var updated = await sets.UpdateAsync(id, changes, cancellationToken).ConfigureAwait(false);
                return updated is null ? NotFound(page, id) : page.RedirectTo(SetPath(id) + "?updated=1");
            }
            catch (PostbackSetValidationException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                {
                    errors[field] = messages;
                }
            }
        }

        return EditForm(page, networks, set, name, posted, errors, StatusCodes.Status400BadRequest);
    }

    private static IResult EditForm(
        DashboardPage page, IAffiliateNetworkRegistry networks, PostbackSet set, string name, Dictionary<string, StringValues>? posted, Dictionary<string, string[]> errors, int statusCode)
    {
        var networkName = NetworkName(networks, set.NetworkId);
        var settingsForm = SettingsFormOf(networks, set.NetworkId, set.Settings);
        return page.Render($"Edit {set.Name}", NavSection.Postbacks, Markup.Of($"""
            <h1>Edit {set.Name}</h1>
            {OtherErrors(errors, settingsForm)}
            <p>The network and the campaign of a postback stay as they were created; its URLs keep their token.</p>
            <dl class="facts">
            <dt>Affiliate Network</dt><dd id="set-network">{networkName}</dd>
            <dt>Campaign</dt><dd id="set-campaign">{CampaignText(set.CampaignId)}</dd>
            </dl>
            <form method="post" action="{page.Url(SetPath(set.Id) + "/edit")}" class="stack" id="edit-form">
            {page.AntiforgeryField()}
            <label for="{NameField}">Name</label>
            {SetForm.FieldErrors(NameField, errors.GetValueOrDefault(NameField))}
            <input id="{NameField}" name="{NameField}" type="text" maxlength="200" required autocomplete="off" value="{name}"{SetForm.Described(NameField, errors.ContainsKey(NameField), hint: false)}>
            <fieldset>
            <legend>{networkName} settings</legend>
            {SettingsFields(settingsForm, networkName, errors, posted)}
            </fieldset>
            {StatusMapForm.Fields(set.StatusMap, errors, posted)}
            <div class="actions">
            <button type="submit" id="save-postback">Save changes</button>
            <a class="button secondary" href="{page.Url(SetPath(set.Id))}">Cancel</a>
            </div>
            </form>
            """), statusCode);
    }

    // ---- delete --------------------------------------------------------------------------------------------------

    private static async Task<IResult> ConfirmDeleteAsync(HttpContext context, string id, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        return page.Render($"Delete {set.Name}", NavSection.Postbacks, Markup.Of($"""
            <h1>Delete postback</h1>
            <div class="danger-zone">
            <p id="delete-question">Delete {set.Name}? Its URLs will answer 404 at once; networks that still call them get 404.</p>
            <p>Its conversions and its log entries are kept. To stop it for a while instead, disable it.</p>
            <div class="actions">
            <form method="post" action="{page.Url(SetPath(set.Id) + "/delete")}">{page.AntiforgeryField()}<button type="submit" class="danger" id="confirm-delete">Delete {set.Name}</button></form>
            <a class="button secondary" href="{page.Url(SetPath(set.Id))}">Cancel</a>
            </div>
            </div>
            """));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null || !await sets.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound(page, id);
        }

        return page.RedirectTo("postbacks?deleted=" + Uri.EscapeDataString(set.Name));
    }

    // ---- shared pieces -------------------------------------------------------------------------------------------

    private static string SetPath(string id) => "postbacks/" + Uri.EscapeDataString(id);

    private static IResult NotFound(DashboardPage page, string id) =>
        page.Render("Postback not found", NavSection.Postbacks, Markup.Of($"""
            <h1>Postback not found</h1>
            <p>No postback has the id “{id}”. It may have been deleted.</p>
            <p><a href="{page.Url("postbacks")}">All postbacks</a></p>
            """), StatusCodes.Status404NotFound);

    private static Markup Facts(PostbackSet set, string networkName) => Markup.Of($"""
        <dl class="facts">
        <dt>Affiliate Network</dt><dd id="set-network">{networkName}</dd>
        <dt>Campaign</dt><dd id="set-campaign">{CampaignText(set.CampaignId)}</dd>
        <dt>Status</dt><dd id="set-status">{StatusBadge(set.Enabled)}</dd>
        <dt>Status map</dt><dd id="set-status-map">{StatusMapForm.View(set.StatusMap)}</dd>
        <dt>Created</dt><dd>{Display.Time(set.CreatedAt)}</dd>
        <dt>Id</dt><dd><code>{set.Id}</code></dd>
        </dl>
        """);

    private static string NetworkName(IAffiliateNetworkRegistry networks, string networkId) =>
        networks.TryGetNetwork(networkId, out var network) ? network.DisplayName : networkId;

    private static string CampaignText(string? campaignId) => campaignId ?? "all campaigns";

    private static string CampaignLabel(Campaign campaign) =>
        string.IsNullOrEmpty(campaign.Name) ? campaign.Id : $"{campaign.Name} ({campaign.Id})";

    private static Markup StatusBadge(bool enabled) => Display.Badge(enabled ? "enabled" : "disabled");

    private static async Task<Dictionary<string, StringValues>> ReadFormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var posted = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        return posted.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static string Posted(Dictionary<string, StringValues> posted, string name) => posted.GetValueOrDefault(name).ToString();

    private static JsonElement ToElement(JsonObject settings)
    {
        using var document = JsonDocument.Parse(settings.ToJsonString());
        return document.RootElement.Clone();
    }

    // The network's settings form from its schema (one JSON text area without one, or for a network no longer registered).
    private static SettingsForm SettingsFormOf(IAffiliateNetworkRegistry networks, string networkId, JsonElement? current) =>
        SettingsForm.Create(networks.TryGetNetwork(networkId, out var network) ? network.SettingsSchema : null, current);

    private static SettingsForm SettingsFormOf(AffiliateNetwork network, JsonElement? current) => SettingsForm.Create(network.SettingsSchema, current);

    private static void Merge(Dictionary<string, string[]> errors, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (field, message) in more)
        {
            errors[field] = [message];
        }
    }

    private static bool IsSettingsPath(string path) =>
        path.StartsWith(SettingsForm.DefaultPrefix, StringComparison.Ordinal) || path == SettingsForm.DefaultPrefix.TrimEnd('.');

    // The settings' errors (the form's own and the core's, by field path) by the input that shows them: a path below a
    // field (settings.macros.amount) is shown on it, prefixed by the rest of the path (amount: …).
    private static Dictionary<string, string> PlaceSettingsErrors(SettingsForm form, Dictionary<string, string[]> errors)
    {
        var placed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, messages) in errors.Where(e => IsSettingsPath(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (form.FieldFor(path) is not { } field)
            {
                continue;
            }

            var text = string.Join(" ", messages);
            var below = path.StartsWith(field.FormName, StringComparison.Ordinal) ? path[field.FormName.Length..].TrimStart('.') : "";
            var message = below.Length == 0 ? text : $"{below}: {text}";
            placed[field.FormName] = placed.TryGetValue(field.FormName, out var earlier) ? $"{earlier} {message}" : message;
        }

        return placed;
    }

    private static Markup SettingsFields(SettingsForm form, string networkName, Dictionary<string, string[]> errors, Dictionary<string, StringValues>? posted)
    {
        var hint = form.HasSchema
            ? Markup.Empty
            : Markup.Of($"""<p class="hint">{networkName}'s settings as a JSON object; leave it empty for the defaults.</p>""");
        return Markup.Of($"""{hint}{SettingsFormMarkup.Write(form, SettingsIdPrefix, PlaceSettingsErrors(form, errors), posted)}""");
    }

    // Errors of no field on the form (none expected; shown above it rather than lost).
    private static Markup OtherErrors(Dictionary<string, string[]> errors, SettingsForm settingsForm)
    {
        var other = errors.Where(e => e.Key is not (NameField or NetworkField or CampaignField) && !(IsSettingsPath(e.Key) && settingsForm.FieldFor(e.Key) is not null) && !StatusMapForm.Owns(e.Key)).ToList();
        var summary = errors.Count == 0
            ? Markup.Empty
            : Markup.Of($"""<p class="error" role="alert" id="form-errors">The postback was not saved: correct the fields marked below.</p>""");
        return Markup.Of($"""{summary}{other.Select(e => Markup.Of($"""<p class="error">{e.Key}: {string.Join(" ", e.Value)}</p>"""))}""");
    }

    /// <summary>What the create form holds.</summary>
    private sealed record NewSetForm(string Name, string NetworkId, string? CampaignId, Dictionary<string, StringValues>? Posted);
}
