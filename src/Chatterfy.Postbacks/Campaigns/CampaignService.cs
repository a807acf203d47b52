using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Telegram;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Campaigns;

/// <summary>
/// Creates and manages campaigns and renders their destinations for the click redirect. Destination templates are
/// validated when saved, so a redirect's <c>Location</c> is always an <c>https</c> or <c>tg</c> URL with a fixed host,
/// percent-encoded values and at most <see cref="MaxLocationLength"/> characters. Get it from the service provider after
/// <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class CampaignService
{
    /// <summary>The longest destination template, in characters.</summary>
    public const int MaxDestinationLength = 2048;

    /// <summary>
    /// The longest <c>Location</c> the click redirect sends, in characters (8 KiB). A destination whose fixed text and a
    /// click id of <see cref="Click.MaxIdLength"/> characters exceed it once percent-encoded is refused when saved; a
    /// tracker field whose encoded value would push a <c>Location</c> past it renders empty.
    /// </summary>
    public const int MaxLocationLength = 8 * 1024;

    private const int MaxNameLength = DisplayNames.MaxLength;
    private const string ProbeValue = "x";
    private const string TrackerMacroPrefix = "tracker.";

    private readonly CampaignStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly CampaignWindowCache? _windows;

    /// <summary>Initializes a new instance of the <see cref="CampaignService"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="timeProvider">The clock.</param>
    public CampaignService(CampaignStore store, TimeProvider timeProvider)
        : this(store, timeProvider, null)
    {
    }

    // Created so by AddChatterfyPostbacks: it shares the window cache with PostbackIngestor, so its changes apply at once.
    internal CampaignService(CampaignStore store, TimeProvider timeProvider, CampaignWindowCache? windows)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _timeProvider = timeProvider;
        _windows = windows;
    }

    /// <summary>Tells whether a campaign id is 1 to 64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    /// <param name="campaignId">The id.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValidId(string? campaignId) =>
        campaignId is { Length: > 0 and <= Campaign.MaxIdLength } && campaignId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>Validates and stores a new campaign.</summary>
    /// <param name="request">The id, name and destination template.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored campaign.</returns>
    /// <exception cref="CampaignValidationException">A field is invalid, or the id is taken (field <c>id</c>).</exception>
    public async ValueTask<Campaign> CreateAsync(NewCampaign request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Validate(request);
        if (errors.Count == 0 && await _store.GetAsync(request.Id, cancellationToken).ConfigureAwait(false) is not null)
        {
            errors["id"] = [$"A campaign with id '{request.Id}' exists."];
        }

        if (errors.Count > 0)
        {
            throw new CampaignValidationException(errors);
        }

        var campaign = new Campaign
        {
            Id = request.Id,
            Name = Trimmed(request.Name),
            DestinationTemplate = request.DestinationTemplate,
            CreatedAt = _timeProvider.GetUtcNow(),
            AttributionWindowSeconds = request.AttributionWindowSeconds,
        };
        try
        {
            await _store.AddAsync(campaign, cancellationToken).ConfigureAwait(false);
            _windows?.Invalidate(campaign.Id);
        }
        catch (InvalidOperationException)
        {
            // Another caller created it between the check and the insert: the same answer as when the check finds it.
            throw new CampaignValidationException(new Dictionary<string, string[]> { ["id"] = [$"A campaign with id '{request.Id}' exists."] });
        }

        return campaign;
    }

    /// <summary>Replaces a campaign's name, destination template and attribution window.</summary>
    /// <param name="request">The campaign's id and its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored campaign, or <see langword="null"/> when none has that id.</returns>
    /// <exception cref="CampaignValidationException">A field is invalid.</exception>
    public async ValueTask<Campaign?> UpdateAsync(NewCampaign request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            throw new CampaignValidationException(errors);
        }

        var campaign = new Campaign
        {
            Id = request.Id,
            Name = Trimmed(request.Name),
            DestinationTemplate = request.DestinationTemplate,
            CreatedAt = default,
            AttributionWindowSeconds = request.AttributionWindowSeconds,
        };
        var updated = await _store.UpdateAsync(campaign, cancellationToken).ConfigureAwait(false);
        _windows?.Invalidate(campaign.Id);
        return updated;
    }

    /// <summary>Gets a campaign by id (case-sensitive).</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaign, or <see langword="null"/>.</returns>
    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return IsValidId(campaignId) ? _store.GetAsync(campaignId, cancellationToken) : new((Campaign?)null);
    }

    /// <summary>Lists all campaigns by id.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaigns.</returns>
    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        _store.ListAsync(cancellationToken);

    /// <summary>Deletes a campaign; its clicks and rules are kept.</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a campaign was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        var deleted = await _store.DeleteAsync(campaignId, cancellationToken).ConfigureAwait(false);
        _windows?.Invalidate(campaignId);
        return deleted;
    }

    /// <summary>
    /// Renders a campaign's destination for a click: <c>{{tracker.clickid}}</c> and <c>{{tracker.&lt;field&gt;}}</c> are
    /// replaced by the click's percent-encoded values; a field the click lacks renders empty, and so does a field whose
    /// encoded value would push the <c>Location</c> past <see cref="MaxLocationLength"/>. No click value can make it throw.
    /// </summary>
    /// <remarks>
    /// A destination saved before macros in its host were refused (e.g. <c>tg://{{tracker.x}}</c>) renders those macros
    /// empty, so no click value chooses the host, and reports it in <see cref="RenderedDestination.HostMacrosOmitted"/>.
    /// </remarks>
    /// <param name="campaign">The campaign.</param>
    /// <param name="click">The click.</param>
    /// <returns>
    /// The destination, or <see langword="null"/> when the stored template does not render to an absolute URL, which only a
    /// destination saved before today's checks can do (e.g. <c>https://{{tracker.host}}/</c>, whose host renders empty).
    /// </returns>
    public static RenderedDestination? RenderDestination(Campaign campaign, Click click)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(click);
        return DestinationTemplate.Parse(campaign.DestinationTemplate).Render(click);
    }

    private static Dictionary<string, string[]> Validate(NewCampaign request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!IsValidId(request.Id))
        {
            errors["id"] = [$"A campaign id is 1 to {Campaign.MaxIdLength} characters of A-Z, a-z, 0-9, '_' and '-'."];
        }

        if (request.Name is { Length: > MaxNameLength })
        {
            errors["name"] = [$"A campaign name is at most {MaxNameLength} characters."];
        }

        if (ValidateDestination(request.DestinationTemplate) is { } problem)
        {
            errors["destination"] = [problem];
        }

        if (AttributionWindow.Validate(request.AttributionWindowSeconds) is { } windowProblem)
        {
            errors[AttributionWindow.Field] = [windowProblem];
        }

        return errors;
    }

    private static string? ValidateDestination(string? destination)
    {
        if (string.IsNullOrEmpty(destination))
        {
            return "A destination is required, e.g. https://t.me/mybot?start={{tracker.clickid}}.";
        }

        if (destination.Length > MaxDestinationLength)
        {
            return $"A destination is at most {MaxDestinationLength} characters.";
        }

        if (destination.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "A destination has no spaces or control characters; percent-encode them.";
        }

        if (HasStrayPercent(destination))
        {
            return "A '%' in a destination starts a percent-escape of two hex digits, e.g. %20; write a literal '%' as %25.";
        }

        var template = DestinationTemplate.Parse(destination);
        var unknown = template.MacroNames.Distinct(StringComparer.Ordinal).Where(m => !m.StartsWith(TrackerMacroPrefix, StringComparison.Ordinal) || m.Length == TrackerMacroPrefix.Length).ToList();
        if (unknown.Count > 0)
        {
            return $"Unknown macro {string.Join(", ", unknown.Select(m => "{{" + m + "}}"))}: a destination may use {{{{tracker.clickid}}}} and {{{{tracker.<field>}}}}.";
        }

        // Render with harmless values so the URL is checked as the redirect will send it.
        var probe = new TemplateValues { ClickId = ProbeValue };
        foreach (var macro in template.MacroNames)
        {
            probe.TrackerFields[macro[TrackerMacroPrefix.Length..]] = ProbeValue;
        }

        var link = LinkTemplate.Parse(destination, UnknownMacroBehavior.Empty);
        if (!Uri.TryCreate(link.RenderToString(probe), UriKind.Absolute, out var uri)
            || !Uri.TryCreate(link.RenderToString(new TemplateValues { ClickId = "y" }), UriKind.Absolute, out var other))
        {
            return "A destination is an absolute URL, e.g. https://t.me/mybot?start={{tracker.clickid}}.";
        }

        if (uri.Scheme is not ("https" or "tg"))
        {
            return $"A destination's scheme is https or tg, not '{uri.Scheme}'.";
        }

        if (template.HasMacroInHost)
        {
            return "A destination's host is fixed: no macro before the path, e.g. tg://resolve?domain=mybot&start={{tracker.clickid}}, not tg://{{tracker.bot}}.";
        }

        if ((uri.Scheme == "https" && string.IsNullOrEmpty(uri.Host)) || !string.Equals(uri.Host, other.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != other.Port || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "A destination has a literal host (https needs one) and no user info, e.g. https://t.me/mybot?start={{tracker.clickid}}.";
        }

        if (template.RenderFixedPart(new string('x', Click.MaxIdLength)) is not { } fixedPart)
        {
            return "A destination is an absolute URL, e.g. https://t.me/mybot?start={{tracker.clickid}}.";
        }

        if (fixedPart.Length > MaxLocationLength)
        {
            return $"A destination's Location is at most {MaxLocationLength} characters; this one's text with a {Click.MaxIdLength}-character click id is {fixedPart.Length} once percent-encoded (a non-ASCII letter takes 6).";
        }

        if (TelegramProblem(link) is { } telegramProblem)
        {
            return telegramProblem;
        }

        return null;
    }

    // A Telegram bot link (https://t.me/<bot>?start=…, https://telegram.me/<bot>?start=…, tg://resolve?domain=<bot>&start=…)
    // sends the visitor to the bot, which reads the click back from "/start <payload>": the bot must be a bot username and
    // the start value the click id, optionally followed by "__<campaign tag>", so that every minted click id fits a payload.
    private static string? TelegramProblem(LinkTemplate link)
    {
        var probeClickId = new string('x', ChatterfyPostbacksOptions.MaxClickIdLength);
        var rendered = new Uri(link.RenderToString(new TemplateValues { ClickId = probeClickId }));
        string? bot;
        if (rendered.Scheme == "https" && rendered.Host is "t.me" or "telegram.me")
        {
            bot = rendered.AbsolutePath.Trim('/');
        }
        else if (rendered.Scheme == "tg" && rendered.Host == "resolve")
        {
            bot = QueryValue(rendered, "domain");
        }
        else
        {
            return null;
        }

        if (QueryValue(rendered, "start") is not { } start)
        {
            return null;
        }

        if (!TelegramDeepLinks.IsBotUsername(bot))
        {
            return $"A Telegram destination names a bot: 5 to 32 characters of A-Z a-z 0-9 _, starting with a letter and ending in 'bot'; '{(bot is { Length: > 64 } ? bot[..64] + "…" : bot)}' is not.";
        }

        return TelegramDeepLinks.TryParseStart(TelegramDeepLinks.StartCommand + " " + start, out var payload) && payload.ClickId == probeClickId
            ? null
            : $"A Telegram destination's start value is {{{{tracker.clickid}}}}, optionally followed by {TelegramDeepLinks.TagSeparator} and a campaign tag of 1 to {TelegramDeepLinks.MaxCampaignTagLength} characters of A-Z a-z 0-9 -, e.g. https://t.me/mybot?start={{{{tracker.clickid}}}}{TelegramDeepLinks.TagSeparator}spring: the bot reads the click back from /start.";
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (var pair in uri.Query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && pair.AsSpan(0, equals).SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    // A '%' not followed by two hex digits would join with the value of a macro after it ("%{{tracker.clickid}}" and a
    // click id starting "45" read as "E…"): the value would not arrive as sent.
    private static bool HasStrayPercent(string destination)
    {
        for (var i = destination.IndexOf('%', StringComparison.Ordinal); i >= 0; i = destination.IndexOf('%', i + 1))
        {
            if (i + 2 >= destination.Length || !char.IsAsciiHexDigit(destination[i + 1]) || !char.IsAsciiHexDigit(destination[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Trimmed(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
}
