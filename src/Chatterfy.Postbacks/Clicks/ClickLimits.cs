using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The sizes a new click's values keep, read by <see cref="ClickValidator"/>: <see cref="Default"/> for clicks a trusted
/// caller creates (<see cref="ClickService.CreateAsync"/>, the tracker API's <c>POST /clicks</c>), and the tighter
/// <see cref="PublicRedirect"/> for clicks any visitor creates through the public click redirect.
/// </summary>
public sealed class ClickLimits
{
    private ClickLimits()
    {
    }

    /// <summary>Gets the limits of a click created by a trusted caller: the tracker API and <see cref="ClickService.CreateAsync"/>.</summary>
    public static ClickLimits Default { get; } = new();

    /// <summary>
    /// Gets the tighter limits of a click that any visitor creates through the public click redirect
    /// (<c>GET /api/go/{campaignId}</c>): a shorter fbclid, fewer and shorter tracker fields.
    /// </summary>
    public static ClickLimits PublicRedirect { get; } = new() { MaxFbclidLength = 500, MaxFields = 20, MaxFieldValueLength = 256 };

    /// <summary>Gets the longest campaign id, in characters.</summary>
    /// <value><see cref="Campaigns.Campaign.MaxIdLength"/> (64).</value>
    public int MaxCampaignIdLength { get; private init; } = Campaigns.Campaign.MaxIdLength;

    /// <summary>Gets the longest subject (chat or user) id, in characters.</summary>
    /// <value><see cref="SubjectIds.MaxLength"/> (128).</value>
    public int MaxSubjectIdLength { get; private init; } = SubjectIds.MaxLength;

    /// <summary>Gets the longest Facebook click id, in characters.</summary>
    /// <value>1,024; 500 for <see cref="PublicRedirect"/>.</value>
    public int MaxFbclidLength { get; private init; } = 1024;

    /// <summary>Gets the longest <c>_fbc</c> or <c>_fbp</c> cookie value, in characters.</summary>
    /// <value>1,024.</value>
    public int MaxFacebookCookieLength { get; private init; } = 1024;

    /// <summary>Gets the longest user agent, in characters.</summary>
    /// <value>1,024.</value>
    public int MaxUserAgentLength { get; private init; } = 1024;

    /// <summary>Gets the longest event source URL (the page the click came from), in characters.</summary>
    /// <value>2,048.</value>
    public int MaxUrlLength { get; private init; } = 2048;

    /// <summary>Gets the most tracker fields a click carries.</summary>
    /// <value><see cref="PostbackParser.MaxAttributes"/> (50); 20 for <see cref="PublicRedirect"/>.</value>
    public int MaxFields { get; private init; } = PostbackParser.MaxAttributes;

    /// <summary>Gets the longest tracker field key, in characters, the rule of <see cref="ClickValidator.IsFieldKey"/>.</summary>
    /// <value><see cref="PostbackParser.MaxAttributeKeyLength"/> (64).</value>
    public int MaxFieldKeyLength { get; private init; } = PostbackParser.MaxAttributeKeyLength;

    /// <summary>Gets the longest tracker field value, in characters.</summary>
    /// <value><see cref="PostbackParser.MaxAttributeValueLength"/> (512); 256 for <see cref="PublicRedirect"/>.</value>
    public int MaxFieldValueLength { get; private init; } = PostbackParser.MaxAttributeValueLength;
}
