using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.Dashboard.Forms;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Pages.Forwarding;

/// <summary>
/// The Forwarding section: the rules (list with settings masked, create with the destination's settings, delete after a
/// confirmation) and, in <see cref="OutboxPages"/>, the outbox. Rules go through <see cref="ForwardingRuleService"/>, as the
/// tracker API's; secrets are write-only: password inputs, never echoed, shown only as
/// <see cref="ForwardingRuleService.MaskSecrets"/> masks them.
/// </summary>
internal static class ForwardingPages
{
    /// <summary>The prefix of a secret setting's form field, e.g. <c>secret.accessToken</c>.</summary>
    public const string SecretFieldPrefix = "secret.";

    private const string JsonSettingsField = "settings";

    private const string SettingsPrefix = SettingsForm.DefaultPrefix;

    private static readonly HashSet<string> RuleFields = new(["name", "setId", "campaignId", "destination"], StringComparer.Ordinal);

    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/forwarding", ListAsync);
        group.MapGet("/forwarding/rules/new", NewAsync);
        group.MapPost("/forwarding/rules/new", CreateAsync);
        group.MapGet("/forwarding/rules/{id}/delete", ConfirmDeleteAsync);
        group.MapPost("/forwarding/rules/{id}/delete", DeleteAsync);
        OutboxPages.Map(group);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? created, string? deleted, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var outboxLink = Markup.Of($"""<p><a href="{page.Url("forwarding/outbox")}" id="outbox-link">Open the outbox</a></p>""");
        if (context.RequestServices.GetService<ForwardingRuleService>() is not { } rules)
        {
            return page.Render("Forwarding", NavSection.Forwarding, Markup.Of($"""
                <h1>Forwarding</h1>
                {NotEnabled()}
                {outboxLink}
                """));
        }

        var registry = context.RequestServices.GetRequiredService<IForwardingDestinationRegistry>();
        var all = await rules.ListAsync(cancellationToken).ConfigureAwait(false);
        var setNames = (await sets.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        var notice = created is not null
            ? Markup.Of($"""<p class="notice" role="status" id="rules-notice">Forwarding rule created.</p>""")
            : deleted is not null
                ? Markup.Of($"""<p class="notice" role="status" id="rules-notice">Forwarding rule deleted.</p>""")
                : Markup.Empty;
        var rows = all.Select(rule =>
        {
            var name = rule.Name ?? rule.Id;
            var destination = registry.TryGetDestination(rule.DestinationId, out var d) ? d.DisplayName : rule.DestinationId;
            var scope = rule.SetId is { } setId
                ? Markup.Of($"""Set {(setNames.TryGetValue(setId, out var setName) ? setName : "(deleted)")} <code>{setId}</code>""")
                : Markup.Of($"""Campaign <code>{rule.CampaignId}</code>""");
            return Markup.Of($"""
                <tr id="rule-{rule.Id}">
                <th scope="row">{name}<br><code class="hint">{rule.Id}</code></th>
                <td>{destination}</td>
                <td>{scope}</td>
                <td>{Settings(rules.MaskSecrets(rule))}</td>
                <td>{Display.Time(rule.CreatedAt)}</td>
                <td><a class="button secondary" href="{page.Url($"forwarding/rules/{Uri.EscapeDataString(rule.Id)}/delete")}" aria-label="Delete rule {name}">Delete</a></td>
                </tr>
                """);
        });
        var list = all.Count == 0
            ? Markup.Of($"""<p id="rules-none">No forwarding rules yet.</p>""")
            : Display.ScrollingTable("Forwarding rules", Markup.Of($"""
                <table id="rules-table">
                <thead><tr><th scope="col">Name</th><th scope="col">Destination</th><th scope="col">Forwards conversions of</th><th scope="col">Settings (secrets masked)</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """));
        return page.Render("Forwarding", NavSection.Forwarding, Markup.Of($"""
            <h1>Forwarding</h1>
            {notice}
            <div class="actions"><a class="button" href="{page.Url("forwarding/rules/new")}" id="create-rule">Create forwarding rule</a> <a class="button secondary" href="{page.Url("forwarding/outbox")}" id="outbox-link">Open the outbox</a></div>
            <h2>Rules</h2>
            <p class="hint">Which events a rule forwards is decided by its destination and its settings (for the Facebook Conversions API, its <code>events</code> mapping).</p>
            {list}
            """));
    }

    private static async Task<IResult> NewAsync(HttpContext context, string? destination, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        if (context.RequestServices.GetService<ForwardingRuleService>() is null)
        {
            return page.Render("Create forwarding rule", NavSection.Forwarding, Markup.Of($"<h1>Create forwarding rule</h1>{NotEnabled()}"));
        }

        var registry = context.RequestServices.GetRequiredService<IForwardingDestinationRegistry>();
        var form = new RuleForm { Destination = destination?.Trim() ?? "" };
        return await RuleFormPageAsync(page, registry, sets, form, new RuleErrors(), posted: null, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        if (context.RequestServices.GetService<ForwardingRuleService>() is not { } rules)
        {
            return page.Render("Create forwarding rule", NavSection.Forwarding, Markup.Of($"<h1>Create forwarding rule</h1>{NotEnabled()}"), StatusCodes.Status404NotFound);
        }

        var registry = context.RequestServices.GetRequiredService<IForwardingDestinationRegistry>();
        var posted = (await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var form = new RuleForm
        {
            Name = posted.GetValueOrDefault("name").ToString(),
            SetId = posted.GetValueOrDefault("setId").ToString(),
            CampaignId = posted.GetValueOrDefault("campaignId").ToString(),
            Destination = posted.GetValueOrDefault("destination").ToString().Trim(),
            Settings = posted.GetValueOrDefault(JsonSettingsField).ToString(),
        };
        var errors = new RuleErrors();
        JsonElement settings = default;
        SettingsForm? settingsForm = null;
        if (registry.TryGetDestination(form.Destination, out var destination))
        {
            settingsForm = SettingsForm.Create(destination.SettingsSchema, null);
            settings = settingsForm.HasSchema
                ? Read(settingsForm, posted, errors)
                : ComposeSettings(form, destination.SecretSettings, name => posted.GetValueOrDefault(SecretFieldPrefix + name).ToString(), errors);
        }

        if (errors.Count == 0)
        {
            try
            {
                await rules.CreateAsync(
                    new NewForwardingRule
                    {
                        Name = FormText.Blank(form.Name),
                        SetId = FormText.Blank(form.SetId),
                        CampaignId = FormText.Blank(form.CampaignId),
                        DestinationId = form.Destination,
                        Settings = settings,
                    },
                    cancellationToken).ConfigureAwait(false);
                return page.RedirectTo("forwarding?created=1");
            }
            catch (ForwardingRuleValidationException invalid)
            {
                Place(invalid.Errors, destination, settingsForm, errors);
            }
        }

        return await RuleFormPageAsync(page, registry, sets, form, errors, posted, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> ConfirmDeleteAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        if (context.RequestServices.GetService<ForwardingRuleService>() is not { } rules)
        {
            return page.Render("Delete forwarding rule", NavSection.Forwarding, Markup.Of($"<h1>Delete forwarding rule</h1>{NotEnabled()}"), StatusCodes.Status404NotFound);
        }

        var rule = await rules.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (rule is null)
        {
            return RuleNotFound(page, id);
        }

        var name = rule.Name ?? rule.Id;
        return page.Render("Delete forwarding rule", NavSection.Forwarding, Markup.Of($"""
            <h1>Delete forwarding rule {name}</h1>
            <div class="danger-zone">
            <p id="delete-consequence">Conversions accepted from now on are not forwarded by this rule, and its pending outbox messages are dead-lettered when the dispatcher meets them. This cannot be undone.</p>
            <form method="post" action="{page.Url($"forwarding/rules/{Uri.EscapeDataString(rule.Id)}/delete")}" class="actions">
            {page.AntiforgeryField()}
            <button type="submit" class="danger" id="confirm-delete">Delete rule {name}</button>
            <a href="{page.Url("forwarding")}">Cancel</a>
            </form>
            </div>
            """));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string id, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        if (context.RequestServices.GetService<ForwardingRuleService>() is not { } rules)
        {
            return page.Render("Delete forwarding rule", NavSection.Forwarding, Markup.Of($"<h1>Delete forwarding rule</h1>{NotEnabled()}"), StatusCodes.Status404NotFound);
        }

        return await rules.DeleteAsync(id, cancellationToken).ConfigureAwait(false)
            ? page.RedirectTo("forwarding?deleted=1")
            : RuleNotFound(page, id);
    }

    private static JsonElement Read(SettingsForm settingsForm, Dictionary<string, StringValues> posted, RuleErrors errors)
    {
        var read = settingsForm.Read(posted);
        foreach (var (field, message) in read.Errors)
        {
            errors.AddSetting(field, message);
        }

        if (read.Settings is null)
        {
            return default;
        }

        using var document = JsonDocument.Parse(read.Settings.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Without a settings schema, the settings to create the rule with: the settings text (a JSON object, blank for none)
    /// without any secret, plus each secret from its own password field. A secret written into the text is refused, so it
    /// is never echoed.
    /// </summary>
    private static JsonElement ComposeSettings(RuleForm form, IReadOnlyList<string> secretNames, Func<string, string> secret, RuleErrors errors)
    {
        JsonObject settings;
        try
        {
            settings = FormText.Blank(form.Settings) is { } text
                ? JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object")
                : [];
        }
        catch (JsonException)
        {
            errors.AddSetting(JsonSettingsField, "The settings are a JSON object, e.g. {\"pixelId\": \"123456789012345\"}.");

            // Echoed for correcting unless it may hold a secret (it cannot be parsed to take one out).
            if (secretNames.Any(name => form.Settings.Contains(name, StringComparison.OrdinalIgnoreCase)))
            {
                form.Settings = "";
                errors.AddSetting(JsonSettingsField, "It named a secret setting, so it was cleared: enter secrets in their own fields.");
            }

            return default;
        }

        var written = settings.Select(p => p.Key).Where(key => secretNames.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
        if (written.Count > 0)
        {
            foreach (var key in written)
            {
                settings.Remove(key);
            }

            errors.AddSetting(JsonSettingsField, $"Enter {string.Join(", ", written)} in its own field below, not in the settings text (it was removed from the text).");
            form.Settings = settings.ToJsonString();
            return default;
        }

        foreach (var name in secretNames)
        {
            if (FormText.Blank(secret(name)) is { } value)
            {
                settings[name] = value;
            }
        }

        using var document = JsonDocument.Parse(settings.ToJsonString());
        return document.RootElement.Clone();
    }

    // The core's errors next to their fields: the rule's own, each setting's (the schema form's field, or without a
    // schema the settings text or a secret's own input), anything else above the form.
    private static void Place(IReadOnlyDictionary<string, string[]> core, ForwardingDestination? destination, SettingsForm? settingsForm, RuleErrors errors)
    {
        foreach (var (path, messages) in core)
        {
            var text = string.Join(" ", messages);
            if (RuleFields.Contains(path))
            {
                errors.AddField(path, text);
            }
            else if (settingsForm is not null && (path == JsonSettingsField || path.StartsWith(SettingsPrefix, StringComparison.Ordinal)))
            {
                var name = path == JsonSettingsField ? "" : path[SettingsPrefix.Length..];
                if (settingsForm.HasSchema)
                {
                    if (settingsForm.FieldFor(path) is { } field)
                    {
                        errors.AddSetting(field.FormName, text);
                    }
                    else
                    {
                        errors.Other.Add($"{path}: {text}");
                    }
                }
                else if (destination is not null && destination.SecretSettings.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase)) is { } secret)
                {
                    errors.AddSetting(SecretFieldPrefix + secret, text);
                }
                else
                {
                    errors.AddSetting(JsonSettingsField, name.Length == 0 ? text : $"{name}: {text}");
                }
            }
            else
            {
                errors.Other.Add($"{path}: {text}");
            }
        }
    }

    private static async Task<IResult> RuleFormPageAsync(
        DashboardPage page,
        IForwardingDestinationRegistry registry,
        PostbackSetService sets,
        RuleForm form,
        RuleErrors errors,
        Dictionary<string, StringValues>? posted,
        int statusCode,
        CancellationToken cancellationToken)
    {
        var destinationOptions = registry.Destinations.Select(d => Display.Option(d.Id, d.DisplayName, string.Equals(d.Id, form.Destination, StringComparison.OrdinalIgnoreCase)));
        var chooser = Markup.Of($"""
            <form method="get" action="{page.Url("forwarding/rules/new")}" class="filters" id="destination-chooser">
            <div><label for="rule-destination-choice">Destination</label>
            <select id="rule-destination-choice" name="destination" data-submit-on-change><option value="">Choose a destination</option>{destinationOptions}</select></div>
            <button type="submit" class="secondary" id="choose-destination">Show its settings</button>
            </form>
            """);
        if (!registry.TryGetDestination(form.Destination, out var destination))
        {
            var unknown = Markup.If(form.Destination.Length > 0, Markup.Of($"""<p class="error" role="alert">No destination has the id '{form.Destination}'.</p>"""));
            return page.Render("Create forwarding rule", NavSection.Forwarding, Markup.Of($"""
                <h1>Create forwarding rule</h1>
                {unknown}
                <p>Choose where conversions are forwarded; its settings form follows.</p>
                {chooser}
                """), form.Destination.Length > 0 && statusCode == StatusCodes.Status200OK ? StatusCodes.Status404NotFound : statusCode);
        }

        var allSets = await sets.ListAsync(cancellationToken).ConfigureAwait(false);
        var setOptions = allSets.Select(s => Display.Option(s.Id, s.Name, s.Id == FormText.Blank(form.SetId)));
        var settingsForm = SettingsForm.Create(destination.SettingsSchema, null);
        var settingsFields = settingsForm.HasSchema
            ? SettingsFormMarkup.Write(settingsForm, "rule-settings-", errors.Settings, posted)
            : JsonSettingsFields(destination, form, errors);
        var summary = Markup.If(errors.Count > 0, Markup.Of($"""
            <div class="error" role="alert" id="rule-errors"><p>The rule was not created: correct the fields below.</p>
            <ul>{errors.Other.Select(e => Markup.Of($"<li>{e}</li>"))}</ul></div>
            """));
        return page.Render("Create forwarding rule", NavSection.Forwarding, Markup.Of($"""
            <h1>Create forwarding rule</h1>
            {chooser}
            <h2>{destination.DisplayName} rule</h2>
            {summary}
            <form method="post" action="{page.Url("forwarding/rules/new")}" class="stack" id="rule-form">
            {page.AntiforgeryField()}
            <input type="hidden" name="destination" value="{destination.Id}">
            {Field("destination", "rule-destination-shown", "Destination", errors.Fields, Markup.Of($"""<input type="text" id="rule-destination-shown" value="{destination.DisplayName}" readonly>"""), null)}
            {Field("name", "rule-name", "Name (optional)", errors.Fields, Markup.Of($"""<input type="text" id="rule-name" name="name" value="{form.Name}"{Invalid(errors.Fields, "name", "rule-name")}>"""), null)}
            <fieldset><legend>Forwards conversions of (one of the two)</legend>
            {Field("setId", "rule-set", "Postback set", errors.Fields, Markup.Of($"""<select id="rule-set" name="setId"{Invalid(errors.Fields, "setId", "rule-set")}><option value="">No set (campaign rule)</option>{setOptions}</select>"""), null)}
            {Field("campaignId", "rule-campaign", "Campaign id", errors.Fields, Markup.Of($"""<input type="text" id="rule-campaign" name="campaignId" value="{form.CampaignId}"{Invalid(errors.Fields, "campaignId", "rule-campaign")}>"""), "Leave empty for a set rule.")}
            </fieldset>
            <fieldset><legend>{destination.DisplayName} settings</legend>
            {settingsFields}
            </fieldset>
            <button type="submit" id="create-rule-submit">Create forwarding rule</button>
            </form>
            """), statusCode);
    }

    // Without a settings schema: the settings as JSON text, and each secret in its own write-only input.
    private static Markup JsonSettingsFields(ForwardingDestination destination, RuleForm form, RuleErrors errors)
    {
        var asLists = errors.Settings.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal);
        var secretFields = destination.SecretSettings.Select(name => Field(
            SecretFieldPrefix + name,
            "rule-secret-" + name,
            $"{name} (secret, write-only)",
            asLists,
            Markup.Of($"""<input type="password" id="rule-secret-{name}" name="{SecretFieldPrefix}{name}" autocomplete="new-password"{Invalid(asLists, SecretFieldPrefix + name, "rule-secret-" + name)}>"""),
            "Stored, never shown again: the rule list shows it masked."));
        return Markup.Of($"""
            {Field(JsonSettingsField, "rule-settings", "Settings (JSON, without secrets)", asLists, Markup.Of($"""<textarea id="rule-settings" name="{JsonSettingsField}" rows="8"{Invalid(asLists, JsonSettingsField, "rule-settings")}>{form.Settings}</textarea>"""), "The destination's settings as a JSON object (docs/forwarding.md); secrets go in their own fields.")}
            {secretFields}
            """);
    }

    private static Markup Field(string key, string id, string label, Dictionary<string, string[]> errors, Markup input, string? hint)
    {
        var hintMarkup = hint is null ? Markup.Empty : Markup.Of($"""<p class="hint" id="{id}-hint">{hint}</p>""");
        var error = errors.TryGetValue(key, out var messages)
            ? Markup.Of($"""<p class="error" id="{id}-error">{string.Join(" ", messages)}</p>""")
            : Markup.Empty;
        return Markup.Of($"""
            <label for="{id}">{label}</label>
            {hintMarkup}
            {input}
            {error}
            """);
    }

    private static Markup Invalid(Dictionary<string, string[]> errors, string key, string id) =>
        errors.ContainsKey(key) ? Markup.Of($""" aria-invalid="true" aria-describedby="{id}-error" """) : Markup.Empty;

    private static Markup Settings(JsonElement masked)
    {
        if (masked.ValueKind != JsonValueKind.Object)
        {
            return Markup.Of($"<code>{masked.GetRawText()}</code>");
        }

        var items = masked.EnumerateObject().Select(p => Markup.Of($"""
            <dt>{p.Name}</dt><dd><code>{(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}</code></dd>
            """));
        return Markup.Of($"""<dl class="facts">{items}</dl>""");
    }

    private static Markup NotEnabled() => Markup.Of($"""
        <p class="warning" id="forwarding-not-enabled">Forwarding is not enabled on this host: it does not call <code>AddForwarding()</code>, so no rules can be made and nothing is forwarded.</p>
        """);

    private static IResult RuleNotFound(DashboardPage page, string id) => page.Render("Forwarding rule not found", NavSection.Forwarding, Markup.Of($"""
        <h1>Forwarding rule not found</h1>
        <p role="alert">No forwarding rule has the id '{id}'. <a href="{page.Url("forwarding")}">Back to the rules</a>.</p>
        """), StatusCodes.Status404NotFound);

    private sealed class RuleErrors
    {
        /// <summary>Gets the rule's own fields' errors (name, setId, campaignId, destination).</summary>
        public Dictionary<string, string[]> Fields { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the settings' errors by input name.</summary>
        public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

        /// <summary>Gets the errors no field shows.</summary>
        public List<string> Other { get; } = [];

        public int Count => Fields.Count + Settings.Count + Other.Count;

        public void AddField(string key, string message) =>
            Fields[key] = Fields.TryGetValue(key, out var existing) ? [.. existing, message] : [message];

        public void AddSetting(string key, string message) =>
            Settings[key] = Settings.TryGetValue(key, out var existing) ? existing + " " + message : message;
    }

    private sealed class RuleForm
    {
        public string Name { get; init; } = "";

        public string SetId { get; init; } = "";

        public string CampaignId { get; init; } = "";

        public required string Destination { get; init; }

        public string Settings { get; set; } = "";
    }
}
