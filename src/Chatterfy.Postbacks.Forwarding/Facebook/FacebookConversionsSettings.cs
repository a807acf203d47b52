using System.ComponentModel.DataAnnotations;

namespace Chatterfy.Postbacks.Forwarding.Facebook;

/// <summary>
/// Settings of a <c>facebook-capi</c> forwarding rule (JSON:
/// <c>{"pixelId":"123456789012345","accessToken":"EAAB…","events":{"deposit":"Purchase"}}</c>).
/// </summary>
public sealed class FacebookConversionsSettings
{
    /// <summary>Gets or sets the pixel (dataset) id, digits only. Required.</summary>
    [Required(ErrorMessage = "The pixel (dataset) id is required, e.g. \"123456789012345\".")]
    [Display(Name = "Pixel id", Description = "The pixel (dataset) id shown in Events Manager, digits only.")]
    public string? PixelId { get; set; }

    /// <summary>Gets or sets the Conversions API access token. Required; a secret (write-only, masked in answers and logs).</summary>
    [Required(ErrorMessage = "The Conversions API access token is required (Events Manager → Settings → Generate access token).")]
    [Display(Name = "Access token", Description = "The Conversions API access token from Events Manager → Settings → Generate access token.")]
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets the Graph API version, e.g. <c>v21.0</c>.</summary>
    /// <value>Defaults to <see cref="FacebookConversionsDestination.DefaultApiVersion"/>.</value>
    [Display(Name = "Graph API version", Description = "The version of the Graph API the events are sent to.")]
    public string ApiVersion { get; set; } = FacebookConversionsDestination.DefaultApiVersion;

    /// <summary>Gets or sets the Events Manager test code; events sent with it show under Test Events only.</summary>
    [Display(Name = "Test event code", Description = "Events sent with it show under Test Events only; leave empty for live events.")]
    public string? TestEventCode { get; set; }

    /// <summary>
    /// Gets or sets the <c>action_source</c> of every event: <c>website</c>, <c>app</c>, <c>chat</c>, <c>email</c>,
    /// <c>phone_call</c>, <c>physical_store</c>, <c>system_generated</c>, <c>business_messaging</c> or <c>other</c>.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="null"/>: <c>website</c> when the click carries an event source URL and a user agent (both
    /// required by Meta for website events), otherwise <c>system_generated</c>.
    /// </value>
    [Display(Name = "Action source", Description = "Meta's action_source of every event; leave empty to choose per click.")]
    public string? ActionSource { get; set; }

    /// <summary>
    /// Gets or sets overrides of the event mapping: our event name (<c>registration</c>, <c>first-deposit</c>, <c>deposit</c>,
    /// aliases such as <c>sale</c>, or a custom event) to Meta's event name (a standard event such as <c>Purchase</c>, or a
    /// custom one), or <see langword="null"/> to forward nothing for that event.
    /// </summary>
    /// <value>
    /// Defaults to none, leaving the default mapping: registration → <c>CompleteRegistration</c>, first deposit →
    /// <c>Purchase</c>; repeat deposits and custom events are not forwarded unless mapped.
    /// </value>
    [Display(Name = "Event mapping", Description = "Our event name = Meta's event name, e.g. deposit = Purchase; leave empty for the default mapping.")]
    public IDictionary<string, string?>? Events { get; set; }

    /// <summary>Gets or sets the Graph API base URL. Change it only for tests or a relay.</summary>
    /// <value>Defaults to <c>https://graph.facebook.com</c>.</value>
    [Display(Name = "Graph API base URL", Description = "Change it only for tests or a relay.")]
    public string GraphBaseUrl { get; set; } = FacebookConversionsDestination.DefaultGraphBaseUrl;
}
